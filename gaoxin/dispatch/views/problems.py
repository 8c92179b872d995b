"""Pages of the problem workflow: the list, raising, the detail with its next moves, hand-back,
reassignment, and supervision notices (督办单)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.core.editing import (
    apply_service_errors,
    refusal_page,
    report_form_errors,
)
from gaoxin.core.permissions import permission_required
from gaoxin.dispatch import lights, services, visibility
from gaoxin.dispatch.filters import ProblemFilter
from gaoxin.dispatch.forms import (
    MoveForm,
    ProblemForm,
    ReasonForm,
    ReassignForm,
    SupervisionForm,
    SupervisionReplyForm,
)
from gaoxin.dispatch.models import (
    Problem,
    ProblemState,
    Supervision,
)
from gaoxin.dispatch.views.base import with_lights
from gaoxin.projects.selectors import project_get

__all__ = [
    "ACTIONS",
    "problem_detail",
    "problem_hand_back",
    "problem_list",
    "problem_move",
    "problem_raise",
    "problem_reassign",
    "supervision_detail",
    "supervision_issue",
    "supervision_reply",
]


def _problems(user, action="view"):
    return Problem.objects.restrict(user, action).select_related(
        "project", "enterprise", "department", "raised_by"
    )


@permission_required("dispatch.view_problem")
def problem_list(request):
    filterset = ProblemFilter(request.GET, queryset=_problems(request.user))
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    for problem in page:
        problem.light = lights.problem_light(problem)
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


RATED = (ProblemState.CONFIRMED, ProblemState.REOPENED)

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
        if problem.is_appeal and state in RATED:
            continue  # the enterprise rates an appeal's answer (the evaluation form)
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
            "supervisions": with_lights(visibility.supervisions(request.user, problem)),
            "can_supervise": request.user.has_perm("dispatch.add_supervision") and problem.is_open,
            "light": lights.problem_light(problem),
            "actions": actions,
            "form": MoveForm(initial={"limit_days": 10}),
            "can_hand_back": problem.is_open
            and problem.department_id is not None
            and request.user.has_perm("dispatch.accept_problem", problem),
            "can_reassign": problem.is_open
            and request.user.has_perm("dispatch.reassign_problem", problem),
            "reassign_form": ReassignForm(),
            "can_evaluate": problem.is_appeal
            and problem.state == ProblemState.RESOLVED
            and request.user.has_perm("dispatch.confirm_problem", problem),
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
            if problem.is_appeal and data["to_state"] in RATED:
                # An appeal is confirmed or reopened by the enterprise's evaluation.
                services.appeal_evaluate(
                    appeal=problem,
                    by=request.user,
                    satisfied=data["to_state"] == ProblemState.CONFIRMED,
                    reasons=data.get("note") or "",
                )
            elif problem.is_appeal:
                services.appeal_move(appeal=problem, by=request.user, **data)
            else:
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
    form = SupervisionForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("dispatch:problem", pk=problem.pk)
    try:
        notice = services.supervision_issue(problem=problem, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        report_form_errors(request, form, error)
        return redirect("dispatch:problem", pk=problem.pk)
    messages.success(request, _("Supervision notice %(n)s issued.") % {"n": notice.number})
    return redirect("dispatch:supervision", pk=notice.pk)


def _supervisions(user):

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
    form = SupervisionReplyForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("dispatch:supervision", pk=notice.pk)
    try:
        services.supervision_reply(notice=notice, by=request.user, reply=form.cleaned_data["reply"])
    except ValidationError as error:
        report_form_errors(request, form, error)
    except PermissionDenied:
        messages.error(request, _("You may not do this with this problem."))
    else:
        messages.success(request, _("Reply recorded."))
    return redirect("dispatch:supervision", pk=notice.pk)
