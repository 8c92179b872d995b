"""The problem workflow, defined in one place: who may move a problem where, and the clock."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core import audit, workcalendar
from gaoxin.core.models import AuditAction
from gaoxin.dispatch.models import (
    OPEN_STATES,
    Problem,
    ProblemKind,
    ProblemState,
    ProblemStep,
    StepKind,
)

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
        Problem.objects.select_for_update()
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
    problem = Problem.objects.select_for_update().select_related("project").get(pk=problem.pk)
    if not by.has_perm("dispatch.accept_problem", problem):
        _refuse(_("Only the department the problem is assigned to may hand it back."))
    return _route(problem, by=by, department=None, kind=StepKind.HAND_BACK, reason=reason)


@transaction.atomic
def problem_reassign(*, problem: Problem, by, department, reason: str) -> Problem:
    """The coordinating office moves a problem to another department, with the reason."""
    problem = Problem.objects.select_for_update().select_related("project").get(pk=problem.pk)
    if not by.has_perm("dispatch.reassign_problem", problem):
        _refuse(_("Only the coordinating office may move a problem to another department."))
    if department is None or not department.is_active:
        raise ValidationError({"department": _("Choose an active department.")})
    if department.pk == problem.department_id:
        raise ValidationError({"department": _("The problem is with this department already.")})
    return _route(problem, by=by, department=department, kind=StepKind.REASSIGN, reason=reason)


# --- lights and escalation -----------------------------------------------------------------

GREEN, YELLOW, RED = "green", "yellow", "red"


def signal(problem: Problem, today: dt.date | None = None) -> str:
    """Green on track, yellow near its deadline, red overdue (closed problems are green)."""
    today = today or timezone.localdate()
    if problem.state not in OPEN_STATES or problem.deadline is None:
        return GREEN
    if problem.deadline < today:
        return RED
    within = light_settings().yellow_within_days
    if workcalendar.working_days_between(today, problem.deadline).value <= within:
        return YELLOW
    return GREEN


def escalate_overdue(today: dt.date | None = None) -> int:
    """Escalate overdue problems once per level: 1 → the assigned department's head (and the
    key project's lead department's head), 2 (three working days later) → the key project's
    sponsor leader, or the zone's leaders for a project not on a key list. Safe to run any
    number of times. Returns new escalations."""
    from gaoxin.accounts.models import Role, User
    from gaoxin.core.notifications import notify
    from gaoxin.dispatch.models import KeyProject

    today = today or timezone.localdate()
    count = 0
    overdue = list(
        Problem.objects.open()
        .filter(deadline__lt=today)
        .select_related("department__head", "project")
    )
    listings: dict[int, list] = {}
    for kp in (
        KeyProject.objects.filter(
            project__in=[p.project_id for p in overdue], year__in=(today.year, today.year - 1)
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
                        note=f"overdue {late} working days",
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


# --- key projects and 五个一 -----------------------------------------------------------------


def _created(obj, by):
    audit.record(action=AuditAction.CREATE, obj=obj, by=by, after=audit.snapshot(obj))


def _updated(obj, by, before):
    audit.record(
        action=AuditAction.UPDATE, obj=obj, by=by, before=before, after=audit.snapshot(obj)
    )


def _deleted(obj, by):
    audit.record(action=AuditAction.DELETE, obj=obj, by=by, before=audit.snapshot(obj))


def _require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _check_sponsor(sponsor) -> None:
    from gaoxin.accounts.models import Role

    if sponsor is None or sponsor.role != Role.LEADER or not sponsor.is_active:
        raise ValidationError({"sponsor": _("The sponsor must be an active zone leader.")})


@transaction.atomic
def key_project_add(
    *, year: int, project, sponsor, lead_department, by, plan_start=None, note: str = ""
):
    """Put a project on a year's key-project list with its sponsor leader and lead department."""
    from gaoxin.dispatch.models import KeyProject
    from gaoxin.projects.stages import Stage

    _require(by, "dispatch.add_keyproject")
    if not 2000 <= year <= 2999:
        raise ValidationError({"year": _("Give a year between 2000 and 2999.")})
    if project.stage == Stage.DROPPED:
        raise ValidationError({"project": _("A dropped project cannot be a key project.")})
    _check_sponsor(sponsor)
    if lead_department is None:
        raise ValidationError({"lead_department": _("Choose the lead department.")})
    if KeyProject.objects.filter(year=year, project=project).exists():
        raise ValidationError(
            {"project": _("This project is already on the %(year)d list.") % {"year": year}}
        )
    key_project = KeyProject.objects.create(
        year=year,
        project=project,
        sponsor=sponsor,
        lead_department=lead_department,
        plan_start=plan_start,
        note=note.strip(),
    )
    _created(key_project, by)
    return key_project


