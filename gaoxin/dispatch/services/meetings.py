"""Dispatch meetings and the decision tasks they hand out."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core import audit, workcalendar
from gaoxin.core.notifications import notify
from gaoxin.dispatch.models import (
    DecisionTask,
    DispatchMeeting,
)
from gaoxin.dispatch.services.base import created, require, updated

__all__ = [
    "decision_add",
    "decision_complete",
    "meeting_record",
]


@transaction.atomic
def meeting_record(*, title: str, held_on: dt.date, chaired_by, attendees, minutes: str, by):

    require(by, "dispatch.add_dispatchmeeting")
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
    created(meeting, by)
    return meeting


@transaction.atomic
def decision_add(
    *, meeting, by, decision: str, owner, deadline: dt.date, department=None, key_project=None
):
    """A meeting's decision becomes a task with an owner and a deadline; the owner is told."""

    require(by, "dispatch.add_dispatchmeeting")
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
    created(task, by)
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

    task = DecisionTask.objects.select_for_update().get(pk=task.pk)
    require(by, "dispatch.change_decisiontask", task)
    if task.done_on:
        raise ValidationError(_("This task is done already."))
    if not result.strip():
        raise ValidationError({"result": _("Say what was done.")})
    before = audit.snapshot(task)
    task.done_on, task.result = timezone.localdate(), result.strip()
    task.save()
    updated(task, by, before)
    return task
