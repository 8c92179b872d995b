"""Pages of key projects and 五个一: the year's list and its export, reconciliation, the
detail, editing, the task force, the plan and its milestones."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.accounts.models import Department, Role, User
from gaoxin.core.editing import (
    form_status,
    report_form_errors,
    submit_versioned,
)
from gaoxin.core.excel import xlsx_response
from gaoxin.core.locking import ConflictError
from gaoxin.core.params import int_or_none
from gaoxin.core.permissions import permission_required
from gaoxin.dispatch import exports, lights, selectors, services, visibility
from gaoxin.dispatch.forms import (
    KeyProjectAddForm,
    KeyProjectForm,
    MilestoneForm,
    PlanTemplateForm,
    TaskForceForm,
)
from gaoxin.dispatch.models import (
    Milestone,
)
from gaoxin.dispatch.views.base import key_projects_for, year_param
from gaoxin.projects.models import Project

__all__ = [
    "key_project_detail",
    "key_project_edit",
    "key_project_list",
    "key_project_remove",
    "milestone_record",
    "plan_from_template",
    "reconcile",
    "task_force_add",
    "task_force_remove",
]


@permission_required("dispatch.view_keyproject")
def key_project_list(request):
    """The year's key projects with their lights, filterable by sponsor, department, light."""

    year = year_param(request)
    queryset = key_projects_for(request.user).filter(year=year)
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

    return User.objects.filter(role=Role.LEADER, is_active=True).order_by("full_name")


def _key_project_export(year, rows):
    return xlsx_response(*exports.key_projects_workbook(year, rows))


@permission_required("dispatch.add_keyproject")
def reconcile(request):
    """对账: the year's list beside last year's and the candidates from the register."""

    year = year_param(request)
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
    listed = key_projects_for(request.user).filter(year=year)
    listed_ids = set(listed.values_list("project_id", flat=True))
    last_year = list(key_projects_for(request.user).filter(year=year - 1))
    for kp in last_year:
        kp.carried = kp.project_id in listed_ids
    q = request.GET.get("q", "").strip()
    candidates = selectors.reconcile_candidates(listed_ids=listed_ids, q=q)
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
    key_project = get_object_or_404(key_projects_for(request.user), pk=pk)
    try:
        services.key_project_remove(key_project=key_project, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("dispatch:key_project", pk=pk)
    messages.success(request, _("Taken off the list."))
    return redirect(f"{reverse('dispatch:reconcile')}?year={key_project.year}")


@permission_required("dispatch.view_keyproject")
def key_project_detail(request, pk: int):

    key_project = get_object_or_404(key_projects_for(request.user), pk=pk)
    user = request.user
    light = visibility.key_project_lights(user, type(key_project).objects.filter(pk=pk))[0]
    today = timezone.localdate()
    milestones = visibility.milestones(user, key_project)
    for m in milestones:
        m.light = lights.milestone_light(m, today)
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
        matter.light = lights.matter_light(matter, today)
    problems = list(key_project.project.problems.select_related("department"))
    for problem in problems:
        problem.light = lights.problem_light(problem, today)
    tasks = visibility.decision_tasks(user, key_project)
    for task in tasks:
        task.light = lights.task_light(task, today)
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

    key_project = get_object_or_404(key_projects_for(request.user, "change"), pk=pk)
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

    key_project = get_object_or_404(key_projects_for(request.user), pk=pk)
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
    key_project = get_object_or_404(key_projects_for(request.user), pk=pk)
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

    key_project = get_object_or_404(key_projects_for(request.user), pk=pk)
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

    milestone = get_object_or_404(
        Milestone.objects.filter(key_project__in=key_projects_for(request.user)), pk=pk
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