@transaction.atomic
def key_project_update(*, key_project, by, data: dict, expected_version: int):
    """Change the sponsor, the lead department, the plan's start or the note; a new plan
    start moves the planned dates of the plan."""
    from gaoxin.core.locking import save_with_version

    _require(by, "dispatch.change_keyproject", key_project)
    before = audit.snapshot(key_project)
    fields = [f for f in ("sponsor", "lead_department", "plan_start", "note") if f in data]
    for field in fields:
        setattr(key_project, field, data[field])
    _check_sponsor(key_project.sponsor)
    save_with_version(key_project, expected_version=expected_version, fields=fields)
    if "plan_start" in fields and before["plan_start"] != audit.snapshot(key_project)["plan_start"]:
        plan_schedule(key_project)
    _updated(key_project, by, before)
    return key_project


@transaction.atomic
def key_project_remove(*, key_project, by) -> None:
    """Take a project off a year's list (reconciliation); only while nothing hangs on it."""
    _require(by, "dispatch.add_keyproject")
    if key_project.reports.exists() or key_project.matters.exists():
        raise ValidationError(
            _("Reports or service matters are recorded for this key project; it stays listed.")
        )
    _deleted(key_project, by)
    key_project.delete()


@transaction.atomic
def task_force_add(*, key_project, user, role: str, duty: str = "", by):
    from gaoxin.dispatch.models import TaskForceMember, TaskForceRole

    _require(by, "dispatch.change_keyproject", key_project)
    # Zone staff (not an agent): the task force reads the project's internal records.
    if user is None or not user.is_active or not user.has_perm("dispatch.view_internal"):
        raise ValidationError({"user": _("Task force members are active zone staff.")})
    if role not in TaskForceRole.values:
        raise ValidationError({"role": _("Unknown role.")})
    if key_project.task_force.filter(user=user).exists():
        raise ValidationError(
            {"user": _("%(name)s is already in the task force.") % {"name": user}}
        )
    member = TaskForceMember.objects.create(
        key_project=key_project, user=user, role=role, duty=duty.strip()
    )
    _created(member, by)
    return member


@transaction.atomic
def task_force_remove(*, member, by) -> None:
    _require(by, "dispatch.change_keyproject", member.key_project)
    _deleted(member, by)
    member.delete()


def plan_schedule(key_project) -> None:
    """Planned dates from the plan's start, the dependencies and the durations in working days:
    a step starts on the working day after its last predecessor ends (or on the plan's start)
    and ends after its duration. Steps are ordered so predecessors come first."""
    milestones = list(key_project.milestones.prefetch_related("depends_on").order_by("order"))
    if not milestones or key_project.plan_start is None:
        return
    ends: dict[int, dt.date] = {}
    certain: dict[int, bool] = {}
    for milestone in milestones:
        deps = [d.pk for d in milestone.depends_on.all()]
        if deps:
            start = workcalendar.add_working_days(max(ends[d] for d in deps), 1)
            sure = all(certain[d] for d in deps)
        else:
            start = workcalendar.add_working_days(key_project.plan_start, 0)
            sure = True
        end = workcalendar.add_working_days(start.value, max(milestone.duration_days - 1, 0))
        milestone.planned_start, milestone.planned_end = start.value, end.value
        milestone.planned_certain = sure and start.certain and end.certain
        ends[milestone.pk], certain[milestone.pk] = end.value, milestone.planned_certain
    type(milestones[0]).objects.bulk_update(
        milestones, ["planned_start", "planned_end", "planned_certain"]
    )


