"""The problem workflow, defined in one place: who may move a problem where, escalation
of overdue problems, deadlines, and supervision notices (督办单)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import Role, User
from gaoxin.core import audit, workcalendar
from gaoxin.core.models import AuditAction
from gaoxin.core.notifications import notify
from gaoxin.core.numbering import create_numbered
from gaoxin.dispatch.models import (
    OPEN_STATES,
    KeyProject,
    Problem,
    ProblemKind,
    ProblemState,
    ProblemStep,
    StepKind,
    Supervision,
)

__all__ = [
    "MAX_LIMIT_DAYS",
    "TRANSITIONS",
    "ProblemRefused",
    "escalate_overdue",
    "problem_hand_back",
    "problem_move",
    "problem_raise",
    "problem_reassign",
    "recompute_uncertain_deadlines",
    "supervision_issue",
    "supervision_reply",
]


S = ProblemState
# state -> {next state: permission needed}
TRANSITIONS: dict[str, dict[str, str]] = {
    S.SUBMITTED: {S.ACCEPTED: "dispatch.accept_problem"},
    S.ACCEPTED: {S.IN_PROGRESS: "dispatch.change_problem", S.RESOLVED: "dispatch.change_problem"},
    S.IN_PROGRESS: {S.RESOLVED: "dispatch.change_problem"},
    S.RESOLVED: {S.CONFIRMED: "dispatch.confirm_problem", S.REOPENED: "dispatch.confirm_problem"},
    S.REOPENED: {S.IN_PROGRESS: "dispatch.change_problem", S.RESOLVED: "dispatch.change_problem"},
    S.CONFIRMED: {},
}
MAX_LIMIT_DAYS = 120


def _snapshot(problem: Problem) -> dict:
    return audit.snapshot(problem)


@transaction.atomic
def problem_raise(
    *, project, by, kind: str, title: str, description: str, department=None
) -> Problem:
    if not by.has_perm("dispatch.add_problem", project):
        raise PermissionDenied
    if kind not in ProblemKind.values:
        raise ValidationError({"kind": _("Unknown kind.")})
    problem = Problem(
        project=project,
        enterprise_id=project.enterprise_id,
        raised_by=by,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        department=department,
    )
    problem.full_clean()
    problem.save()
    ProblemStep.objects.create(problem=problem, to_state=S.SUBMITTED, by=by)
    audit.record(action=AuditAction.CREATE, obj=problem, by=by, after=_snapshot(problem))
    return problem


class ProblemRefused(PermissionDenied):
    """A problem action the user may not take, with the reason in Chinese (403)."""


def _refuse(message) -> None:
    raise ProblemRefused(message)


@transaction.atomic
def problem_move(
    *,
    problem: Problem,
    to_state: str,
    by,
    note: str = "",
    department=None,
    limit_days: int | None = None,
) -> Problem:
    """Move a problem to its next state; illegal moves are refused with the possible ones.

    The permission is checked on the problem as it is stored (locked), before anything
    changes: accepting never moves a problem to another department — that is
    ``problem_reassign``, the coordinating office's."""
    problem = (
        Problem.objects.select_for_update(of=("self",))
        .select_related("project", "department")
        .get(pk=problem.pk)
    )
    allowed = TRANSITIONS[problem.state]
    if to_state not in allowed:
        names = "、".join(str(S(s).label) for s in allowed) or "—"
        raise ValidationError(
            {
                "to_state": _(
                    "A problem that is “%(current)s” cannot become “%(target)s”. "
                    "Possible: %(allowed)s."
                )
                % {
                    "current": S(problem.state).label,
                    "target": S(to_state).label if to_state in S.values else to_state,
                    "allowed": names,
                }
            }
        )
    if not by.has_perm(allowed[to_state], problem):
        if to_state == S.ACCEPTED:
            _refuse(_("Only the department the problem is assigned to may accept it."))
        raise PermissionDenied
    before = _snapshot(problem)
    if to_state == S.ACCEPTED:
        if problem.department is None:
            raise ValidationError(
                {
                    "department": _(
                        "The coordinating office assigns the problem to a department first."
                    )
                }
            )
        if department is not None and department.pk != problem.department_id:
            _refuse(
                _(
                    "Accepting does not move a problem to another department; only the "
                    "coordinating office may do that."
                )
            )
        if limit_days is None or not 1 <= limit_days <= MAX_LIMIT_DAYS:
            raise ValidationError(
                {
                    "limit_days": _("Give a time limit between 1 and %(n)d working days.")
                    % {"n": MAX_LIMIT_DAYS}
                }
            )
        result = workcalendar.add_working_days(timezone.localdate(), limit_days)
        problem.limit_days = limit_days
        problem.deadline, problem.deadline_certain = result.value, result.certain
    if to_state == S.RESOLVED:
        if not note.strip():
            raise ValidationError({"note": _("Say how the problem was resolved.")})
        problem.resolution = note.strip()
    if to_state == S.REOPENED and not note.strip():
        raise ValidationError({"note": _("Say what is still wrong.")})
    from_state = problem.state
    problem.state = to_state
    problem.version += 1
    problem.save()
    ProblemStep.objects.create(
        problem=problem, from_state=from_state, to_state=to_state, note=note.strip(), by=by
    )
    audit.record(
        action=AuditAction.UPDATE, obj=problem, by=by, before=before, after=_snapshot(problem)
    )
    return problem


