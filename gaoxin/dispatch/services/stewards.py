"""Stewards (项目管家): handing a project over (the history is the project register's) and
the steward's service log."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core import workcalendar
from gaoxin.dispatch.models import (
    ServiceLogEntry,
)
from gaoxin.dispatch.services.base import created, require
from gaoxin.projects import services as projects_services
from gaoxin.projects.stages import phase_of

__all__ = [
    "service_log_add",
    "steward_change",
]


def steward_change(*, project, to_steward, by, note: str):
    """Hand a project over to another steward, with a note for the successor. The project
    register owns the steward and its history; this is dispatch's door to it."""
    require(by, "dispatch.add_stewardhandover", project)
    return projects_services.steward_hand_over(
        project=project, to_steward=to_steward, by=by, note=note
    )


@transaction.atomic
def service_log_add(*, project, by, on: dt.date, note: str):
    """The steward writes down a service given to the project, in its current phase."""

    require(by, "dispatch.add_servicelogentry", project)
    workcalendar.check_range(on, "on")
    if on > timezone.localdate():
        raise ValidationError({"on": _("This date lies in the future.")})
    if not note.strip():
        raise ValidationError({"note": _("Say what service was given.")})
    entry = ServiceLogEntry.objects.create(
        project=project, steward=by, phase=phase_of(project.stage), on=on, note=note.strip()
    )
    created(entry, by)
    return entry