@transaction.atomic
def plan_from_template(*, key_project, template, start: dt.date, by):
    """Lay out the implementation plan from a template's node flow, dated from ``start``."""
    from gaoxin.dispatch.models import Milestone

    _require(by, "dispatch.change_keyproject", key_project)
    workcalendar.check_range(start, "start")
    if key_project.milestones.filter(actual_start__isnull=False).exists():
        raise ValidationError(
            _("Work has been recorded against the current plan; it cannot be replaced.")
        )
    before = audit.snapshot(key_project)
    key_project.milestones.all().delete()
    steps = list(template.steps.prefetch_related("depends_on").order_by("order"))
    made = {}
    for step in steps:
        made[step.pk] = Milestone.objects.create(
            key_project=key_project,
            order=step.order,
            name=step.name,
            duration_days=step.duration_days,
            marks_start=step.marks_start,
            planned_start=start,
            planned_end=start,
        )
    for step in steps:
        made[step.pk].depends_on.set([made[d.pk] for d in step.depends_on.all()])
    key_project.plan_start = start
    key_project.version += 1
    key_project.save(update_fields=["plan_start", "version", "updated_at"])
    plan_schedule(key_project)
    _updated(key_project, by, before)
    audit.record(
        action=AuditAction.UPDATE,
        obj=key_project,
        by=by,
        before=None,
        after={"plan_from_template": template.name, "milestones": len(steps)},
    )
    return key_project


@transaction.atomic
def milestone_record(
    *, milestone, by, actual_start=None, actual_end=None, note: str = "", expected_version: int
):
    """Record when a milestone actually started and finished (never in the future)."""
    from gaoxin.core.locking import save_with_version

    _require(by, "dispatch.change_keyproject", milestone.key_project)
    today = timezone.localdate()
    for field, value in (("actual_start", actual_start), ("actual_end", actual_end)):
        if value is not None and value > today:
            raise ValidationError({field: _("This date lies in the future.")})
    if actual_end is not None and actual_start is None:
        raise ValidationError({"actual_start": _("Give the start as well.")})
    if actual_end is not None and actual_end < actual_start:
        raise ValidationError({"actual_end": _("The end lies before the start.")})
    before = audit.snapshot(milestone)
    milestone.actual_start, milestone.actual_end = actual_start, actual_end
    milestone.note = note.strip()[:300]
    save_with_version(
        milestone, expected_version=expected_version, fields=["actual_start", "actual_end", "note"]
    )
    _updated(milestone, by, before)
    return milestone


# --- 1+N service matters ---------------------------------------------------------------------


@transaction.atomic
def matter_add(
    *,
    key_project,
    by,
    title: str,
    mode: str,
    deadline: dt.date,
    parts: list[tuple],
    description: str = "",
):
    """Open a service matter with each department's part; joint handling needs two or more."""
    from gaoxin.dispatch.models import MatterMode, MatterPart, ServiceMatter

    _require(by, "dispatch.change_keyproject", key_project)
    if mode not in MatterMode.values:
        raise ValidationError({"mode": _("Unknown mode.")})
    if not title.strip():
        raise ValidationError({"title": _("Give the matter a title.")})
    workcalendar.check_range(deadline, "deadline")
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The deadline lies in the past.")})
    departments = [d for d, _task in parts]
    if not departments:
        raise ValidationError({"departments": _("Name the department(s) involved.")})
    if len(set(departments)) != len(departments):
        raise ValidationError({"departments": _("A department is named twice.")})
    if mode == MatterMode.JOINT and len(departments) < 2:
        raise ValidationError(
            {"departments": _("Joint handling involves two or more departments.")}
        )
    matter = ServiceMatter.objects.create(
        key_project=key_project,
        title=title.strip(),
        mode=mode,
        description=description.strip(),
        deadline=deadline,
    )
    for department, task in parts:
        MatterPart.objects.create(matter=matter, department=department, task=(task or "").strip())
    _created(matter, by)
    return matter


