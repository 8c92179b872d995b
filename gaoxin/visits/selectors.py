"""Reads of liaison and visits: the zone's rules, a liaison's enterprises gone without contact,
coverage per liaison and per department — each in one query."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Max, Q
from django.utils import timezone

from gaoxin.enterprises.models import Enterprise
from gaoxin.visits.models import Visit, VisitRules

__all__ = ["Coverage", "coverage", "no_contact", "visit_rules", "visits_for"]


def visit_rules() -> VisitRules:
    rules, _created = VisitRules.objects.get_or_create(pk=1)
    return rules


def visits_for(user):
    return Visit.objects.restrict(user, "view").select_related(
        "enterprise", "visited_by", "department"
    )


def no_contact(
    *, liaison=None, today: dt.date | None = None, days: int | None = None
) -> list[Enterprise]:
    """Enterprises (of ``liaison``, or every one with a liaison) not contacted for ``days``
    (the zone's setting), never-visited first."""
    today = today or timezone.localdate()
    days = days if days is not None else visit_rules().no_contact_days
    since = today - dt.timedelta(days=days)
    enterprises = Enterprise.objects.filter(liaison__isnull=False)
    if liaison is not None:
        enterprises = enterprises.filter(liaison=liaison)
    found = (
        enterprises.annotate(last_visit=Max("visits__visited_on"))
        .filter(Q(last_visit__isnull=True) | Q(last_visit__lt=since))
        .select_related("liaison")
        # Never visited first, on every database (PostgreSQL sorts NULL last by default).
        .order_by(F("last_visit").asc(nulls_first=True), "name")
    )
    return list(found)


@dataclass
class Coverage:
    label: str
    enterprises: int = 0
    visited: int = 0  # at least once in the year
    met_plan: int = 0  # at least the yearly number of visits
    visits: int = 0

    @property
    def visited_pct(self) -> float | None:
        return round(100 * self.visited / self.enterprises, 1) if self.enterprises else None

    @property
    def met_plan_pct(self) -> float | None:
        return round(100 * self.met_plan / self.enterprises, 1) if self.enterprises else None


def coverage(*, year: int, by: str = "liaison") -> list[Coverage]:
    """Per liaison officer (``by="liaison"``) or the liaison's department: the enterprises in
    their care, how many were visited in the year, how many as often as the rules ask."""
    target = visit_rules().visits_per_year
    rows = (
        Enterprise.objects.filter(liaison__isnull=False)
        .annotate(n=Count("visits", filter=Q(visits__visited_on__year=year)))
        .values("liaison_id", "liaison__full_name", "liaison__department__name", "n")
    )
    groups: dict[str, Coverage] = {}
    for row in rows:
        label = (
            row["liaison__full_name"]
            if by == "liaison"
            else (row["liaison__department__name"] or "—")
        )
        group = groups.setdefault(label, Coverage(label))
        group.enterprises += 1
        group.visits += row["n"]
        group.visited += row["n"] > 0
        group.met_plan += row["n"] >= target
    return sorted(groups.values(), key=lambda g: (g.visited_pct or 0, g.label))