def _route(problem: Problem, *, by, department, kind: str, reason: str) -> Problem:
    """Give an open problem to ``department`` (None: back to the coordinating office), back to
    “submitted” so that its new department accepts it and sets its own time limit; the reason
    goes into the problem's log and the audit entry."""
    if problem.state not in OPEN_STATES:
        raise ValidationError(_("Only an open problem can be moved."))
    if not reason.strip():
        raise ValidationError({"note": _("Give the reason.")})
    before = _snapshot(problem)
    from_state, from_department = problem.state, problem.department
    problem.department = department
    problem.state = S.SUBMITTED
    problem.limit_days = problem.deadline = None
    problem.deadline_certain = True
    problem.version += 1
    problem.save()
    ProblemStep.objects.create(
        problem=problem,
        kind=kind,
        from_state=from_state,
        to_state=S.SUBMITTED,
        department=department if kind == StepKind.REASSIGN else from_department,
        note=reason.strip(),
        by=by,
    )
    audit.record(
        action=AuditAction.UPDATE,
        obj=problem,
        by=by,
        before=before,
        after={**_snapshot(problem), "reason": reason.strip(), "step": kind},
    )
    return problem


@transaction.atomic
def problem_hand_back(*, problem: Problem, by, reason: str) -> Problem:
    """The assigned department hands a problem back (not its business): it returns to the
    coordinating office unassigned, with the reason."""
    problem = (
        Problem.objects.select_for_update(of=("self",)).select_related("project").get(pk=problem.pk)
    )
    if not by.has_perm("dispatch.accept_problem", problem):
        _refuse(_("Only the department the problem is assigned to may hand it back."))
    return _route(problem, by=by, department=None, kind=StepKind.HAND_BACK, reason=reason)


@transaction.atomic
def problem_reassign(*, problem: Problem, by, department, reason: str) -> Problem:
    """The coordinating office moves a problem to another department, with the reason."""
    problem = (
        Problem.objects.select_for_update(of=("self",)).select_related("project").get(pk=problem.pk)
    )
    if not by.has_perm("dispatch.reassign_problem", problem):
        _refuse(_("Only the coordinating office may move a problem to another department."))
    if department is None or not department.is_active:
        raise ValidationError({"department": _("Choose an active department.")})
    if department.pk == problem.department_id:
        raise ValidationError({"department": _("The problem is with this department already.")})
    return _route(problem, by=by, department=department, kind=StepKind.REASSIGN, reason=reason)


def escalate_overdue(today: dt.date | None = None) -> int:
    """Escalate overdue problems once per level: 1 → the assigned department's head (and the
    key project's lead department's head), 2 (three working days later) → the key project's
    sponsor leader, or the zone's leaders for a project not on a key list. Safe to run any
    number of times. Returns new escalations."""

    today = today or timezone.localdate()
    count = 0
    overdue = list(
        Problem.objects.open()
        .filter(deadline__lt=today)
        .select_related("department__head", "project", "enterprise")
    )
    listings: dict[int, list] = {}
    for kp in (
        KeyProject.objects.filter(
            project__in=[p.project_id for p in overdue if p.project_id],
            year__in=(today.year, today.year - 1),
        )
        .select_related("sponsor", "lead_department__head")
        .order_by("-year")
    ):
        listings.setdefault(kp.project_id, []).append(kp)
    leaders = list(User.objects.filter(role=Role.LEADER, is_active=True))
    for problem in overdue:
        late = workcalendar.working_days_between(problem.deadline, today).value
        levels = [1] + ([2] if late >= 3 else [])
        key_project = (listings.get(problem.project_id) or [None])[0]
        for level in levels:
            try:
                with transaction.atomic():
                    ProblemStep.objects.create(
                        problem=problem,
                        kind=StepKind.ESCALATION,
                        escalation_level=level,
                        note=_("Overdue by %(n)d working days.") % {"n": late},
                    )
            except IntegrityError:
                continue  # this level was escalated before
            count += 1
            if level == 1:
                recipients = {
                    d.head
                    for d in (problem.department, key_project and key_project.lead_department)
                    if d and d.head
                }
            else:
                recipients = {key_project.sponsor} if key_project else set(leaders)
            for user in recipients:
                if not user.has_perm("dispatch.view_internal"):  # escalations are internal
                    continue
                notify(
                    user=user,
                    key=f"problem-{problem.pk}-escalation-{level}",
                    title=_("Overdue problem: %(title)s") % {"title": problem.title},
                    body=_("%(project)s — due %(date)s, %(n)d working days late.")
                    % {"project": str(problem.subject), "date": problem.deadline, "n": late},
                    link=f"/dispatch/problems/{problem.pk}/",
                )
    return count