@transaction.atomic
def matter_act(*, matter, by, note: str, part=None, part_done: bool = False):
    """Log an action on a matter; a department may mark its part done. The matter is done
    when every part is."""
    from gaoxin.dispatch.models import MatterAction, MatterState, ServiceMatter

    matter = ServiceMatter.objects.select_for_update().get(pk=matter.pk)
    _require(by, "dispatch.change_servicematter", matter)
    if matter.state == MatterState.DONE:
        raise ValidationError(_("This matter is done."))
    if not note.strip():
        raise ValidationError({"note": _("Say what was done.")})
    if part is not None and part.matter_id != matter.pk:
        raise ValidationError({"part": _("This part belongs to another matter.")})
    if part_done:
        if part is None:
            raise ValidationError({"part": _("Say which department's part is done.")})
        if not (by.is_superuser or by.role == "admin" or part.department_id == by.department_id):
            raise PermissionDenied
        if part.done_on:
            raise ValidationError({"part": _("This part is done already.")})
    before = audit.snapshot(matter)
    MatterAction.objects.create(matter=matter, part=part, note=note.strip(), by=by)
    if part_done:
        part.done_on = timezone.localdate()
        part.save(update_fields=["done_on"])
        if not matter.parts.filter(done_on__isnull=True).exists():
            matter.state, matter.done_on = MatterState.DONE, part.done_on
    matter.version += 1
    matter.save()
    _updated(matter, by, before)
    return matter


# --- progress dispatch -----------------------------------------------------------------------


@transaction.atomic
def period_open(*, kind: str, start: dt.date, by, due: dt.date | None = None):
    """Open a week (from a Monday) or a month (from its first day) for progress reports; the
    reports are due on the first working day after it unless another day is given."""
    import calendar

    from gaoxin.dispatch.models import DispatchPeriod, KeyProject, PeriodKind

    _require(by, "dispatch.add_dispatchperiod")
    workcalendar.check_range(start, "start")
    if kind == PeriodKind.WEEK:
        if start.weekday() != 0:
            raise ValidationError({"start": _("A week starts on a Monday.")})
        end = start + dt.timedelta(days=6)
    elif kind == PeriodKind.MONTH:
        if start.day != 1:
            raise ValidationError({"start": _("A month starts on its first day.")})
        end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
    else:
        raise ValidationError({"kind": _("Unknown kind.")})
    due = due or workcalendar.add_working_days(end, 1).value
    if due < start:
        raise ValidationError({"due": _("Reports cannot be due before the period starts.")})
    if DispatchPeriod.objects.filter(kind=kind, start=start).exists():
        raise ValidationError({"start": _("This period is open already.")})
    period = DispatchPeriod.objects.create(kind=kind, start=start, end=end, due=due, opened_by=by)
    _created(period, by)
    # Tell each lead department's head that its key projects must report.
    from gaoxin.core.notifications import notify

    heads = {
        kp.lead_department.head
        for kp in KeyProject.objects.filter(year=start.year).select_related("lead_department__head")
        if kp.lead_department.head
    }
    for head in heads:
        notify(
            user=head,
            key=f"period-{period.pk}-open",
            title=_("Progress reports due %(date)s") % {"date": due.isoformat()},
            body=_("Report the progress of your key projects for %(period)s.") % {"period": period},
            link=f"/dispatch/periods/{period.pk}/",
        )
    return period


