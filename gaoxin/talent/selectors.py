"""Reads of the talent module: the figures of teams and talents brought in for any period,
with the same period a year before."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from gaoxin.talent.models import Talent, TalentKind, Team


@dataclass
class Figure:
    kind: str
    label: str
    count: int
    last_year: int

    @property
    def yoy(self):
        if not self.last_year:
            return None
        return round(100 * (self.count - self.last_year) / self.last_year, 1)


def _year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def figures(start: dt.date, end: dt.date) -> list[Figure]:
    """Startup and innovation teams, and innovative talents (people who came on their own,
    not as a team's member), brought in from ``start`` to ``end``; two queries."""
    before = (_year_before(start), _year_before(end))
    teams = Team.objects.aggregate(
        **{
            f"{kind}_{when}": Count("pk", filter=Q(kind=kind, arrived_on__range=span))
            for kind in (TalentKind.STARTUP_TEAM, TalentKind.INNOVATION_TEAM)
            for when, span in (("now", (start, end)), ("then", before))
        }
    )
    people = Talent.objects.filter(teams__isnull=True).aggregate(
        now=Count("pk", filter=Q(arrived_on__range=(start, end))),
        then=Count("pk", filter=Q(arrived_on__range=before)),
    )
    return [
        Figure(
            kind,
            str(TalentKind(kind).label),
            teams[f"{kind}_now"],
            teams[f"{kind}_then"],
        )
        for kind in (TalentKind.STARTUP_TEAM, TalentKind.INNOVATION_TEAM)
    ] + [
        Figure(
            TalentKind.INNOVATIVE_TALENT,
            str(TalentKind.INNOVATIVE_TALENT.label),
            people["now"],
            people["then"],
        )
    ]