def recompute_uncertain_deadlines() -> int:
    """Deadlines set while their year's holiday schedule was unknown are recomputed once it is
    known (from the acceptance date and the limit). Returns how many changed."""
    changed = 0
    pending = Problem.objects.filter(deadline_certain=False, limit_days__isnull=False)
    for problem in pending:
        accepted = (
            problem.steps.filter(to_state=S.ACCEPTED)
            .order_by("-at")
            .values_list("at", flat=True)
            .first()
        )
        if accepted is None:
            continue
        result = workcalendar.add_working_days(
            timezone.localtime(accepted).date(), problem.limit_days
        )
        if result.certain:
            before = _snapshot(problem)
            Problem.objects.filter(pk=problem.pk).update(
                deadline=result.value, deadline_certain=True
            )
            problem.deadline, problem.deadline_certain = result.value, True
            audit.record(
                action=AuditAction.UPDATE,
                obj=problem,
                by=None,
                before=before,
                after=_snapshot(problem),
            )
            changed += 1
    return changed


@transaction.atomic
def supervision_issue(*, problem: Problem, by, demand: str, limit_days: int):
    """A leader issues a supervision notice (督办单) on an open problem."""

    if not by.has_perm("dispatch.add_supervision"):
        raise PermissionDenied
    problem = Problem.objects.select_related("department__head").get(pk=problem.pk)
    if problem.state not in OPEN_STATES:
        raise ValidationError(_("Only an open problem can be supervised."))
    if not demand.strip():
        raise ValidationError({"demand": _("Say what the department must do.")})
    if not 1 <= limit_days <= MAX_LIMIT_DAYS:
        raise ValidationError(
            {
                "limit_days": _("Give a time limit between 1 and %(n)d working days.")
                % {"n": MAX_LIMIT_DAYS}
            }
        )

    today = timezone.localdate()
    # Numbered by its key, so two leaders issuing at once never collide.
    notice = create_numbered(
        Supervision,
        pattern=f"督办〔{today.year}〕{{pk:04d}}号",
        problem=problem,
        issued_by=by,
        demand=demand.strip(),
        limit_days=limit_days,
        deadline=workcalendar.add_working_days(today, limit_days).value,
    )
    audit.record(action=AuditAction.CREATE, obj=notice, by=by, after=audit.snapshot(notice))
    recipients = [problem.department.head] if problem.department and problem.department.head else []
    for user in recipients:
        if not user.has_perm("dispatch.view_internal"):  # a notice is internal
            continue
        notify(
            user=user,
            key=f"supervision-{notice.pk}",
            title=_("Supervision notice %(n)s") % {"n": notice.number},
            body=notice.demand,
            link=f"/dispatch/supervisions/{notice.pk}/",
        )
    return notice


@transaction.atomic
def supervision_reply(*, notice, by, reply: str):

    notice = (
        Supervision.objects.select_for_update(of=("self",))
        .select_related("problem__project")
        .get(pk=notice.pk)
    )
    if not by.has_perm("dispatch.reply_supervision", notice.problem):
        raise PermissionDenied
    if notice.replied_at:
        raise ValidationError(_("This notice has been answered already."))
    if not reply.strip():
        raise ValidationError({"reply": _("Write the reply.")})
    before = audit.snapshot(notice)
    notice.reply, notice.replied_by, notice.replied_at = reply.strip(), by, timezone.now()
    notice.save()
    audit.record(
        action=AuditAction.UPDATE, obj=notice, by=by, before=before, after=audit.snapshot(notice)
    )
    return notice