@transaction.atomic
def report_file(*, period, key_project, by, done: str, next: str, problems: str = ""):
    """File (or amend) a key project's progress report for a period. Lateness is judged by the
    first filing."""
    from gaoxin.dispatch.models import ProgressReport

    _require(by, "dispatch.add_progressreport", key_project)
    if key_project.year != period.start.year:
        raise ValidationError(
            _("This project is not on the key-project list of %(year)d.")
            % {"year": period.start.year}
        )
    if not done.strip():
        raise ValidationError({"done": _("Say what was done in this period.")})
    if not next.strip():
        raise ValidationError({"next": _("Say what comes next.")})
    existing = (
        ProgressReport.objects.select_for_update()
        .filter(period=period, key_project=key_project)
        .first()
    )
    if existing:
        before = audit.snapshot(existing)
        existing.done, existing.next, existing.problems = (
            done.strip(),
            next.strip(),
            problems.strip(),
        )
        existing.save()
        _updated(existing, by, before)
        return existing
    report = ProgressReport.objects.create(
        period=period,
        key_project=key_project,
        done=done.strip(),
        next=next.strip(),
        problems=problems.strip(),
        filed_by=by,
        filed_on=timezone.localdate(),
    )
    _created(report, by)
    return report


@transaction.atomic
def meeting_record(*, title: str, held_on: dt.date, chaired_by, attendees, minutes: str, by):
    from gaoxin.dispatch.models import DispatchMeeting

    _require(by, "dispatch.add_dispatchmeeting")
    if not title.strip():
        raise ValidationError({"title": _("Give the meeting a title.")})
    workcalendar.check_range(held_on, "held_on")
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Record a meeting once it has been held.")})
    attendees = list(attendees)
    if not attendees:
        raise ValidationError({"attendees": _("List who attended.")})
    meeting = DispatchMeeting.objects.create(
        title=title.strip(), held_on=held_on, chaired_by=chaired_by, minutes=minutes.strip()
    )
    meeting.attendees.set(attendees)
    _created(meeting, by)
    return meeting


@transaction.atomic
def decision_add(
    *, meeting, by, decision: str, owner, deadline: dt.date, department=None, key_project=None
):
    """A meeting's decision becomes a task with an owner and a deadline; the owner is told."""
    from gaoxin.core.notifications import notify
    from gaoxin.dispatch.models import DecisionTask

    _require(by, "dispatch.add_dispatchmeeting")
    if not decision.strip():
        raise ValidationError({"decision": _("Write the decision.")})
    if owner is None or not owner.is_active or not owner.has_perm("dispatch.view_internal"):
        raise ValidationError({"owner": _("The owner is an active member of the zone's staff.")})
    workcalendar.check_range(deadline, "deadline")
    if deadline < meeting.held_on:
        raise ValidationError({"deadline": _("The deadline lies before the meeting.")})
    task = DecisionTask.objects.create(
        meeting=meeting,
        decision=decision.strip(),
        owner=owner,
        department=department or owner.department,
        deadline=deadline,
        key_project=key_project,
    )
    _created(task, by)
    notify(
        user=owner,
        key=f"decision-{task.pk}",
        title=_("A task from %(meeting)s") % {"meeting": meeting.title},
        body=_("%(decision)s — due %(date)s") % {"decision": task.decision, "date": deadline},
        link=f"/dispatch/meetings/{meeting.pk}/",
    )
    return task


@transaction.atomic
def decision_complete(*, task, by, result: str):
    from gaoxin.dispatch.models import DecisionTask

    task = DecisionTask.objects.select_for_update().get(pk=task.pk)
    _require(by, "dispatch.change_decisiontask", task)
    if task.done_on:
        raise ValidationError(_("This task is done already."))
    if not result.strip():
        raise ValidationError({"result": _("Say what was done.")})
    before = audit.snapshot(task)
    task.done_on, task.result = timezone.localdate(), result.strip()
    task.save()
    _updated(task, by, before)
    return task


# --- settings of lights and assessment -------------------------------------------------------

LIGHT_SETTINGS_CACHE_KEY = "dispatch-light-settings"


def light_settings():
    """The thresholds (cached; the row is created with its defaults on first use)."""
    from django.core.cache import cache

    from gaoxin.dispatch.models import LightSettings

    found = cache.get(LIGHT_SETTINGS_CACHE_KEY)
    if found is None:
        found, _created_now = LightSettings.objects.get_or_create(pk=1)
        cache.set(LIGHT_SETTINGS_CACHE_KEY, found, 300)
    return found


