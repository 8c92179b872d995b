"""Pages of the problem list: list, raise, detail with the workflow's actions."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.core.editing import apply_service_errors, refusal_page, report_form_errors
from gaoxin.core.params import int_or_none
from gaoxin.core.permissions import permission_required
from gaoxin.dispatch import services, visibility
from gaoxin.dispatch.filters import ProblemFilter
from gaoxin.dispatch.forms import MoveForm, ProblemForm, ReasonForm, ReassignForm
from gaoxin.dispatch.models import Problem, ProblemState
from gaoxin.projects.selectors import project_get


def _with_lights(notices):
    notices = list(notices)
    for notice in notices:
        notice.light = services.supervision_signal(notice)
    return notices


def _problems(user, action="view"):
    return Problem.objects.restrict(user, action).select_related(
        "project", "department", "raised_by"
    )


@permission_required("dispatch.view_problem")
def problem_list(request):
    filterset = ProblemFilter(request.GET, queryset=_problems(request.user))
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    for problem in page:
        problem.light = services.signal(problem)
    return render(request, "dispatch/problem_list.html", {"filter": filterset, "page": page})


@permission_required("dispatch.add_problem")
def problem_raise(request, project_pk: int):
    project = project_get(user=request.user, pk=project_pk)
    form = ProblemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            problem = services.problem_raise(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied:
            return render(request, "403.html", status=403)
        else:
            messages.success(request, _("The problem was submitted."))
            return redirect("dispatch:problem", pk=problem.pk)
    return render(
        request,
        "dispatch/problem_form.html",
        {"form": form, "project": project},
        status=400 if form.errors else 200,
    )


# The actions a user is offered: (target state, button label, needs a note, is acceptance).
ACTIONS = {
    ProblemState.ACCEPTED: (_("Accept and set the time limit"), False, True),
    ProblemState.IN_PROGRESS: (_("Start work"), False, False),
    ProblemState.RESOLVED: (_("Mark resolved"), True, False),
    ProblemState.CONFIRMED: (_("Confirm it is solved"), False, False),
    ProblemState.REOPENED: (_("Not solved: reopen"), True, False),
}


@permission_required("dispatch.view_problem")
def problem_detail(request, pk: int):
    problem = get_object_or_404(_problems(request.user), pk=pk)
    actions = []
    for state, perm in services.TRANSITIONS[problem.state].items():
        if request.user.has_perm(perm, problem):
            label, needs_note, accepting = ACTIONS[state]
            actions.append(
                {"state": state, "label": label, "needs_note": needs_note, "accepting": accepting}
            )
    return render(
        request,
        "dispatch/problem_detail.html",
        {
            "problem": problem,
            "steps": visibility.problem_steps(request.user, problem),
            "supervisions": _with_lights(visibility.supervisions(request.user, problem)),
            "can_supervise": request.user.has_perm("dispatch.add_supervision") and problem.is_open,
            "light": services.signal(problem),
            "actions": actions,
            "form": MoveForm(initial={"limit_days": 10}),
            "can_hand_back": problem.is_open
            and problem.department_id is not None
            and request.user.has_perm("dispatch.accept_problem", problem),
            "can_reassign": problem.is_open
            and request.user.has_perm("dispatch.reassign_problem", problem),
            "reassign_form": ReassignForm(),
        },
    )


@require_POST
@permission_required("dispatch.view_problem")
def problem_move(request, pk: int):
    problem = get_object_or_404(_problems(request.user), pk=pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "department"}
        try:
            services.problem_move(problem=problem, by=request.user, **data)
        except ValidationError as error:
            report_form_errors(request, form, error)
        except PermissionDenied as error:
            return refusal_page(request, error)
        else:
            messages.success(request, _("Recorded."))
    else:
        report_form_errors(request, form)
    return redirect("dispatch:problem", pk=problem.pk)


@require_POST
@permission_required("dispatch.view_problem")
def problem_hand_back(request, pk: int):
    """The assigned department hands the problem back to the coordinating office."""
    problem = get_object_or_404(_problems(request.user), pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.problem_hand_back(
                problem=problem, by=request.user, reason=form.cleaned_data["note"]
            )
        except ValidationError as error:
            report_form_errors(request, form, error)
        except PermissionDenied as error:
            return refusal_page(request, error)
        else:
            messages.success(request, _("Handed back to the coordinating office."))
    else:
        report_form_errors(request, form)
    return redirect("dispatch:problem", pk=problem.pk)


@require_POST
@permission_required("dispatch.view_problem")
def problem_reassign(request, pk: int):
    """The coordinating office moves the problem to another department, with the reason."""
    problem = get_object_or_404(_problems(request.user), pk=pk)
    form = ReassignForm(request.POST)
    if form.is_valid():
        try:
            services.problem_reassign(
                problem=problem,
                by=request.user,
                department=form.cleaned_data["department"],
                reason=form.cleaned_data["note"],
            )
        except ValidationError as error:
            report_form_errors(request, form, error)
        except PermissionDenied as error:
            return refusal_page(request, error)
        else:
            messages.success(request, _("Moved to %(d)s.") % {"d": form.cleaned_data["department"]})
    else:
        report_form_errors(request, form)
    return redirect("dispatch:problem", pk=problem.pk)


@require_POST
@permission_required("dispatch.add_supervision")
def supervision_issue(request, pk: int):
    problem = get_object_or_404(_problems(request.user), pk=pk)
    try:
        limit = int(request.POST.get("limit_days") or 0)
    except ValueError:
        limit = 0
    try:
        notice = services.supervision_issue(
            problem=problem,
            by=request.user,
            demand=request.POST.get("demand", ""),
            limit_days=limit,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("dispatch:problem", pk=problem.pk)
    messages.success(request, _("Supervision notice %(n)s issued.") % {"n": notice.number})
    return redirect("dispatch:supervision", pk=notice.pk)


def _supervisions(user):
    from gaoxin.dispatch.models import Supervision

    return Supervision.objects.restrict(user, "view").select_related(
        "problem__project", "problem__department", "issued_by", "replied_by"
    )


@permission_required("dispatch.view_supervision")
def supervision_detail(request, pk: int):
    notice = get_object_or_404(_supervisions(request.user), pk=pk)
    return render(
        request,
        "dispatch/supervision.html",
        {
            "notice": notice,
            "can_reply": not notice.replied_at
            and request.user.has_perm("dispatch.reply_supervision", notice.problem),
        },
    )


@require_POST
@permission_required("dispatch.view_supervision")
def supervision_reply(request, pk: int):
    notice = get_object_or_404(_supervisions(request.user), pk=pk)
    try:
        services.supervision_reply(
            notice=notice, by=request.user, reply=request.POST.get("reply", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        messages.error(request, _("You may not do this with this problem."))
    else:
        messages.success(request, _("Reply recorded."))
    return redirect("dispatch:supervision", pk=notice.pk)


@permission_required("dispatch.view_problem")
def my_work(request):
    """What waits for me: problems my department or I must handle, problems I must confirm,
    supervision notices to answer — reddest first."""
    from gaoxin.dispatch.models import OPEN_STATES, Supervision

    user = request.user
    order = {"red": 0, "yellow": 1, "green": 2}
    to_handle = []
    if user.is_zone_staff:
        to_handle = list(
            Problem.objects.restrict(user, "change")
            .filter(state__in=OPEN_STATES)
            .select_related("project", "department")[:200]
        )
    to_confirm = list(
        Problem.objects.restrict(user, "view")
        .filter(state=ProblemState.RESOLVED, raised_by=user)
        .select_related("project")[:100]
    )
    if user.role == "enterprise":
        to_confirm = list(
            Problem.objects.restrict(user, "view")
            .filter(state=ProblemState.RESOLVED)
            .select_related("project")[:100]
        )
    for problem in to_handle + to_confirm:
        problem.light = services.signal(problem)
    to_handle.sort(key=lambda p: (order[p.light], p.deadline or p.created_at.date()))
    notices = []
    if visibility.sees_internal(user) and user.department_id:
        notices = _with_lights(
            Supervision.objects.filter(
                problem__department_id=user.department_id, replied_at__isnull=True
            ).select_related("problem")
        )
    matters, tasks, reports_due = _my_dispatch_work(user)
    return render(
        request,
        "dispatch/my_work.html",
        {
            "to_handle": to_handle,
            "to_confirm": to_confirm,
            "notices": notices,
            "matters": matters,
            "tasks": tasks,
            "reports_due": reports_due,
        },
    )


def _my_dispatch_work(user):
    """Service-matter parts of my department, tasks I own, reports my key projects owe."""
    from gaoxin.dispatch import selectors
    from gaoxin.dispatch.models import DecisionTask, DispatchPeriod, KeyProject, MatterPart

    if not visibility.sees_internal(user):
        return [], [], []
    today = timezone.localdate()
    order = {"red": 0, "yellow": 1, "green": 2}
    matters = (
        list(
            MatterPart.objects.filter(department_id=user.department_id, done_on__isnull=True)
            .filter(matter__state="open")
            .select_related("matter__key_project__project")[:100]
        )
        if user.department_id
        else []
    )
    for part in matters:
        part.light = selectors.matter_light(part.matter, today)
    matters.sort(key=lambda p: (order[p.light], p.matter.deadline))
    tasks = list(
        DecisionTask.objects.open()
        .filter(models.Q(owner=user) | models.Q(department_id=user.department_id or -1))
        .select_related("meeting")[:100]
    )
    for task in tasks:
        task.light = selectors.task_light(task, today)
    tasks.sort(key=lambda t: (order[t.light], t.deadline))
    mine = KeyProject.objects.filter(
        models.Q(lead_department_id=user.department_id or -1) | models.Q(project__steward=user)
    )
    reports_due = []
    for period in DispatchPeriod.objects.filter(
        start__lte=today, due__gte=today - dt.timedelta(days=62)
    ):
        owing = mine.filter(year=period.start.year).exclude(reports__period=period)
        for kp in owing.select_related("project"):
            reports_due.append(
                {
                    "period": period,
                    "key_project": kp,
                    "light": "red" if period.due < today else "yellow",
                }
            )
    return matters, tasks, reports_due


# --- key projects and 五个一 -----------------------------------------------------------------


def _year(request) -> int:
    from django.utils import timezone

    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 2000), 2999)


def _key_projects(user, action="view"):
    from gaoxin.dispatch.models import KeyProject

    return KeyProject.objects.restrict(user, action).select_related(
        "project", "sponsor", "lead_department"
    )


@permission_required("dispatch.view_keyproject")
def key_project_list(request):
    """The year's key projects with their lights, filterable by sponsor, department, light."""

    year = _year(request)
    queryset = _key_projects(request.user).filter(year=year)
    sponsor, department = (
        int_or_none(request.GET.get("sponsor")),
        int_or_none(request.GET.get("department")),
    )
    if sponsor:
        queryset = queryset.filter(sponsor_id=sponsor)
    if department:
        queryset = queryset.filter(lead_department_id=department)
    rows = visibility.key_project_lights(request.user, queryset)
    light = request.GET.get("light")
    counts = {c: sum(1 for r in rows if r.light == c) for c in ("red", "yellow", "green")}
    if light in counts:
        rows = [r for r in rows if r.light == light]
    if request.GET.get("format") == "xlsx":
        return _key_project_export(year, rows)
    from gaoxin.accounts.models import Department

    return render(
        request,
        "dispatch/key_project_list.html",
        {
            "year": year,
            "rows": rows,
            "counts": counts,
            "light": light,
            "sponsors": _leaders_list(),
            "departments": Department.objects.filter(is_active=True),
            "sponsor": sponsor,
            "department": department,
            "can_add": request.user.has_perm("dispatch.add_keyproject"),
        },
    )


