"""The work ledger (工作台账): a project's monthly figures once it is in production."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core import audit, workcalendar
from gaoxin.core.locking import save_with_version
from gaoxin.dispatch.models import (
    LedgerEntry,
)
from gaoxin.dispatch.services.base import created, require, updated
from gaoxin.projects.stages import Stage

__all__ = [
    "LEDGER_FIELDS",
    "ledger_correct",
    "ledger_enter",
]


LEDGER_FIELDS = (
    "output_value",
    "tax",
    "employees",
    "investment_completed",
    "energy_tce",
    "rd_spending",
)
# For the per-mu evaluation (delivery): may be left empty (not reported), never taken as zero.
LEDGER_OPTIONAL = ("energy_tce", "rd_spending")


def _check_ledger(project, month: dt.date, data: dict) -> None:

    if project.stage not in (Stage.IN_PRODUCTION, Stage.AT_CAPACITY):
        raise ValidationError(_("The ledger is kept for projects in production."))
    if month.day != 1:
        raise ValidationError({"month": _("Give the month by its first day.")})
    workcalendar.check_range(month, "month")
    if month > timezone.localdate():
        raise ValidationError({"month": _("This month has not begun.")})
    for field in LEDGER_FIELDS:
        value = data.get(field)
        if value is None and field in LEDGER_OPTIONAL:
            continue
        if value is None or value < 0:
            raise ValidationError({field: _("Give a figure of zero or more.")})


@transaction.atomic
def ledger_enter(*, project, month: dt.date, by, data: dict):
    """Enter a month's figures of a project in production (staff, or the enterprise)."""

    require(by, "dispatch.add_ledgerentry", project)
    _check_ledger(project, month, data)
    if LedgerEntry.objects.filter(project=project, month=month).exists():
        raise ValidationError(
            {
                "month": _("%(month)s is entered already; correct it instead.")
                % {"month": f"{month:%Y-%m}"}
            }
        )
    entry = LedgerEntry.objects.create(
        project=project, month=month, entered_by=by, **{f: data.get(f) for f in LEDGER_FIELDS}
    )
    created(entry, by)
    return entry


@transaction.atomic
def ledger_correct(*, entry, by, data: dict, expected_version: int):

    require(by, "dispatch.add_ledgerentry", entry.project)
    _check_ledger(entry.project, entry.month, data)
    before = audit.snapshot(entry)
    for field in LEDGER_FIELDS:
        setattr(entry, field, data.get(field))
    entry.entered_by = by
    save_with_version(
        entry, expected_version=expected_version, fields=[*LEDGER_FIELDS, "entered_by"]
    )
    updated(entry, by, before)
    return entry
