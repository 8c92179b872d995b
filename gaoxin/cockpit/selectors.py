"""The cockpit (驾驶舱): a period's figures from the statistics engine and the dispatch lights,
cached per period and invalidated by the data's own high-water marks."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.affairs import selectors as affairs
from gaoxin.dispatch import lights as light_rules
from gaoxin.dispatch import selectors as dispatch
from gaoxin.dispatch.models import (
    KeyProject,
    Milestone,
    Problem,
    ProblemStep,
    Supervision,
)
from gaoxin.platforms.models import Event, Platform, Signing, TransferDeal
from gaoxin.projects import stats
from gaoxin.projects.stages import PIPELINE, Stage
from gaoxin.spaces.selectors import occupancy
from gaoxin.talent.selectors import figures

CACHE_SECONDS = 600
# The stages whose entries the cockpit follows month by month.
TREND_STAGES = (Stage.NEGOTIATING, Stage.SIGNED, Stage.UNDER_CONSTRUCTION, Stage.IN_PRODUCTION)


@dataclass
class Cockpit:
    period: stats.Period
    summary: stats.Summary
    trend: list[dict]  # {"month", "counts": {stage: n}}
    by_cluster: list[dict]  # {"key", "label", "counts": {stage: n}}
    lights: Counter
    by_leader: list = field(default_factory=list)
    by_department: list = field(default_factory=list)
    problems_open: int = 0
    problems_overdue: int = 0
    key_year: int = 0
    computed_at: dt.datetime | None = None


# Every table whose rows change a cockpit figure, the column that moves when they do, and
# whether rows may disappear (then the row count is part of the stamp). Stage events, their
# corrections and money entries are append-only: MAX(id) alone follows them, and a project's
# deletion (which takes its events along) shows in the projects' count.
_STAMP_SOURCES = (
    ("projects", "stageevent", "id", False),
    ("projects", "stagecorrection", "id", False),
    ("projects", "moneyentry", "id", False),
    ("projects", "project", "updated_at", True),
    ("projects", "target", "updated_at", True),
    ("dispatch", "problem", "updated_at", True),
    ("dispatch", "supervision", "updated_at", True),
    ("dispatch", "keyproject", "updated_at", True),
    ("dispatch", "milestone", "updated_at", True),
    ("dispatch", "servicematter", "updated_at", True),
    ("dispatch", "decisiontask", "updated_at", True),
    ("dispatch", "lightsettings", "version", False),
)


def data_stamp() -> str:
    """One query: the high-water mark of every source (and the row count where rows may be
    deleted). Any recorded change moves it, so a cached cockpit is never stale."""

    parts = []
    for app_label, model_name, column, counted in _STAMP_SOURCES:
        table = connection.ops.quote_name(apps.get_model(app_label, model_name)._meta.db_table)
        col = connection.ops.quote_name(column)
        # Identifiers from our own model metadata, quoted; no user input reaches this SQL.
        parts.append(f"(SELECT MAX({col}) FROM {table})")  # noqa: S608
        if counted:
            parts.append(f"(SELECT COUNT(*) FROM {table})")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        row = cursor.fetchone()
    return hashlib.sha256("|".join(str(v) for v in row).encode()).hexdigest()[:32]


def _months(period: stats.Period, today: dt.date | None = None) -> list[dt.date]:
    """The months of the period, up to the current one (a future month has no entries)."""
    last = min(period.end, today or period.end)
    months, month = [], period.start.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def trend(period: stats.Period, today: dt.date | None = None) -> list[dict]:
    """Entries of the followed stages per month of the period: the statistics engine's
    entries, month by month (one query)."""
    found = stats.entries_by_month(period, stages=TREND_STAGES)
    return [
        {"month": m, "counts": {s: found.get((m, s), 0) for s in TREND_STAGES}}
        for m in _months(period, today)
    ]


def by_cluster(summary: stats.Summary) -> list[dict]:
    """The entries of the followed stages per cluster: the summary's own breakdown (the same
    pass as its entries, so the clusters add up to the tiles)."""
    groups: dict = {}
    for row in summary.breakdown:
        if row["stage"] not in TREND_STAGES:
            continue
        group = groups.setdefault(
            row["key"],
            {"key": row["key"], "label": row["label"] or _("No cluster"), "counts": Counter()},
        )
        group["counts"][row["stage"]] += row["projects"]
    return sorted(groups.values(), key=lambda g: (g["key"] is None, g["label"]))


def _compute(period: stats.Period, today: dt.date) -> Cockpit:

    key_year = period.end.year
    rows = dispatch.key_project_lights(KeyProject.objects.filter(year=key_year), today)
    problems = Problem.objects.open().aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(deadline__lt=today))
    )
    summary = stats.summary(period, today=today)
    return Cockpit(
        period=summary.period,
        summary=summary,
        trend=trend(summary.period, today),
        by_cluster=by_cluster(summary),
        lights=Counter(r.light for r in rows),
        by_leader=light_rules.roll_up(rows, "leader"),
        by_department=light_rules.roll_up(rows, "department"),
        problems_open=problems["open"],
        problems_overdue=problems["overdue"],
        key_year=key_year,
        computed_at=timezone.now(),
    )


def cockpit(period: stats.Period, today: dt.date | None = None) -> Cockpit:
    """The cockpit of a period, from the cache while no source has changed since."""
    today = today or timezone.localdate()
    stamp = data_stamp()
    key = f"cockpit:{period.start}:{period.end}:{today}:{stamp}"
    found = cache.get(key)
    if found is None:
        found = _compute(period, today)
        # Something recorded while computing may or may not be in the figures: keep them only
        # when the data stood still.
        if data_stamp() == stamp:
            cache.set(key, found, CACHE_SECONDS)
    return found


def pipeline_order() -> list[str]:
    return [*PIPELINE, Stage.DROPPED]


# --- the period report -------------------------------------------------------------------


@dataclass
class ReportRow:
    label: str
    value: object
    last_year: object = None
    growth: str = ""
    url: str = ""
    base: str = ""  # the base period of the growth (hover and the export's column)


@dataclass
class ReportSection:
    key: str
    title: str
    rows: list[ReportRow]
    note: str = ""


def period_report(period: stats.Period, today: dt.date | None = None) -> list[ReportSection]:
    """The figures of a period written up in the article's sections: investment attraction,
    implementation of key projects, the business environment, platforms and talent."""

    today = today or timezone.localdate()
    data = cockpit(period, today)
    summary = data.summary
    period = data.period  # counted to today, as every figure of the report
    base = reverse("projects:list")
    span = {"start": period.start.isoformat(), "end": period.end.isoformat()}

    def entered(stage):
        return f"{base}?{urlencode({'entered': stage, **span})}"

    projects = [
        ReportRow(
            _("Projects in the register at the end"),
            summary.in_register.value,
            summary.in_register.base,
            summary.in_register.growth_display,
            f"{base}?{urlencode({'basis': 'register', 'as_of': period.end.isoformat()})}",
            summary.in_register.base_display,
        )
    ]
    for stage in (*PIPELINE[1:], Stage.DROPPED):
        comparison = summary.entries[stage]
        projects.append(
            ReportRow(
                _("New: %(stage)s") % {"stage": Stage(stage).label},
                comparison.value,
                comparison.base,
                comparison.growth_display,
                entered(stage),
                comparison.base_display,
            )
        )
    for cluster in data.by_cluster:
        projects.append(
            ReportRow(
                _("Signed in cluster %(name)s") % {"name": cluster["label"]},
                cluster["counts"][Stage.SIGNED],
            )
        )
    for target in summary.targets:
        projects.append(
            ReportRow(
                _("Target: %(label)s") % {"label": target.label},
                f"{target.actual:.0f} / {target.target:.0f}",
                growth=f"{target.percent}%" if target.percent is not None else "n/a",
            )
        )
    rates = summary.rates
    key_projects = KeyProject.objects.filter(year=data.key_year)
    done_in_period = Milestone.objects.filter(
        key_project__in=key_projects, actual_end__range=(period.start, period.end)
    )
    implementation = [
        ReportRow(_("Key projects on the list"), key_projects.count()),
        ReportRow(
            _("Key projects red / yellow / green"),
            "{} / {} / {}".format(data.lights["red"], data.lights["yellow"], data.lights["green"]),
        ),
        ReportRow(_("Milestones reached in the period"), done_in_period.count()),
        ReportRow(
            _("On-time construction starts (%)"),
            "n/a" if rates.on_time_start is None else rates.on_time_start,
        ),
        ReportRow(
            _("Investment completion (%)"),
            "n/a" if rates.investment_completion is None else rates.investment_completion,
        ),
        ReportRow(
            _("Production reached (%)"),
            "n/a" if rates.production_reached is None else rates.production_reached,
        ),
        ReportRow(_("Funds in place (10k CNY)"), rates.funds_in_place),
    ]
    raised = Problem.objects.filter(created_at__date__range=(period.start, period.end))
    resolved = (
        ProblemStep.objects.filter(to_state="resolved", at__date__range=(period.start, period.end))
        .values("problem")
        .distinct()
    )
    notices = Supervision.objects.filter(created_at__date__range=(period.start, period.end))
    environment = [
        ReportRow(_("Problems raised"), raised.count()),
        ReportRow(_("Problems resolved"), resolved.count()),
        ReportRow(_("Problems open at the end"), data.problems_open),
        ReportRow(_("Overdue problems"), data.problems_overdue),
        ReportRow(_("Supervision notices issued"), notices.count()),
        ReportRow(
            _("Supervision notices answered"), notices.filter(replied_at__isnull=False).count()
        ),
    ]
    environment += _service_rows(period, today)
    return [
        ReportSection("projects", _("Investment attraction"), projects),
        ReportSection("implementation", _("Implementation of key projects"), implementation),
        ReportSection("environment", _("Business environment"), environment),
        ReportSection("talent", _("Platforms and talent"), _platform_and_talent_rows(period)),
    ]


def _service_rows(period, today) -> list[ReportRow]:
    """Government services in the period: cases decided on time, ratings, bundles."""

    on_time = affairs.on_time(period, timezone.now())
    decided = sum(r.decided for r in on_time)
    done_on_time = sum(r.on_time for r in on_time)
    ratings = affairs.ratings(period)
    rated = sum(r.total for r in ratings)
    bad = sum(r.bad for r in ratings)
    bundles = affairs.bundles_within_promise(period)
    bundles_done = sum(b.done for b in bundles)
    link = reverse("affairs:statistics") + f"?year={period.start.year}&start={period.start}"
    link += f"&end={period.end}&span=custom"
    return [
        ReportRow(_("Service cases decided"), decided, url=link),
        ReportRow(
            _("Decided on time (%)"),
            "n/a" if not decided else round(100 * done_on_time / decided, 1),
        ),
        ReportRow(
            _("Ratings, satisfied (%)"),
            "n/a" if not rated else round(100 * (rated - bad) / rated, 1),
        ),
        ReportRow(_("Bad ratings"), bad),
        ReportRow(
            _("Bundles done within their promise"),
            f"{sum(b.within for b in bundles)} / {bundles_done}",
        ),
    ]


def _platform_and_talent_rows(period) -> list[ReportRow]:
    """Platforms, deals, events and signings, space at the period's end, talent brought in."""

    span = (period.start, period.end)
    deals = TransferDeal.objects.filter(signed_on__range=span)
    signings = Signing.objects.filter(event__held_on__range=span)
    space = occupancy(period.end)
    area = sum(r.area for r in space)
    let = sum(r.let_area for r in space)
    rows = [
        ReportRow(
            _("Innovation platforms"), Platform.objects.count(), url=reverse("platforms:list")
        ),
        ReportRow(
            _("Technology transfer deals (10k CNY)"),
            f"{deals.count()} · {deals.aggregate(s=Sum('amount'))['s'] or 0:.0f}",
        ),
        ReportRow(
            _("Events held"),
            Event.objects.filter(held_on__range=span).count(),
            url=reverse("platforms:events"),
        ),
        ReportRow(
            _("Projects signed on site (10k CNY)"),
            f"{signings.count()} · "
            f"{signings.aggregate(s=Sum('project__total_investment'))['s'] or 0:.0f}",
        ),
        ReportRow(
            _("Space let at the end (%)"),
            "n/a" if not area else round(float(100 * let / area), 1),
            url=reverse("spaces:overview") + f"?on={period.end}",
        ),
        ReportRow(_("Vacant space at the end (m²)"), f"{area - let:.0f}"),
    ]
    for figure in figures(period.start, period.end):
        rows.append(
            ReportRow(
                _("Brought in: %(kind)s") % {"kind": figure.label},
                figure.count,
                figure.last_year,
                "n/a" if figure.yoy is None else f"{figure.yoy:+.1f}%",
                reverse("talent:overview"),
            )
        )
    return rows
