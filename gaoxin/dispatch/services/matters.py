"""1+N service matters: a matter with each department's part, and the log of actions."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core import audit, workcalendar
from gaoxin.dispatch.models import (
    MatterAction,
    MatterMode,
    MatterPart,
    MatterState,
    ServiceMatter,
)
from gaoxin.dispatch.services.base import created, require, updated

__all__ = [
    "matter_act",
    "matter_add",
]


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

    require(by, "dispatch.change_keyproject", key_project)
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
    created(matter, by)
    return matter


@transaction.atomic
def matter_act(*, matter, by, note: str, part=None, part_done: bool = False):
    """Log an action on a matter; a department may mark its part done. The matter is done
    when every part is."""

    matter = ServiceMatter.objects.select_for_update().get(pk=matter.pk)
    require(by, "dispatch.change_servicematter", matter)
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
    updated(matter, by, before)
    return matter
