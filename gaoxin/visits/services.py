"""Writes of liaison and visits: the yearly plan, a visit's record (raising its appeals through
dispatch's appeal service, channel “visit”), the rules. Atomic, permission-checked, audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core import audit
from gaoxin.core.models import AuditAction
from gaoxin.dispatch.models import AppealChannel
from gaoxin.dispatch.services import appeal_raise
from gaoxin.enterprises.models import Enterprise
from gaoxin.visits.models import PlannedVisit, Visit, VisitKind, VisitRules
from gaoxin.visits.selectors import visit_rules

__all__ = ["plan_generate", "rules_update", "visit_record"]


def _require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


@transaction.atomic
def plan_generate(*, liaison, year: int, by) -> int:
    """The liaison's plan for the year: each enterprise in their care the rules' number of
    times, spread evenly from mid-January. Existing planned days are kept. Returns new rows."""
    _require(by, "visits.change_plan")
    n = visit_rules().visits_per_year
    if n == 0:
        return 0
    days = [dt.date(year, 1, 15) + dt.timedelta(days=round(i * 365 / n)) for i in range(n)]
    enterprises = list(Enterprise.objects.filter(liaison=liaison).values_list("pk", flat=True))
    rows = [
        PlannedVisit(liaison=liaison, enterprise_id=pk, planned_on=day)
        for pk in enterprises
        for day in days
    ]
    before = PlannedVisit.objects.filter(liaison=liaison, planned_on__year=year).count()
    PlannedVisit.objects.bulk_create(rows, ignore_conflicts=True)
    made = PlannedVisit.objects.filter(liaison=liaison, planned_on__year=year).count() - before
    audit.record(
        action=AuditAction.CREATE,
        obj=liaison,
        by=by,
        after={"visit_plan": year, "planned_visits": made, "enterprises": len(enterprises)},
    )
    return made


@transaction.atomic
def visit_record(
    *,
    enterprise: Enterprise,
    by,
    visited_on: dt.date,
    kind: str,
    notes: str,
    met: str = "",
    appeals: list[dict] | tuple = (),
) -> Visit:
    """Record a visit and raise each appeal it brought up (channel “visit”); the earliest open
    planned visit of the enterprise that year is marked done."""
    _require(by, "visits.add_visit")
    if kind not in VisitKind.values:
        raise ValidationError({"kind": _("Choose how the contact was made.")})
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("A visit cannot be recorded in the future.")})
    if not notes.strip():
        raise ValidationError({"notes": _("Write what was discussed.")})
    visit = Visit.objects.create(
        enterprise=enterprise,
        visited_by=by,
        department=by.department,
        visited_on=visited_on,
        kind=kind,
        met=met.strip()[:200],
        notes=notes.strip(),
    )
    raised = [
        appeal_raise(enterprise=enterprise, by=by, channel=AppealChannel.VISIT, **appeal)
        for appeal in appeals
    ]
    visit.appeals.set(raised)
    planned = (
        PlannedVisit.objects.filter(
            enterprise=enterprise, visit__isnull=True, planned_on__year=visited_on.year
        )
        .order_by("planned_on")
        .first()
    )
    if planned:
        PlannedVisit.objects.filter(pk=planned.pk).update(visit=visit)
    audit.record(
        action=AuditAction.CREATE,
        obj=visit,
        by=by,
        after={**audit.snapshot(visit), "appeals": [a.pk for a in raised]},
    )
    return visit


@transaction.atomic
def rules_update(*, by, visits_per_year: int, no_contact_days: int) -> VisitRules:
    _require(by, "visits.change_visitrules")
    if not 0 <= visits_per_year <= 52:
        raise ValidationError({"visits_per_year": _("Between 0 and 52.")})
    if not 1 <= no_contact_days <= 366:
        raise ValidationError({"no_contact_days": _("Between 1 and 366.")})
    rules = VisitRules.objects.select_for_update().get(pk=visit_rules().pk)
    before = audit.snapshot(rules)
    rules.visits_per_year, rules.no_contact_days = visits_per_year, no_contact_days
    rules.version += 1
    rules.save()
    audit.record(
        action=AuditAction.UPDATE, obj=rules, by=by, before=before, after=audit.snapshot(rules)
    )
    return rules
