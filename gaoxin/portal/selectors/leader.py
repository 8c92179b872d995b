"""The zone leader's desk: the key projects it sponsors that are red or yellow, overdue
problems, supervision notices and their replies, this year's attraction figures."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from gaoxin.dispatch import lights, visibility
from gaoxin.dispatch.models import OPEN_STATES, KeyProject, Problem, Supervision
from gaoxin.portal.selectors.tiles import Tile, link
from gaoxin.projects import stats
from gaoxin.projects.stages import Stage

__all__ = ["REPLIES_RECENT_DAYS", "leader_desk", "year_figures"]

# A reply to a supervision notice stays on the leader's desk this many days.
REPLIES_RECENT_DAYS = 14


def year_figures(today: dt.date) -> dict:
    """This year's new projects per stage with the year before and the targets' progress."""
    # The cockpit's own engine call for the year (issue 18): counted to today against the same
    # span a year earlier (each Comparison carries its base_display for the hover), cached for
    # the zone until something is recorded.
    summary = stats.zone_summary(stats.Period.year(today.year), today)
    stages = (Stage.NEGOTIATING, Stage.SIGNED, Stage.UNDER_CONSTRUCTION, Stage.IN_PRODUCTION)
    return {
        "year_figures": [(stage, Stage(stage).label, summary.entries[stage]) for stage in stages],
        "year_period": summary.period,
        "targets": summary.targets,
    }


def leader_desk(user, today: dt.date) -> dict:
    sponsored = KeyProject.objects.restrict(user).filter(year=today.year, sponsor=user)
    rows = visibility.key_project_lights(user, sponsored, today)
    lit = [r for r in rows if r.light in ("red", "yellow")]
    red = sum(1 for r in rows if r.light == "red")
    yellow = sum(1 for r in rows if r.light == "yellow")
    overdue = (
        Problem.objects.restrict(user)
        .filter(state__in=OPEN_STATES, deadline__lt=today)
        .select_related("project", "department")
        .order_by("deadline", "id")
    )
    overdue_list = list(overdue[:8])
    for problem in overdue_list:
        problem.light = lights.problem_light(problem, today)
    notices = Supervision.objects.filter(problem__in=Problem.objects.restrict(user)).filter(
        issued_by=user
    )
    # Every notice still awaiting its reply (a leader issues few): the tile opens this list.
    waiting = list(
        notices.filter(replied_at__isnull=True).select_related("problem").order_by("deadline")
    )
    for notice in waiting:
        notice.light = lights.supervision_light(notice, today)
    since = today - dt.timedelta(days=REPLIES_RECENT_DAYS)
    replied = list(
        notices.filter(replied_at__date__gte=since)
        .select_related("problem", "replied_by")
        .order_by("-replied_at")[:8]
    )
    sponsored_url = link("dispatch:key_projects", sponsor=user.pk, year=today.year)
    tiles = [
        Tile(
            "red",
            _("My key projects lit red"),
            red,
            link("dispatch:key_projects", sponsor=user.pk, year=today.year, light="red"),
            "danger" if red else "",
        ),
        Tile(
            "yellow",
            _("My key projects lit yellow"),
            yellow,
            link("dispatch:key_projects", sponsor=user.pk, year=today.year, light="yellow"),
            "warning" if yellow else "",
        ),
        Tile(
            "overdue",
            _("Problems past their deadline"),
            overdue.count(),
            link("dispatch:problems", overdue="true"),
            "danger" if overdue_list else "",
        ),
        Tile(
            "supervision",
            _("Supervision notices awaiting a reply"),
            len(waiting),
            "#supervision",
            "warning" if waiting else "",
        ),
    ]
    return {
        "tiles": tiles,
        "lit": lit,
        "sponsored_count": len(rows),
        "sponsored_url": sponsored_url,
        "overdue_problems": overdue_list,
        "notices_waiting": waiting,
        "notices_replied": replied,
        **year_figures(today),
    }
