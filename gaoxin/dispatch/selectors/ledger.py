"""The work ledger (工作台账): projects that keep one, months not entered, a month's lines
with the year to date."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Min, Sum

from gaoxin.dispatch.lights import add_months
from gaoxin.dispatch.models import (
    LedgerEntry,
)
from gaoxin.projects.models import StageEvent
from gaoxin.projects.selectors import project_base
from gaoxin.projects.stages import Stage

__all__ = [
    "LedgerLine",
    "ledger_month",
    "ledger_projects",
    "missing_months",
    "month_start",
    "production_since",
]


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def ledger_projects(user):
    """Projects in production that keep a ledger, as the user may see them."""

    return project_base(user).filter(stage__in=(Stage.IN_PRODUCTION, Stage.AT_CAPACITY))


def production_since(projects) -> dict[int, dt.date]:
    """When each project entered production (its first effective in_production event)."""

    return dict(
        StageEvent.objects.effective()
        .filter(project__in=projects, stage="in_production")
        .values("project")
        .annotate(first=Min("on"))
        .values_list("project", "first")
    )


def missing_months(projects, until: dt.date) -> dict[int, list[dt.date]]:
    """Months from entering production up to ``until``'s month (inclusive) without an entry."""
    projects = list(projects)
    since = production_since([p.pk for p in projects])
    entered = defaultdict(set)
    for project_id, month in LedgerEntry.objects.filter(project__in=projects).values_list(
        "project", "month"
    ):
        entered[project_id].add(month)
    last = month_start(until)
    result = {}
    for project in projects:
        first = since.get(project.pk)
        if first is None:
            continue
        month, gaps = month_start(first), []
        while month <= last:
            if month not in entered[project.pk]:
                gaps.append(month)
            month = add_months(month, 1)
        if gaps:
            result[project.pk] = gaps
    return result


@dataclass
class LedgerLine:
    project: object
    entry: LedgerEntry | None
    year_output: Decimal
    year_tax: Decimal
    year_investment: Decimal


def ledger_month(user, month: dt.date) -> list[LedgerLine]:
    """The month's ledger in its familiar layout: each project's month and year-to-date."""

    projects = list(ledger_projects(user).select_related("enterprise", "cluster").order_by("name"))
    entries = {
        e.project_id: e for e in LedgerEntry.objects.filter(project__in=projects, month=month)
    }
    totals = {
        r["project"]: r
        for r in LedgerEntry.objects.filter(
            project__in=projects, month__range=(month.replace(month=1), month)
        )
        .values("project")
        .annotate(o=Sum("output_value"), t=Sum("tax"), i=Sum("investment_completed"))
        .order_by()
    }
    zero = Decimal(0)
    return [
        LedgerLine(
            p,
            entries.get(p.pk),
            totals.get(p.pk, {}).get("o") or zero,
            totals.get(p.pk, {}).get("t") or zero,
            totals.get(p.pk, {}).get("i") or zero,
        )
        for p in projects
    ]
