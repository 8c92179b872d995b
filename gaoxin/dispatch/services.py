"""The problem workflow, defined in one place: who may move a problem where, and the clock."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core import audit, workcalendar
from gaoxin.core.models import AuditAction
from gaoxin.dispatch.models import OPEN_STATES, Problem, ProblemKind, ProblemState, ProblemStep

S = ProblemState
# state -> {next state: permission needed}
TRANSITIONS: dict[str, dict[str, str]] = {
    S.SUBMITTED: {S.ACCEPTED: "dispatch.change_problem"},
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
    """Move a problem to its next state; illegal moves are refused with the possible ones."""
    problem = Problem.objects.select_for_update().select_related("project").get(pk=problem.pk)
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
    before = _snapshot(problem)
    if to_state == S.ACCEPTED:
        problem.department = department or problem.department
        if problem.department is None:
            raise ValidationError({"department": _("Assign the problem to a department.")})
        if limit_days is None or not 1 <= limit_days <= MAX_LIMIT_DAYS:
            raise ValidationError(
                {
                    "limit_days": _("Give a time limit between 1 and %(n)d working days.")
                    % {"n": MAX_LIMIT_DAYS}
                }
            )
    # The permission is checked against the problem as it will be handled (its department).
    if not by.has_perm(allowed[to_state], problem):
        raise PermissionDenied
    if to_state == S.ACCEPTED:
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


# --- lights and escalation -----------------------------------------------------------------

GREEN, YELLOW, RED = "green", "yellow", "red"
YELLOW_WITHIN_DAYS = 2  # working days before the deadline


def signal(problem: Problem, today: dt.date | None = None) -> str:
    """Green on track, yellow near its deadline, red overdue (closed problems are green)."""
    today = today or timezone.localdate()
    if problem.state not in OPEN_STATES or problem.deadline is None:
        return GREEN
    if problem.deadline < today:
        return RED
    if workcalendar.working_days_between(today, problem.deadline).value <= YELLOW_WITHIN_DAYS:
        return YELLOW
    return GREEN


def escalate_overdue(today: dt.date | None = None) -> int:
    """Escalate overdue problems once per level: 1 → the department's head, 2 (three working
    days later) → the zone's leaders. Safe to run any number of times. Returns new escalations."""
    from gaoxin.accounts.models import Role, User
    from gaoxin.core.notifications import notify

    today = today or timezone.localdate()
    count = 0
    overdue = (
        Problem.objects.open()
        .filter(deadline__lt=today)
        .select_related("department__head", "project")
    )
    leaders = list(User.objects.filter(role=Role.LEADER, is_active=True))
    for problem in overdue:
        late = workcalendar.working_days_between(problem.deadline, today).value
        levels = [1] + ([2] if late >= 3 else [])
        for level in levels:
            try:
                with transaction.atomic():
                    ProblemStep.objects.create(
                        problem=problem, escalation_level=level, note=f"overdue {late} working days"
                    )
            except IntegrityError:
                continue  # this level was escalated before
            count += 1
            recipients = (
                [problem.department.head]
                if level == 1 and problem.department and problem.department.head
                else leaders
                if level == 2
                else []
            )
            for user in recipients:
                notify(
                    user=user,
                    key=f"problem-{problem.pk}-escalation-{level}",
                    title=_("Overdue problem: %(title)s") % {"title": problem.title},
                    body=_("%(project)s — due %(date)s, %(n)d working days late.")
                    % {"project": problem.project.name, "date": problem.deadline, "n": late},
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
    from gaoxin.core.notifications import notify
    from gaoxin.dispatch.models import Supervision

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
    import uuid

    today = timezone.localdate()
    notice = Supervision.objects.create(
        problem=problem,
        number=uuid.uuid4().hex[:30],
        issued_by=by,
        demand=demand.strip(),
        limit_days=limit_days,
        deadline=workcalendar.add_working_days(today, limit_days).value,
    )
    # Numbered by its id, so two leaders issuing at once never collide.
    notice.number = f"督办〔{today.year}〕{notice.pk:04d}号"
    notice.save(update_fields=["number"])
    audit.record(action=AuditAction.CREATE, obj=notice, by=by, after=audit.snapshot(notice))
    recipients = [problem.department.head] if problem.department and problem.department.head else []
    for user in recipients:
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
    from gaoxin.dispatch.models import Supervision

    notice = (
        Supervision.objects.select_for_update().select_related("problem__project").get(pk=notice.pk)
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


def supervision_signal(notice, today: dt.date | None = None) -> str:
    """Red when the reply is late, yellow in its last working day, green otherwise."""
    today = today or timezone.localdate()
    if notice.replied_at:
        return GREEN
    if notice.deadline < today:
        return RED
    if workcalendar.working_days_between(today, notice.deadline).value <= 1:
        return YELLOW
    return GREEN