def _leaders_list():
    from gaoxin.accounts.models import Role, User

    return User.objects.filter(role=Role.LEADER, is_active=True).order_by("full_name")


def _key_project_export(year, rows):
    from gaoxin.core.excel import build_workbook, xlsx_response

    light_names = {"red": _("Red"), "yellow": _("Yellow"), "green": _("Green")}
    columns = [
        (_("Project name"), lambda r: r.key_project.project.name),
        (_("Stage"), lambda r: r.key_project.project.get_stage_display()),
        (_("Sponsor leader"), lambda r: str(r.key_project.sponsor)),
        (_("Lead department"), lambda r: str(r.key_project.lead_department)),
        (_("Total investment (10k CNY)"), lambda r: r.key_project.project.total_investment),
        (_("Light"), lambda r: light_names[r.light]),
        (_("Schedule: planned %"), lambda r: r.lag.planned_pct if r.lag else None),
        (_("Schedule: actual %"), lambda r: r.lag.actual_pct if r.lag else None),
        (_("Reasons"), lambda r: "；".join(r.reasons)),
    ]
    content = build_workbook(_("Key projects %(year)d") % {"year": year}, columns, rows)
    return xlsx_response(_("key-projects-%(year)d") % {"year": year}, content)


@permission_required("dispatch.add_keyproject")
def reconcile(request):
    """对账: the year's list beside last year's and the candidates from the register."""
    from django.db.models import Q

    from gaoxin.dispatch.forms import KeyProjectAddForm
    from gaoxin.projects.models import Project
    from gaoxin.projects.stages import Stage

    year = _year(request)
    form = KeyProjectAddForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            project = get_object_or_404(Project, pk=form.cleaned_data["project"])
            try:
                services.key_project_add(
                    year=year,
                    project=project,
                    sponsor=form.cleaned_data["sponsor"],
                    lead_department=form.cleaned_data["lead_department"],
                    by=request.user,
                )
            except ValidationError as error:
                report_form_errors(request, form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s is on the %(year)d list.") % {"name": project, "year": year},
                )
        else:
            report_form_errors(request, form)
        return redirect(f"{request.path}?year={year}")
    listed = _key_projects(request.user).filter(year=year)
    listed_ids = set(listed.values_list("project_id", flat=True))
    last_year = list(_key_projects(request.user).filter(year=year - 1))
    for kp in last_year:
        kp.carried = kp.project_id in listed_ids
    q = request.GET.get("q", "").strip()
    candidates = (
        Project.objects.filter(
            stage__in=(
                Stage.SIGNED,
                Stage.REGISTERED,
                Stage.UNDER_CONSTRUCTION,
                Stage.IN_PRODUCTION,
            )
        )
        .exclude(pk__in=listed_ids)
        .select_related("department")
        .order_by("-total_investment")
    )
    if q:
        candidates = candidates.filter(Q(name__icontains=q) | Q(enterprise__name__icontains=q))
    return render(
        request,
        "dispatch/reconcile.html",
        {
            "year": year,
            "listed": listed,
            "last_year": last_year,
            "candidates": Paginator(candidates, 20).get_page(request.GET.get("page")),
            "form": KeyProjectAddForm(),
            "q": q,
        },
    )