@transaction.atomic
def light_settings_update(*, by, data: dict, expected_version: int):
    from django.core.cache import cache

    from gaoxin.core.locking import save_with_version

    _require(by, "dispatch.change_lightsettings")
    current = type(light_settings()).objects.get(pk=1)
    before = audit.snapshot(current)
    for field, value in data.items():
        setattr(current, field, value)
    if current.lag_red_points <= current.lag_yellow_points:
        raise ValidationError({"lag_red_points": _("Red must start beyond the yellow threshold.")})
    save_with_version(current, expected_version=expected_version, fields=list(data))
    cache.delete(LIGHT_SETTINGS_CACHE_KEY)
    _updated(current, by, before)
    return current


DEFAULT_WEIGHTS = {
    "signings": 25,
    "starts": 25,
    "visits": 15,
    "problems_on_time": 20,
    "reports_on_time": 15,
}


def assessment_weights() -> dict[str, int]:
    from gaoxin.dispatch.models import AssessmentWeight

    weights = dict(DEFAULT_WEIGHTS)
    weights.update(dict(AssessmentWeight.objects.values_list("indicator", "weight")))
    return weights


@transaction.atomic
def assessment_weights_set(*, by, weights: dict[str, int]) -> dict[str, int]:
    from gaoxin.dispatch.models import AssessmentWeight, Indicator

    _require(by, "dispatch.change_assessmentweight")
    unknown = set(weights) - set(Indicator.values)
    if unknown:
        raise ValidationError(_("Unknown indicator: %(names)s") % {"names": ", ".join(unknown)})
    if any(not 0 <= w <= 100 for w in weights.values()):
        raise ValidationError(_("Each weight lies between 0 and 100."))
    if sum({**assessment_weights(), **weights}.values()) <= 0:
        raise ValidationError(_("At least one weight must be above zero."))
    for indicator, weight in weights.items():
        row = AssessmentWeight.objects.filter(indicator=indicator).first()
        if row is None:
            row = AssessmentWeight.objects.create(indicator=indicator, weight=weight)
            _created(row, by)
        elif row.weight != weight:
            before = audit.snapshot(row)
            row.weight, row.version = weight, row.version + 1
            row.save()
            _updated(row, by, before)
    return assessment_weights()


# --- stewards ------------------------------------------------------------------------------


def phase_of(stage: str) -> str:
    from gaoxin.dispatch.models import Phase
    from gaoxin.projects.stages import Stage

    if stage in (Stage.IN_PRODUCTION, Stage.AT_CAPACITY):
        return Phase.OPERATE
    if stage in (Stage.REGISTERED, Stage.UNDER_CONSTRUCTION):
        return Phase.BUILD
    return Phase.ATTRACT


def steward_handover_record(*, project, from_steward, to_steward, by, note: str = ""):
    """Record a change of steward (called by whatever changes ``Project.steward``)."""
    from gaoxin.core.notifications import notify
    from gaoxin.dispatch.models import StewardHandover

    handover = StewardHandover.objects.create(
        project=project,
        from_steward=from_steward,
        to_steward=to_steward,
        phase=phase_of(project.stage),
        note=note.strip(),
        by=by,
    )
    _created(handover, by)
    if to_steward is not None:
        notify(
            user=to_steward,
            key=f"handover-{handover.pk}",
            title=_("You now steward %(project)s") % {"project": project.name},
            body=note.strip(),
            link=f"/dispatch/projects/{project.pk}/steward/",
        )
    return handover


