"""Key projects and 五个一: the year's list, the task force, the plan (from a template, dated
on the work calendar) and its milestones."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import Role
from gaoxin.core import audit, workcalendar
from gaoxin.core.locking import save_with_version
from gaoxin.core.models import AuditAction
from gaoxin.dispatch.models import (
    KeyProject,
    Milestone,
    TaskForceMember,
    TaskForceRole,
)
from gaoxin.dispatch.services.base import created, deleted, require, updated
from gaoxin.projects.stages import Stage

__all__ = [
    "key_project_add",
    "key_project_remove",
    "key_project_update",
    "milestone_record",
    "plan_from_template",
    "plan_schedule",
    "task_force_add",
    "task_force_remove",
]


def _check_sponsor(sponsor) -> None:

    if sponsor is None or sponsor.role != Role.LEADER or not sponsor.is_active:
        raise ValidationError({"sponsor": _("The sponsor must be an active zone leader.")})


@transaction.atomic
def key_project_add(
    *, year: int, project, sponsor, lead_department, by, plan_start=None, note: str = ""
):
    """Put a project on a year's key-project list with its sponsor leader and lead department."""

    require(by, "dispatch.add_keyproject")
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
    created(key_project, by)
    return key_project


@transaction.atomic
def key_project_update(*, key_project, by, data: dict, expected_version: int):
    """Change the sponsor, the lead department, the plan's start or the note; a new plan
    start moves the planned dates of the plan."""

    require(by, "dispatch.change_keyproject", key_project)
    before = audit.snapshot(key_project)
    fields = [f for f in ("sponsor", "lead_department", "plan_start", "note") if f in data]
    for field in fields:
        setattr(key_project, field, data[field])
    _check_sponsor(key_project.sponsor)
    save_with_version(key_project, expected_version=expected_version, fields=fields)
    if "plan_start" in fields and before["plan_start"] != audit.snapshot(key_project)["plan_start"]:
        plan_schedule(key_project)
    updated(key_project, by, before)
    return key_project


@transaction.atomic
def key_project_remove(*, key_project, by) -> None:
    """Take a project off a year's list (reconciliation); only while nothing hangs on it."""
    require(by, "dispatch.add_keyproject")
    if key_project.reports.exists() or key_project.matters.exists():
        raise ValidationError(
            _("Reports or service matters are recorded for this key project; it stays listed.")
        )
    deleted(key_project, by)
    key_project.delete()


@transaction.atomic
def task_force_add(*, key_project, user, role: str, duty: str = "", by):

    require(by, "dispatch.change_keyproject", key_project)
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
    created(member, by)
    return member


@transaction.atomic
def task_force_remove(*, member, by) -> None:
    require(by, "dispatch.change_keyproject", member.key_project)
    deleted(member, by)
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

    require(by, "dispatch.change_keyproject", key_project)
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
    updated(key_project, by, before)
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

    require(by, "dispatch.change_keyproject", milestone.key_project)
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
    updated(milestone, by, before)
    return milestone