@require_POST
@permission_required("dispatch.add_keyproject")
def key_project_remove(request, pk: int):
    key_project = get_object_or_404(_key_projects(request.user), pk=pk)
    try:
        services.key_project_remove(key_project=key_project, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("dispatch:key_project", pk=pk)
    messages.success(request, _("Taken off the list."))
    return redirect(f"{reverse('dispatch:reconcile')}?year={key_project.year}")


@permission_required("dispatch.view_keyproject")
def key_project_detail(request, pk: int):
    from gaoxin.dispatch import selectors
    from gaoxin.dispatch.forms import MilestoneForm, PlanTemplateForm, TaskForceForm

    key_project = get_object_or_404(_key_projects(request.user), pk=pk)
    user = request.user
    light = visibility.key_project_lights(user, type(key_project).objects.filter(pk=pk))[0]
    today = timezone.localdate()
    milestones = visibility.milestones(user, key_project)
    for m in milestones:
        m.light = selectors.milestone_light(m, today)
        m.form = MilestoneForm(
            initial={
                "version": m.version,
                "actual_start": m.actual_start,
                "actual_end": m.actual_end,
                "note": m.note,
            },
            prefix=f"m{m.pk}",
        )
    matters = list(key_project.matters.prefetch_related("parts__department"))
    for matter in matters:
        matter.light = selectors.matter_light(matter, today)
    problems = list(key_project.project.problems.select_related("department"))
    for problem in problems:
        problem.light = services.signal(problem, today)
    tasks = visibility.decision_tasks(user, key_project)
    for task in tasks:
        task.light = selectors.task_light(task, today)
    can_change = user.has_perm("dispatch.change_keyproject", key_project)
    return render(
        request,
        "dispatch/key_project_detail.html",
        {
            "kp": key_project,
            "light": light,
            "milestones": milestones,
            "task_force": key_project.task_force.select_related("user__department"),
            "matters": matters,
            "problems": problems,
            "tasks": tasks,
            "reports": visibility.progress_reports(user, key_project),
            "note": visibility.key_project_note(user, key_project),
            "internal": visibility.sees_internal(user),
            "can_change": can_change,
            "can_remove": request.user.has_perm("dispatch.add_keyproject"),
            "task_force_form": TaskForceForm(),
            "plan_form": PlanTemplateForm(initial={"start": key_project.plan_start or today}),
        },
    )


@permission_required("dispatch.view_keyproject")
def key_project_edit(request, pk: int):
    from gaoxin.core.editing import form_status, submit_versioned
    from gaoxin.dispatch.forms import KeyProjectForm

    key_project = get_object_or_404(_key_projects(request.user, "change"), pk=pk)
    if not request.user.has_perm("dispatch.change_keyproject", key_project):
        raise PermissionDenied
    initial = {
        "version": key_project.version,
        "sponsor": key_project.sponsor_id,
        "lead_department": key_project.lead_department_id,
        "plan_start": key_project.plan_start,
        "note": key_project.note,
    }
    form = KeyProjectForm(request.POST or None, initial=initial)
    current = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        saved, current = submit_versioned(
            form,
            lambda version: services.key_project_update(
                key_project=key_project, by=request.user, data=data, expected_version=version
            ),
        )
        if saved:
            messages.success(request, _("Changes saved."))
            return redirect("dispatch:key_project", pk=pk)
    return render(
        request,
        "dispatch/simple_form.html",
        {
            "form": form,
            "title": _("Edit key project"),
            "pretitle": key_project.project.name,
            "back": reverse("dispatch:key_project", args=[pk]),
        },
        status=form_status(form, current),
    )


@require_POST
@permission_required("dispatch.view_keyproject")
def task_force_add(request, pk: int):
    from gaoxin.dispatch.forms import TaskForceForm

    key_project = get_object_or_404(_key_projects(request.user), pk=pk)
    form = TaskForceForm(request.POST)
    if form.is_valid():
        try:
            services.task_force_add(key_project=key_project, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            report_form_errors(request, form, error)
        except PermissionDenied:
            messages.error(request, _("You may not change this key project."))
        else:
            messages.success(request, _("Added to the task force."))
    else:
        report_form_errors(request, form)
    return redirect(reverse("dispatch:key_project", args=[pk]) + "#task-force")


@require_POST
@permission_required("dispatch.view_keyproject")
def task_force_remove(request, pk: int, member_pk: int):
    key_project = get_object_or_404(_key_projects(request.user), pk=pk)
    member = get_object_or_404(key_project.task_force, pk=member_pk)
    try:
        services.task_force_remove(member=member, by=request.user)
    except PermissionDenied:
        messages.error(request, _("You may not change this key project."))
    else:
        messages.success(request, _("Removed from the task force."))
    return redirect(reverse("dispatch:key_project", args=[pk]) + "#task-force")


@require_POST
@permission_required("dispatch.view_keyproject")
def plan_from_template(request, pk: int):
    from gaoxin.dispatch.forms import PlanTemplateForm

    key_project = get_object_or_404(_key_projects(request.user), pk=pk)
    form = PlanTemplateForm(request.POST)
    if form.is_valid():
        try:
            services.plan_from_template(
                key_project=key_project, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            report_form_errors(request, form, error)
        except PermissionDenied:
            messages.error(request, _("You may not change this key project."))
        else:
            messages.success(request, _("The plan was laid out from the template."))
    else:
        report_form_errors(request, form)
    return redirect(reverse("dispatch:key_project", args=[pk]) + "#plan")


@require_POST
@permission_required("dispatch.view_keyproject")
def milestone_record(request, pk: int):
    from gaoxin.core.locking import ConflictError
    from gaoxin.dispatch.forms import MilestoneForm
    from gaoxin.dispatch.models import Milestone

    milestone = get_object_or_404(
        Milestone.objects.filter(key_project__in=_key_projects(request.user)), pk=pk
    )
    form = MilestoneForm(request.POST, prefix=f"m{milestone.pk}")
    back = reverse("dispatch:key_project", args=[milestone.key_project_id]) + "#plan"
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect(back)
    data = dict(form.cleaned_data)
    try:
        services.milestone_record(
            milestone=milestone,
            by=request.user,
            expected_version=data.pop("version") or 0,
            **data,
        )
    except ValidationError as error:
        report_form_errors(request, form, error)
    except ConflictError as conflict:
        messages.error(request, conflict.message)
    except PermissionDenied:
        messages.error(request, _("You may not change this key project."))
    else:
        messages.success(request, _("“%(name)s” recorded.") % {"name": milestone.name})
    return redirect(back)


# --- 1+N service matters ---------------------------------------------------------------------


def _matters(user, action="view"):
    from gaoxin.dispatch.models import ServiceMatter

    return ServiceMatter.objects.restrict(user, action).select_related("key_project__project")


@permission_required("dispatch.view_keyproject")
def matter_add(request, pk: int):
    from gaoxin.dispatch.forms import MatterForm

    key_project = get_object_or_404(_key_projects(request.user), pk=pk)
    if not request.user.has_perm("dispatch.change_keyproject", key_project):
        raise PermissionDenied
    form = MatterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        departments = data.pop("departments")
        try:
            matter = services.matter_add(
                key_project=key_project,
                by=request.user,
                parts=[(d, "") for d in departments],
                **data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Service matter opened."))
            return redirect("dispatch:matter", pk=matter.pk)
    return render(
        request,
        "dispatch/simple_form.html",
        {
            "form": form,
            "title": _("New service matter (1+N)"),
            "pretitle": key_project.project.name,
            "back": reverse("dispatch:key_project", args=[pk]),
        },
        status=400 if form.errors else 200,
    )


@permission_required("dispatch.view_servicematter")
def matter_detail(request, pk: int):
    from gaoxin.dispatch import selectors

    matter = get_object_or_404(_matters(request.user), pk=pk)
    can_act = request.user.has_perm("dispatch.change_servicematter", matter)
    parts = list(matter.parts.select_related("department"))
    for part in parts:
        part.mine = part.department_id == request.user.department_id or request.user.role == "admin"
    return render(
        request,
        "dispatch/matter_detail.html",
        {
            "matter": matter,
            "parts": parts,
            "actions": visibility.matter_log(request.user, matter),
            "internal": visibility.sees_internal(request.user),
            "light": selectors.matter_light(matter, timezone.localdate()),
            "can_act": can_act and matter.state == "open",
        },
    )


@require_POST
@permission_required("dispatch.view_servicematter")
def matter_act(request, pk: int):
    from gaoxin.dispatch.forms import MatterActionForm

    matter = get_object_or_404(_matters(request.user), pk=pk)
    form = MatterActionForm(request.POST)
    if form.is_valid():
        part = None
        if form.cleaned_data["part"]:
            part = matter.parts.filter(pk=form.cleaned_data["part"]).first()
        try:
            services.matter_act(
                matter=matter,
                by=request.user,
                note=form.cleaned_data["note"],
                part=part,
                part_done=form.cleaned_data["part_done"],
            )
        except ValidationError as error:
            report_form_errors(request, form, error)
        except PermissionDenied:
            messages.error(request, _("You may not act on this matter."))
        else:
            messages.success(request, _("Recorded."))
    else:
        report_form_errors(request, form)
    return redirect("dispatch:matter", pk=pk)


# --- progress dispatch -----------------------------------------------------------------------


@permission_required("dispatch.view_dispatchperiod")
def period_list(request):
    from django.db.models import Count

    from gaoxin.dispatch.forms import PeriodForm
    from gaoxin.dispatch.models import DispatchPeriod, KeyProject

    form = PeriodForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("dispatch.add_dispatchperiod"):
            raise PermissionDenied
        if form.is_valid():
            try:
                period = services.period_open(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Period opened; the departments have been told."))
                return redirect("dispatch:period", pk=period.pk)
    periods = list(
        DispatchPeriod.objects.restrict(request.user)
        .annotate(filed=Count("reports"))
        .order_by("-start")[:60]
    )
    per_year = dict(
        KeyProject.objects.values("year").annotate(n=Count("id")).values_list("year", "n")
    )
    for period in periods:
        period.expected = per_year.get(period.start.year, 0)
    return render(
        request,
        "dispatch/period_list.html",
        {
            "periods": periods,
            "form": form,
            "can_open": request.user.has_perm("dispatch.add_dispatchperiod"),
        },
        status=400 if form.errors else 200,
    )


@permission_required("dispatch.view_dispatchperiod")
def period_detail(request, pk: int):
    from gaoxin.dispatch import selectors
    from gaoxin.dispatch.models import DispatchPeriod

    period = get_object_or_404(DispatchPeriod.objects.restrict(request.user), pk=pk)
    reports, missing = selectors.reporting_status(period)
    for kp in missing:
        kp.can_report = request.user.has_perm("dispatch.add_progressreport", kp)
    return render(
        request,
        "dispatch/period_detail.html",
        {"period": period, "reports": reports, "missing": missing, "today": timezone.localdate()},
    )


@permission_required("dispatch.view_dispatchperiod")
def report_file(request, pk: int, key_project_pk: int):
    from gaoxin.dispatch.forms import ReportForm
    from gaoxin.dispatch.models import DispatchPeriod

    period = get_object_or_404(DispatchPeriod.objects.restrict(request.user), pk=pk)
    key_project = get_object_or_404(_key_projects(request.user), pk=key_project_pk)
    if not request.user.has_perm("dispatch.add_progressreport", key_project):
        raise PermissionDenied
    existing = key_project.reports.filter(period=period).first()
    initial = (
        {"done": existing.done, "next": existing.next, "problems": existing.problems}
        if existing
        else {}
    )
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_file(
                period=period, key_project=key_project, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Progress report filed."))
            return redirect("dispatch:period", pk=period.pk)
    return render(
        request,
        "dispatch/simple_form.html",
        {
            "form": form,
            "title": _("Progress report %(period)s") % {"period": period},
            "pretitle": key_project.project.name,
            "back": reverse("dispatch:period", args=[period.pk]),
        },
        status=400 if form.errors else 200,
    )


@permission_required("dispatch.view_dispatchmeeting")
def meeting_list(request):
    from gaoxin.dispatch.models import DispatchMeeting

    meetings = (
        DispatchMeeting.objects.restrict(request.user)
        .select_related("chaired_by")
        .annotate(
            n_tasks=models.Count("tasks"),
            n_open=models.Count("tasks", filter=models.Q(tasks__done_on__isnull=True)),
        )
        .order_by("-held_on", "-id")
    )
    return render(
        request,
        "dispatch/meeting_list.html",
        {
            "page": Paginator(meetings, 25).get_page(request.GET.get("page")),
            "can_add": request.user.has_perm("dispatch.add_dispatchmeeting"),
        },
    )


@permission_required("dispatch.add_dispatchmeeting")
def meeting_add(request):
    from gaoxin.dispatch.forms import MeetingForm

    form = MeetingForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_record(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Meeting recorded. Now add its decisions."))
            return redirect("dispatch:meeting", pk=meeting.pk)
    return render(
        request,
        "dispatch/simple_form.html",
        {
            "form": form,
            "title": _("Record a dispatch meeting"),
            "back": reverse("dispatch:meetings"),
        },
        status=400 if form.errors else 200,
    )


@permission_required("dispatch.view_dispatchmeeting")
def meeting_detail(request, pk: int):
    from gaoxin.dispatch import selectors
    from gaoxin.dispatch.forms import DecisionForm, TaskDoneForm
    from gaoxin.dispatch.models import DispatchMeeting

    meeting = get_object_or_404(
        DispatchMeeting.objects.restrict(request.user).select_related("chaired_by"), pk=pk
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("dispatch.add_dispatchmeeting"):
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            kp_pk = data.pop("key_project")
            key_project = _key_projects(request.user).filter(pk=kp_pk).first() if kp_pk else None
            try:
                services.decision_add(
                    meeting=meeting, by=request.user, key_project=key_project, **data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Decision recorded as a task."))
                return redirect("dispatch:meeting", pk=pk)
    today = timezone.localdate()
    tasks = list(meeting.tasks.select_related("owner", "department", "key_project__project"))
    for task in tasks:
        task.light = selectors.task_light(task, today)
        task.can_complete = not task.done_on and request.user.has_perm(
            "dispatch.change_decisiontask", task
        )
    return render(
        request,
        "dispatch/meeting_detail.html",
        {
            "meeting": meeting,
            "attendees": meeting.attendees.select_related("department"),
            "tasks": tasks,
            "form": form,
            "done_form": TaskDoneForm(),
            "can_add": request.user.has_perm("dispatch.add_dispatchmeeting"),
            "key_projects": _key_projects(request.user).filter(year=meeting.held_on.year),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@permission_required("dispatch.view_decisiontask")
def task_done(request, pk: int):
    from gaoxin.dispatch.forms import TaskDoneForm
    from gaoxin.dispatch.models import DecisionTask

    task = get_object_or_404(DecisionTask.objects.restrict(request.user), pk=pk)
    form = TaskDoneForm(request.POST)
    if form.is_valid():
        try:
            services.decision_complete(task=task, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            report_form_errors(request, form, error)
        except PermissionDenied:
            messages.error(request, _("Only the owner or the owner's department completes a task."))
        else:
            messages.success(request, _("Task done."))
    else:
        report_form_errors(request, form)
    return redirect("dispatch:meeting", pk=task.meeting_id)


# --- lights, assessment ----------------------------------------------------------------------


@permission_required("dispatch.view_lights")
def lights(request):
    """Key projects by light, rolled up per lead department and per sponsor leader."""
    from gaoxin.dispatch import selectors

    year = _year(request)
    rows = selectors.key_project_lights(_key_projects(request.user).filter(year=year))
    return render(
        request,
        "dispatch/lights.html",
        {
            "year": year,
            "rows": [r for r in rows if r.light != "green"],
            "by_department": selectors.roll_up(rows, "department"),
            "by_leader": selectors.roll_up(rows, "leader"),
            "total": len(rows),
            "settings": services.light_settings(),
        },
    )


@permission_required("dispatch.view_lights")
def lights_monthly(request):
    """The monthly red/yellow list: published (frozen) for past months, live for this one."""
    import datetime as dt

    from gaoxin.dispatch import selectors
    from gaoxin.dispatch.models import LightListEntry

    today = timezone.localdate()
    try:
        month = dt.date.fromisoformat((request.GET.get("month") or "") + "-01")
    except ValueError:
        month = today.replace(day=1)
    month = min(max(month, dt.date(2000, 1, 1)), today.replace(day=1))
    published = list(
        LightListEntry.objects.filter(month=month).select_related(
            "key_project__project", "key_project__sponsor", "key_project__lead_department"
        )
    )
    live = []
    if month == today.replace(day=1):
        live = [
            r
            for r in selectors.key_project_lights(
                _key_projects(request.user).filter(year=month.year)
            )
            if r.light != "green"
        ]
    months = LightListEntry.objects.dates("month", "month", order="DESC")[:24]
    return render(
        request,
        "dispatch/lights_monthly.html",
        {"month": month, "published": published, "live": live, "months": months},
    )


@permission_required("dispatch.change_lightsettings")
def light_settings(request):
    from gaoxin.core.editing import form_status, submit_versioned
    from gaoxin.dispatch.forms import LightSettingsForm

    current_row = services.light_settings()
    fields = ["yellow_within_days", "lag_yellow_points", "lag_red_points", "not_started_red_months"]
    initial = {f: getattr(current_row, f) for f in fields} | {"version": current_row.version}
    form = LightSettingsForm(request.POST or None, initial=initial)
    current = None
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in fields}
        saved, current = submit_versioned(
            form,
            lambda version: services.light_settings_update(
                by=request.user, data=data, expected_version=version
            ),
        )
        if saved:
            messages.success(request, _("Thresholds saved."))
            return redirect("dispatch:lights")
    return render(
        request,
        "dispatch/simple_form.html",
        {"form": form, "title": _("Light thresholds"), "back": reverse("dispatch:lights")},
        status=form_status(form, current),
    )


def _period(request):
    """The period of the request (?start=&end=), this year to date by default."""
    import datetime as dt

    from gaoxin.projects.stats import Period

    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("start") or f"{today.year}-01-01")
        end = dt.date.fromisoformat(request.GET.get("end") or today.isoformat())
        return Period(start, end)
    except ValueError:
        return Period(dt.date(today.year, 1, 1), today)


@permission_required("dispatch.view_assessment")
def assessment(request):
    from gaoxin.dispatch import selectors
    from gaoxin.dispatch.models import Indicator

    period = _period(request)
    by = "steward" if request.GET.get("by") == "steward" else "department"
    rows = selectors.assessment(period, by)
    for row in rows:
        row.cells = [(k, row.values[k]) for k in Indicator.values]
    weights = services.assessment_weights()
    return render(
        request,
        "dispatch/assessment.html",
        {
            "period": period,
            "by": by,
            "rows": rows,
            "indicators": [(v, label, weights[v]) for v, label in Indicator.choices],
            "can_weigh": request.user.has_perm("dispatch.change_assessmentweight"),
        },
    )


@permission_required("dispatch.view_assessment")
def assessment_records(request):
    """The records behind one number of the assessment."""
    from django.http import Http404

    from gaoxin.dispatch import selectors
    from gaoxin.dispatch.models import Indicator

    period = _period(request)
    by = "steward" if request.GET.get("by") == "steward" else "department"
    indicator, key = request.GET.get("indicator"), int_or_none(request.GET.get("key"))
    if indicator not in Indicator.values or key is None:
        raise Http404
    return render(
        request,
        "dispatch/assessment_records.html",
        {
            "period": period,
            "by": by,
            "indicator": Indicator(indicator),
            "records": selectors.assessment_records(indicator, period, by, key),
            "unit": _unit_label(by, key),
        },
    )


def _unit_label(by, key):
    from gaoxin.accounts.models import Department, User

    model = Department if by == "department" else User
    return model.objects.filter(pk=key).first() or "—"


@permission_required("dispatch.change_assessmentweight")
def assessment_weights(request):
    from gaoxin.dispatch.forms import WeightsForm

    form = WeightsForm(request.POST or None, initial=services.assessment_weights())
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_weights_set(by=request.user, weights=form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Weights saved."))
            return redirect("dispatch:assessment")
    return render(
        request,
        "dispatch/simple_form.html",
        {
            "form": form,
            "title": _("Assessment weights"),
            "back": reverse("dispatch:assessment"),
        },
        status=400 if form.errors else 200,
    )


# --- stewards ------------------------------------------------------------------------------


@permission_required("dispatch.view_stewardship")
def stewardship(request, project_pk: int):
    """A project's steward, the handovers and the service log; hand over, write the log."""
    from gaoxin.dispatch.forms import ServiceLogForm, StewardChangeForm

    project = project_get(user=request.user, pk=project_pk)
    handover_form = StewardChangeForm(request.POST if "to_steward" in request.POST else None)
    log_form = ServiceLogForm(
        request.POST if "on" in request.POST else None, initial={"on": timezone.localdate()}
    )
    if request.method == "POST":
        form = handover_form if "to_steward" in request.POST else log_form
        if form.is_valid():
            try:
                if form is handover_form:
                    services.steward_change(project=project, by=request.user, **form.cleaned_data)
                else:
                    services.service_log_add(project=project, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            except PermissionDenied:
                form.add_error(None, _("You may not do this for this project."))
            else:
                messages.success(request, _("Recorded."))
                return redirect("dispatch:stewardship", project_pk=project.pk)
    return render(
        request,
        "dispatch/stewardship.html",
        {
            "project": project,
            "phase": services.phase_of(project.stage),
            "handovers": project.steward_handovers.select_related(
                "from_steward", "to_steward", "by"
            ).order_by("-at"),
            "log": project.service_log.select_related("steward")[:100],
            "handover_form": handover_form,
            "log_form": log_form,
            "can_hand_over": request.user.has_perm("dispatch.add_stewardhandover", project),
            "can_log": request.user.has_perm("dispatch.add_servicelogentry", project),
        },
        status=400 if handover_form.errors or log_form.errors else 200,
    )


# --- ledger --------------------------------------------------------------------------------


def _month(request):
    import datetime as dt

    today = timezone.localdate()
    try:
        month = dt.date.fromisoformat((request.GET.get("month") or "") + "-01")
    except ValueError:
        month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    return min(max(month, dt.date(2000, 1, 1)), today.replace(day=1))


@permission_required("dispatch.view_ledgerentry")
def ledger(request):
    """The month's ledger of projects in production, the months still missing, Excel."""
    from gaoxin.dispatch import selectors

    month = _month(request)
    lines = selectors.ledger_projects(request.user)
    rows = selectors.ledger_month(request.user, month)
    if request.GET.get("format") == "xlsx":
        return _ledger_export(month, rows)
    missing = selectors.missing_months(lines, month)
    for row in rows:
        row.missing = missing.get(row.project.pk, [])
    return render(
        request,
        "dispatch/ledger.html",
        {
            "month": month,
            "rows": rows,
            "missing_count": sum(1 for r in rows if r.entry is None),
            "totals": {
                "output": sum(r.entry.output_value for r in rows if r.entry),
                "tax": sum(r.entry.tax for r in rows if r.entry),
                "employees": sum(r.entry.employees for r in rows if r.entry),
            },
        },
    )


def _ledger_export(month, rows):
    from gaoxin.core.excel import build_workbook, xlsx_response

    numbered = list(enumerate(rows, start=1))
    e = lambda r: r[1].entry  # noqa: E731
    columns = [
        (_("No."), lambda r: r[0]),
        (_("Project name"), lambda r: r[1].project.name),
        (_("Enterprise"), lambda r: str(r[1].project.enterprise or "")),
        (_("Industrial cluster"), lambda r: str(r[1].project.cluster or "")),
        (_("Output value this month (10k CNY)"), lambda r: e(r).output_value if e(r) else None),
        (_("Output value this year (10k CNY)"), lambda r: r[1].year_output),
        (_("Tax this month (10k CNY)"), lambda r: e(r).tax if e(r) else None),
        (_("Tax this year (10k CNY)"), lambda r: r[1].year_tax),
        (_("Employees"), lambda r: e(r).employees if e(r) else None),
        (
            _("Investment this month (10k CNY)"),
            lambda r: e(r).investment_completed if e(r) else None,
        ),
        (_("Investment this year (10k CNY)"), lambda r: r[1].year_investment),
        (_("Entered"), lambda r: _("yes") if e(r) else _("missing")),
    ]
    title = _("Ledger %(month)s") % {"month": f"{month:%Y-%m}"}
    return xlsx_response(
        _("ledger-%(month)s") % {"month": f"{month:%Y-%m}"},
        build_workbook(title, columns, numbered),
    )


@permission_required("dispatch.view_ledgerentry")
def ledger_project(request, project_pk: int):
    """A project's ledger months; staff or the enterprise enter a month or correct one."""
    from gaoxin.core.editing import submit_versioned
    from gaoxin.dispatch import selectors
    from gaoxin.dispatch.forms import LedgerForm
    from gaoxin.dispatch.models import LedgerEntry

    project = project_get(user=request.user, pk=project_pk)
    entries = LedgerEntry.objects.restrict(request.user).filter(project=project)
    edit = entries.filter(pk=int_or_none(request.GET.get("entry"))).first()
    initial = (
        {f: getattr(edit, f) for f in services.LEDGER_FIELDS}
        | {"month": edit.month, "version": edit.version}
        if edit
        else {"investment_completed": 0}
    )
    form = LedgerForm(request.POST or None, initial=initial)
    can_enter = request.user.has_perm("dispatch.add_ledgerentry", project)
    current = None
    if request.method == "POST":
        if not can_enter:
            raise PermissionDenied
        if form.is_valid():
            data = {f: form.cleaned_data[f] for f in services.LEDGER_FIELDS}
            month = form.cleaned_data["month"].replace(day=1)
            if edit:
                saved, current = submit_versioned(
                    form,
                    lambda version: services.ledger_correct(
                        entry=edit, by=request.user, data=data, expected_version=version
                    ),
                )
            else:
                try:
                    services.ledger_enter(project=project, month=month, by=request.user, data=data)
                    saved = True
                except ValidationError as error:
                    apply_service_errors(form, error)
                    saved = False
            if saved:
                messages.success(request, _("Ledger month saved."))
                return redirect("dispatch:ledger_project", project_pk=project.pk)
    missing = selectors.missing_months([project], timezone.localdate()).get(project.pk, [])
    return render(
        request,
        "dispatch/ledger_project.html",
        {
            "project": project,
            "entries": entries.select_related("entered_by"),
            "form": form,
            "edit": edit,
            "missing": missing,
            "can_enter": can_enter and project.stage in ("in_production", "at_capacity"),
        },
        status=409 if current is not None else 400 if form.errors else 200,
    )


# --- a leader's and a department's page ------------------------------------------------------


@permission_required("dispatch.view_lights")
def leader_page(request, pk: int):
    """A leader's sponsored key projects and their lights, with the open problems on them."""
    from gaoxin.accounts.models import Role, User
    from gaoxin.dispatch import selectors

    leader = get_object_or_404(User, pk=pk, role=Role.LEADER)
    year = _year(request)
    rows = selectors.key_project_lights(
        _key_projects(request.user).filter(year=year, sponsor=leader)
    )
    return render(
        request,
        "dispatch/owner_page.html",
        {"owner": leader, "kind": "leader", "year": year, "rows": rows},
    )


@permission_required("dispatch.view_lights")
def department_page(request, pk: int):
    """A department's key projects, open problems, matter parts and tasks, with lights."""
    from gaoxin.accounts.models import Department
    from gaoxin.dispatch import selectors
    from gaoxin.dispatch.models import OPEN_STATES, DecisionTask, MatterPart

    department = get_object_or_404(Department, pk=pk)
    year = _year(request)
    today = timezone.localdate()
    rows = selectors.key_project_lights(
        _key_projects(request.user).filter(year=year, lead_department=department)
    )
    problems = list(
        Problem.objects.filter(department=department, state__in=OPEN_STATES).select_related(
            "project"
        )
    )
    for p in problems:
        p.light = services.signal(p, today)
    parts = list(
        MatterPart.objects.filter(department=department, done_on__isnull=True).select_related(
            "matter__key_project__project"
        )
    )
    for part in parts:
        part.light = selectors.matter_light(part.matter, today)
    tasks = list(DecisionTask.objects.open().filter(department=department).select_related("owner"))
    for task in tasks:
        task.light = selectors.task_light(task, today)
    return render(
        request,
        "dispatch/owner_page.html",
        {
            "owner": department,
            "kind": "department",
            "year": year,
            "rows": rows,
            "problems": problems,
            "parts": parts,
            "tasks": tasks,
        },
    )
