"""Pages of the problem list: list, raise, detail with the workflow's actions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.core.editing import apply_service_errors, report_form_errors
from gaoxin.core.permissions import permission_required
from gaoxin.dispatch import services
from gaoxin.dispatch.filters import ProblemFilter
from gaoxin.dispatch.forms import MoveForm, ProblemForm
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
            "steps": problem.steps.select_related("by"),
            "supervisions": _with_lights(problem.supervisions.all()),
            "can_supervise": request.user.has_perm("dispatch.add_supervision") and problem.is_open,
            "light": services.signal(problem),
            "actions": actions,
            "form": MoveForm(initial={"department": problem.department_id, "limit_days": 10}),
        },
    )


@require_POST
@permission_required("dispatch.view_problem")
def problem_move(request, pk: int):
    problem = get_object_or_404(_problems(request.user), pk=pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.problem_move(problem=problem, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            report_form_errors(request, form, error)
        except PermissionDenied:
            messages.error(request, _("You may not do this with this problem."))
        else:
            messages.success(request, _("Recorded."))
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
    if user.is_zone_staff and user.department_id:
        notices = _with_lights(
            Supervision.objects.filter(
                problem__department_id=user.department_id, replied_at__isnull=True
            ).select_related("problem")
        )
    return render(
        request,
        "dispatch/my_work.html",
        {"to_handle": to_handle, "to_confirm": to_confirm, "notices": notices},
    )