@transaction.atomic
def steward_change(*, project, to_steward, by, note: str):
    """Hand a project over to another steward, with a note for the successor."""
    from gaoxin.accounts.models import Role
    from gaoxin.projects.models import Project

    _require(by, "dispatch.add_stewardhandover", project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if to_steward is None or to_steward.role != Role.STEWARD or not to_steward.is_active:
        raise ValidationError({"to_steward": _("Choose an active project steward.")})
    if to_steward.pk == project.steward_id:
        raise ValidationError({"to_steward": _("This steward serves the project already.")})
    if not note.strip():
        raise ValidationError({"note": _("Write the handover note for the successor.")})
    before = audit.snapshot(project)
    from_steward = project.steward
    project.steward = to_steward
    project.version += 1
    project.save(update_fields=["steward", "version", "updated_at"])
    _updated(project, by, before)
    return steward_handover_record(
        project=project, from_steward=from_steward, to_steward=to_steward, by=by, note=note
    )


@transaction.atomic
def service_log_add(*, project, by, on: dt.date, note: str):
    """The steward writes down a service given to the project, in its current phase."""
    from gaoxin.dispatch.models import ServiceLogEntry

    _require(by, "dispatch.add_servicelogentry", project)
    workcalendar.check_range(on, "on")
    if on > timezone.localdate():
        raise ValidationError({"on": _("This date lies in the future.")})
    if not note.strip():
        raise ValidationError({"note": _("Say what service was given.")})
    entry = ServiceLogEntry.objects.create(
        project=project, steward=by, phase=phase_of(project.stage), on=on, note=note.strip()
    )
    _created(entry, by)
    return entry


# --- ledger (工作台账) -----------------------------------------------------------------------

LEDGER_FIELDS = ("output_value", "tax", "employees", "investment_completed")


def _check_ledger(project, month: dt.date, data: dict) -> None:
    from gaoxin.projects.stages import Stage

    if project.stage not in (Stage.IN_PRODUCTION, Stage.AT_CAPACITY):
        raise ValidationError(_("The ledger is kept for projects in production."))
    if month.day != 1:
        raise ValidationError({"month": _("Give the month by its first day.")})
    workcalendar.check_range(month, "month")
    if month > timezone.localdate():
        raise ValidationError({"month": _("This month has not begun.")})
    for field in LEDGER_FIELDS:
        value = data.get(field)
        if value is None or value < 0:
            raise ValidationError({field: _("Give a figure of zero or more.")})


@transaction.atomic
def ledger_enter(*, project, month: dt.date, by, data: dict):
    """Enter a month's figures of a project in production (staff, or the enterprise)."""
    from gaoxin.dispatch.models import LedgerEntry

    _require(by, "dispatch.add_ledgerentry", project)
    _check_ledger(project, month, data)
    if LedgerEntry.objects.filter(project=project, month=month).exists():
        raise ValidationError(
            {
                "month": _("%(month)s is entered already; correct it instead.")
                % {"month": f"{month:%Y-%m}"}
            }
        )
    entry = LedgerEntry.objects.create(
        project=project, month=month, entered_by=by, **{f: data[f] for f in LEDGER_FIELDS}
    )
    _created(entry, by)
    return entry


@transaction.atomic
def ledger_correct(*, entry, by, data: dict, expected_version: int):
    from gaoxin.core.locking import save_with_version

    _require(by, "dispatch.add_ledgerentry", entry.project)
    _check_ledger(entry.project, entry.month, data)
    before = audit.snapshot(entry)
    for field in LEDGER_FIELDS:
        setattr(entry, field, data[field])
    entry.entered_by = by
    save_with_version(
        entry, expected_version=expected_version, fields=[*LEDGER_FIELDS, "entered_by"]
    )
    _updated(entry, by, before)
    return entry


# --- reminders and the monthly list ---------------------------------------------------------


def send_reminders(today: dt.date | None = None) -> int:
    """Due-soon and overdue notices to the people responsible, for milestones, service matters,
    decision tasks, progress reports and supervision replies. Each (item, state, person) is
    told once, however often the job runs. Returns how many notices were created."""
    from gaoxin.core.notifications import notify
    from gaoxin.dispatch import selectors
    from gaoxin.dispatch.models import (
        DecisionTask,
        DispatchPeriod,
        MatterState,
        Milestone,
        ServiceMatter,
        Supervision,
    )

    today = today or timezone.localdate()
    sent = 0

    def tell(users, key, title, body, link):
        nonlocal sent
        # Reminders name internal records: zone staff only, never an enterprise or an agent.
        staff = {
            u
            for u in users
            if u is not None and u.is_active and u.has_perm("dispatch.view_internal")
        }
        for user in staff:
            if notify(user=user, key=key, title=title, body=body, link=link):
                sent += 1

    def state_of(deadline, done):
        light = selectors.deadline_light(deadline, done, today)
        return {RED: "overdue", YELLOW: "due-soon"}.get(light)

    def heads(departments):
        return [d.head for d in departments if d is not None]

    milestones = Milestone.objects.filter(
        actual_end__isnull=True, planned_end__lte=today + dt.timedelta(days=31)
    ).select_related("key_project__project__steward", "key_project__lead_department__head")
    for m in milestones:
        state = state_of(m.planned_end, False)
        if state:
            kp = m.key_project
            tell(
                [kp.lead_department.head, kp.project.steward],
                f"milestone-{m.pk}-{state}",
                _("Milestone “%(name)s” of %(project)s is due %(date)s")
                % {"name": m.name, "project": kp.project.name, "date": m.planned_end},
                "",
                f"/dispatch/key-projects/{kp.pk}/",
            )
    for matter in ServiceMatter.objects.filter(state=MatterState.OPEN).prefetch_related(
        "parts__department__head"
    ):
        state = state_of(matter.deadline, False)
        if state:
            tell(
                heads(p.department for p in matter.parts.all() if not p.done_on),
                f"matter-{matter.pk}-{state}",
                _("Service matter “%(title)s” is due %(date)s")
                % {"title": matter.title, "date": matter.deadline},
                "",
                f"/dispatch/matters/{matter.pk}/",
            )
    for task in DecisionTask.objects.open().select_related("owner"):
        state = state_of(task.deadline, False)
        if state:
            tell(
                [task.owner],
                f"task-{task.pk}-{state}",
                _("Task due %(date)s: %(text)s") % {"date": task.deadline, "text": str(task)},
                task.decision,
                f"/dispatch/meetings/{task.meeting_id}/",
            )
    for period in DispatchPeriod.objects.filter(
        due__gte=today - dt.timedelta(days=31), start__lte=today
    ):
        state = state_of(period.due, False)
        if not state:
            continue
        _reports, missing = selectors.reporting_status(period)
        for kp in missing:
            tell(
                [kp.lead_department.head, kp.project.steward],
                f"report-{period.pk}-{kp.pk}-{state}",
                _("Progress report of %(project)s for %(period)s is due %(date)s")
                % {"project": kp.project.name, "period": period, "date": period.due},
                "",
                f"/dispatch/periods/{period.pk}/",
            )
    for notice in Supervision.objects.filter(replied_at__isnull=True).select_related(
        "problem__department__head"
    ):
        state = {RED: "overdue", YELLOW: "due-soon"}.get(supervision_signal(notice, today))
        if state and notice.problem.department:
            tell(
                [notice.problem.department.head],
                f"supervision-{notice.pk}-{state}",
                _("Reply to supervision notice %(n)s is due %(date)s")
                % {"n": notice.number, "date": notice.deadline},
                notice.demand,
                f"/dispatch/supervisions/{notice.pk}/",
            )
    return sent


def publish_light_list(month: dt.date) -> int:
    """Freeze a month's red and yellow key projects (as of its last day) into the published
    list. Publishing the same month again adds nothing. Returns the entries added."""
    import calendar

    from gaoxin.dispatch import selectors
    from gaoxin.dispatch.models import KeyProject, LightListEntry

    month = month.replace(day=1)
    if LightListEntry.objects.filter(month=month).exists():
        return 0
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    rows = selectors.key_project_lights(KeyProject.objects.filter(year=month.year), today=last)
    entries = [
        LightListEntry(month=month, key_project=r.key_project, light=r.light, reasons=r.reasons)
        for r in rows
        if r.light != GREEN
    ]
    LightListEntry.objects.bulk_create(entries, ignore_conflicts=True)
    return len(entries)
