"""The statistics engine: every figure computed from the recorded stage events.

One module used by the pages, the API, reports and exports. No figure is stored; each is a
database aggregation over ``StageEvent`` (minus corrected events) and ``MoneyEntry``, so the
number of queries does not grow with the number of projects, and any date or period can be
asked for, including the same period last year.

Definitions (the words zones use in their reports):
- *entries* into a stage during a period: distinct projects with an effective event into that
  stage dated within the period (新洽谈、新签约、新注册、新开工、新投产 …);
- *stock* on a date: projects whose latest effective event on or before that date is in the stage;
- *in the register* on a date: projects with any stage on that date other than dropped;
- YoY growth: (this − base) ÷ base, "n/a" when the base is zero;
- the *base*: a period that runs past today is counted to today and compared with the same
  span a year earlier (1–N月累计, as Chinese statistics report an unfinished year); every
  ``Comparison`` carries its period and its base period, shown on hover and in exports.

``summary`` is the one call behind every surface (home pages, cockpit, big screen, period
report, statistics page, API, Excel exports); ``zone_summary`` is the same call for the whole
zone, cached until a source table changes. Its figures come from a fixed few passes:
entries now, a year earlier and since 1 January (with the breakdown by a dimension) in one
pass; the stock at the end with the landed projects' planned and completed investment in one;
the stock a year earlier; on-time starts; funds in place; targets.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    QuerySet,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, FirstValue, RowNumber, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.workcalendar import FIRST_DAY, LAST_DAY
from gaoxin.projects.models import (
    Figure,
    MoneyEntry,
    MoneyKind,
    Project,
    StageCorrection,
    StageEvent,
    Target,
)
from gaoxin.projects.stages import BUILDING_OR_OPERATING, PIPELINE, Stage

ZERO = Decimal("0")
MONEY_OUT = DecimalField(max_digits=18, decimal_places=2)

# Dimensions a breakdown may group by: name -> (field on Project, label field).
DIMENSIONS = {
    "cluster": ("cluster_id", "cluster__name"),
    "channel": ("channel", "channel"),
    "source_province": ("source_province", "source_province"),
    "department": ("department_id", "department__name"),
    "steward": ("steward_id", "steward__full_name"),
}


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("a period ends on or after its start")
        if self.start < FIRST_DAY or self.end > LAST_DAY:
            raise ValueError(f"a period lies between {FIRST_DAY} and {LAST_DAY}")

    def year_earlier(self) -> Period:
        # The platform's first year has no year before it: its base is empty, not an error.
        return Period(
            max(_minus_year(self.start), FIRST_DAY), max(_minus_year(self.end), FIRST_DAY)
        )

    def counted(self, today: dt.date) -> Period:
        """The part of the period that can have figures: a period running past today is
        counted to today (its base is then the same span a year earlier)."""
        if self.start <= today < self.end:
            return Period(self.start, today)
        return self

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def year_to_date(cls, day: dt.date) -> Period:
        return cls(dt.date(day.year, 1, 1), day)

    @classmethod
    def half_year(cls, year: int, half: int) -> Period:
        return (
            cls(dt.date(year, 1, 1), dt.date(year, 6, 30))
            if half == 1
            else cls(dt.date(year, 7, 1), dt.date(year, 12, 31))
        )


def _minus_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


@dataclass(frozen=True)
class Comparison:
    """A figure, the same figure a year earlier, and the growth between them."""

    value: int | Decimal
    base: int | Decimal
    period: Period | None = None
    base_period: Period | None = None

    @property
    def base_display(self) -> str:
        """Which base the growth is against (the hover text and the exports' column)."""
        if self.base_period is None:
            return ""
        return _("%(period)s against %(base)s (the same span a year earlier)") % {
            "period": self.period,
            "base": self.base_period,
        }

    @property
    def growth(self) -> Decimal | None:
        if not self.base:
            return None
        return ((Decimal(self.value) - Decimal(self.base)) / Decimal(self.base) * 100).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def growth_display(self) -> str:
        growth = self.growth
        if growth is None:
            return "n/a"
        return f"{growth:+}%"


def _ratio(numerator, denominator) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator) * 100).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def _projects(projects: QuerySet[Project] | None) -> QuerySet[Project]:
    return (projects if projects is not None else Project.objects.all()).order_by()


def _effective_events(projects: QuerySet[Project] | None):
    events = StageEvent.objects.effective()
    # A selection with no condition (what zone staff see) is every project: no semi-join.
    if projects is not None and projects.query.where:
        events = events.filter(project__in=_projects(projects).values("pk"))
    return events


# --- entries and stock ---------------------------------------------------------------------


def entries(period: Period, projects: QuerySet[Project] | None = None) -> dict[str, int]:
    """Distinct projects entering each stage during the period (one query)."""
    rows = (
        _effective_events(projects)
        .filter(on__range=(period.start, period.end))
        .order_by()
        .values("stage")
        .annotate(n=Count("project", distinct=True))
    )
    result = dict.fromkeys(Stage.values, 0)
    result.update({row["stage"]: row["n"] for row in rows})
    return result


def entries_by_month(
    period: Period, stages=None, projects: QuerySet[Project] | None = None
) -> dict[tuple[dt.date, str], int]:
    """Distinct projects entering each stage in each month of the period: {(first day of the
    month, stage): n}, the same count as ``entries`` for each month (one query)."""
    events = _effective_events(projects).filter(on__range=(period.start, period.end))
    if stages is not None:
        events = events.filter(stage__in=stages)
    rows = (
        events.annotate(month=TruncMonth("on"))
        .order_by()
        .values("month", "stage")
        .annotate(n=Count("project", distinct=True))
    )
    return {(row["month"], row["stage"]): row["n"] for row in rows}


def entered_projects(
    stage: str, period: Period, projects: QuerySet[Project] | None = None
) -> QuerySet[Project]:
    """The projects behind ``entries(...)[stage]`` (for drill-down)."""
    ids = (
        _effective_events(projects)
        .filter(stage=stage, on__range=(period.start, period.end))
        .values("project_id")
    )
    return _projects(projects).filter(pk__in=ids)


def _latest_ranked(day: dt.date, projects: QuerySet[Project] | None = None):
    """Effective events up to ``day`` ranked within each project, newest first.

    ``rank == 1`` is a project's latest event on ``day``, i.e. its stage then; ``latest_stage``
    carries that stage on every row, so filters on it apply after the ranking (Django puts
    filters on window expressions in an outer query; others would change what is ranked).
    One scan of the events with a window, on PostgreSQL and SQLite alike.
    """
    newest_first = [F("on").desc(), F("id").desc()]
    return (
        _effective_events(projects)
        .filter(on__lte=day)
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("project_id")], order_by=newest_first),
            latest_stage=Window(
                FirstValue("stage"), partition_by=[F("project_id")], order_by=newest_first
            ),
        )
    )


def stock(day: dt.date, projects: QuerySet[Project] | None = None) -> dict[str, int]:
    """Projects in each stage on ``day`` (one query)."""
    return _stock_pass(day, projects, money=False).counts


def _in_register(counts: dict[str, int]) -> int:
    return sum(n for stage, n in counts.items() if stage != Stage.DROPPED)


def in_register(day: dt.date, projects: QuerySet[Project] | None = None) -> int:
    return _in_register(stock(day, projects))


def stock_projects(
    stage: str | list[str], day: dt.date, projects: QuerySet[Project] | None = None
) -> QuerySet[Project]:
    """The projects behind ``stock(...)[stage]`` (for drill-down)."""
    stages = [stage] if isinstance(stage, str) else list(stage)
    ids = _latest_ranked(day, projects).filter(rank=1, latest_stage__in=stages).values("project_id")
    return _projects(projects).filter(pk__in=ids)


def entries_compared(
    period: Period, projects: QuerySet[Project] | None = None, *, today: dt.date | None = None
) -> dict[str, Comparison]:
    """Entries against the same span a year earlier, the period counted to today (one query)."""
    period = period.counted(today or timezone.localdate())
    earlier = period.year_earlier()
    passed = _entries_pass(period, earlier, projects, None)
    return {s: Comparison(passed.now[s], passed.base[s], period, earlier) for s in Stage.values}


# --- the records behind each figure (drill-down) ------------------------------------------
#
# Each list holds exactly the records its figure counts or sums (tests check count == length).


def register_projects(day: dt.date, projects: QuerySet[Project] | None = None):
    """The projects behind ``in_register`` on ``day``."""
    return stock_projects([s for s in Stage.values if s != Stage.DROPPED], day, projects)


def start_due_projects(period: Period, projects: QuerySet[Project] | None = None):
    """The denominator of 按期开工率: projects planned to start construction in the period."""
    return _projects(projects).filter(planned_start_on__range=(period.start, period.end))


def start_kept_projects(period: Period, projects: QuerySet[Project] | None = None):
    """Its numerator: of those, the ones with a construction-start event on or before the plan."""
    started = StageEvent.objects.effective().filter(
        project=OuterRef("pk"), stage=Stage.UNDER_CONSTRUCTION, on__lte=OuterRef("planned_start_on")
    )
    return start_due_projects(period, projects).filter(Exists(started))


def landed_projects(day: dt.date, projects: QuerySet[Project] | None = None):
    """The denominator of 投资完成率 (their planned fixed-asset investment): projects being
    built or operating on ``day``."""
    return stock_projects(list(BUILDING_OR_OPERATING), day, projects)


def producing_projects(day: dt.date, projects: QuerySet[Project] | None = None):
    """The denominator of 投产达效率: in production or at capacity on ``day`` (its numerator:
    ``stock_projects("at_capacity", day)``)."""
    return stock_projects([Stage.IN_PRODUCTION, Stage.AT_CAPACITY], day, projects)


def funds_entries(period: Period, projects: QuerySet[Project] | None = None):
    """The money entries summed as 到位资金 in the period."""
    found = MoneyEntry.objects.filter(
        kind=MoneyKind.FUNDS_IN_PLACE, on__range=(period.start, period.end)
    )
    if projects is not None and projects.query.where:
        found = found.filter(project__in=_projects(projects).values("pk"))
    return found


def investment_done_entries(day: dt.date, projects: QuerySet[Project] | None = None):
    """The numerator of 投资完成率: investment completed up to ``day`` by the landed projects."""
    return MoneyEntry.objects.filter(
        kind=MoneyKind.INVESTMENT_COMPLETED,
        on__lte=day,
        project__in=landed_projects(day, projects).values("pk"),
    )


# --- breakdowns and sums -------------------------------------------------------------------


def entries_by(
    dimension: str, period: Period, projects: QuerySet[Project] | None = None
) -> list[dict]:
    """Entries per stage for each value of a dimension, with the investment of those projects
    (each counted once). Rows ``{"key", "label", "stage", "projects", "total_investment"}``;
    the summary's breakdown pass."""
    return _entries_pass(
        period, period.year_earlier(), projects, dimension, investment=True
    ).breakdown


def stock_by(dimension: str, day: dt.date, projects: QuerySet[Project] | None = None) -> list[dict]:
    key, label = DIMENSIONS[dimension]
    latest_ids = _latest_ranked(day, projects).filter(rank=1).values("pk")
    rows = (
        StageEvent.objects.filter(pk__in=latest_ids)
        .order_by()
        .values(event_stage=F("stage"), k=F(f"project__{key}"), lbl=F(f"project__{label}"))
        .annotate(
            n=Count("pk"),
            invest=Coalesce(Sum("project__total_investment"), Value(ZERO), output_field=MONEY_OUT),
        )
    )
    return [
        {
            "key": r["k"],
            "label": r["lbl"],
            "stage": r["event_stage"],
            "projects": r["n"],
            "total_investment": r["invest"],
        }
        for r in rows
    ]


def investment_of_entries(
    stage: str, period: Period, projects: QuerySet[Project] | None = None
) -> dict[str, Decimal]:
    """Sum of the planned investment of the projects entering ``stage`` in the period."""
    sums = entered_projects(stage, period, projects).aggregate(
        total=Coalesce(Sum("total_investment"), Value(ZERO), output_field=MONEY_OUT),
        fixed=Coalesce(Sum("fixed_asset_investment"), Value(ZERO), output_field=MONEY_OUT),
        foreign=Coalesce(Sum("foreign_investment"), Value(ZERO), output_field=MONEY_OUT),
    )
    return sums


def money(kind: str, period: Period, projects: QuerySet[Project] | None = None) -> Decimal:
    entries_qs = MoneyEntry.objects.filter(kind=kind, on__range=(period.start, period.end))
    if projects is not None and projects.query.where:
        entries_qs = entries_qs.filter(project__in=_projects(projects).values("pk"))
    return entries_qs.aggregate(s=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY_OUT))["s"]


# --- targets and rates ---------------------------------------------------------------------


@dataclass(frozen=True)
class TargetProgress:
    figure: str
    label: str
    target: Decimal
    actual: Decimal

    @property
    def percent(self) -> Decimal | None:
        return _ratio(self.actual, self.target)

    @property
    def remaining(self) -> Decimal:
        return max(self.target - self.actual, ZERO)


def target_progress(
    year: int, as_of: dt.date, projects: QuerySet[Project] | None = None
) -> list[TargetProgress]:
    """Each target of ``year`` against the actual from 1 January to ``as_of``."""
    targets = list(Target.objects.filter(year=year))
    if not targets:
        return []
    first_day = dt.date(year, 1, 1)
    if as_of < first_day:  # a future year: nothing done yet
        return [
            TargetProgress(t.figure, str(t.get_figure_display()), t.value, ZERO) for t in targets
        ]
    period = Period(first_day, min(as_of, dt.date(year, 12, 31)))
    counts = entries(period, projects)
    result = []
    for target in targets:
        if target.figure == Figure.FUNDS_IN_PLACE:
            actual = money(MoneyKind.FUNDS_IN_PLACE, period, projects)
        else:
            actual = Decimal(counts[target.figure])
        result.append(
            TargetProgress(target.figure, str(target.get_figure_display()), target.value, actual)
        )
    return result


@dataclass(frozen=True)
class Rates:
    on_time_start: Decimal | None  # 按期开工率
    on_time_start_base: int
    investment_completion: Decimal | None  # 投资完成率
    production_reached: Decimal | None  # 投产达效率
    funds_in_place: Decimal  # 到位资金 in the period
    funds_target: Decimal | None
    funds_percent: Decimal | None = field(default=None)
    on_time_start_kept: int = 0  # the numerator of 按期开工率 (its denominator: ..._base)
    landed_fixed: Decimal = ZERO  # the denominator of 投资完成率
    landed_done: Decimal = ZERO  # its numerator
    producing: int = 0  # the denominator of 投产达效率 (the numerator: stock at capacity)


def rates(
    period: Period,
    projects: QuerySet[Project] | None = None,
    *,
    stock_at_end: dict[str, int] | None = None,
) -> Rates:
    """The rates of a period (the summary's, computed by the same passes)."""
    at_end = _stock_pass(period.end, projects)
    due, kept = _on_time(period, projects)
    funds, _ytd = _funds(period, period, projects)
    funds_target = (
        Target.objects.filter(year=period.end.year, figure=Figure.FUNDS_IN_PLACE)
        .values_list("value", flat=True)
        .first()
    )
    producing = at_end.counts[Stage.IN_PRODUCTION] + at_end.counts[Stage.AT_CAPACITY]
    return Rates(
        on_time_start=_ratio(kept, due),
        on_time_start_base=due,
        investment_completion=_ratio(at_end.landed_done, at_end.landed_fixed),
        production_reached=_ratio(at_end.counts[Stage.AT_CAPACITY], producing),
        funds_in_place=funds,
        funds_target=funds_target,
        funds_percent=_ratio(funds, funds_target) if funds_target else None,
        on_time_start_kept=kept,
        landed_fixed=at_end.landed_fixed,
        landed_done=at_end.landed_done,
        producing=producing,
    )


# --- the passes behind the summary ----------------------------------------------------------
#
# Hand-written SQL, portable (PostgreSQL and SQLite): the summary's figures in a fixed few
# passes over the events, as a person would write them (bench/run.py checks each figure
# against its raw SQL). Table and column names come from the models' metadata.


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _restriction(projects: QuerySet[Project] | None, column: str) -> tuple[str, list]:
    """`AND <column> IN (<the selection>)`, or nothing for the whole register."""
    if projects is None or not projects.query.where:
        return "", []
    sql, params = _projects(projects).values("pk").query.sql_with_params()
    return f" AND {column} IN ({sql})", list(params)


def _money_value(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


ON = '"on"'  # the date column (a reserved word, quoted the same on PostgreSQL and SQLite)


def _latest_sql(restrict: str) -> str:
    """Each project's latest effective event on or before %s: (project_id, stage)."""
    events, corrections = _t(StageEvent), _t(StageCorrection)
    where = f"c.id IS NULL AND e.{ON} <= %s{restrict}"
    # Only identifiers from the models' metadata and our own SQL are formatted in; values
    # (dates, the selection's parameters) are bound.
    if connection.vendor == "postgresql":
        return (
            f"SELECT DISTINCT ON (e.project_id) e.project_id, e.stage FROM {events} e "  # noqa: S608
            f"LEFT JOIN {corrections} c ON c.event_id = e.id WHERE {where} "
            f"ORDER BY e.project_id, e.{ON} DESC, e.id DESC"
        )
    return (
        "SELECT r.project_id, r.stage FROM (SELECT e.project_id, e.stage, ROW_NUMBER() OVER "  # noqa: S608
        f"(PARTITION BY e.project_id ORDER BY e.{ON} DESC, e.id DESC) AS rn FROM {events} e "
        f"LEFT JOIN {corrections} c ON c.event_id = e.id WHERE {where}) r WHERE r.rn = 1"
    )


@dataclass(frozen=True)
class StockPass:
    counts: dict[str, int]
    landed_fixed: Decimal  # planned fixed-asset investment of the projects built or operating
    landed_done: Decimal  # investment completed by them up to the day


def _stock_pass(
    day: dt.date, projects: QuerySet[Project] | None = None, *, money: bool = True
) -> StockPass:
    """The stock on ``day`` and, in the same pass, the landed projects' investment (one query)."""
    restrict, params = _restriction(projects, "e.project_id")
    latest = _latest_sql(restrict)
    counts = dict.fromkeys(Stage.values, 0)
    if not money:
        sql = f"SELECT l.stage, COUNT(*), 0, 0 FROM ({latest}) l GROUP BY l.stage"  # noqa: S608
        args = [day, *params]
    else:
        landed = ", ".join(f"'{s}'" for s in BUILDING_OR_OPERATING)  # our own stage codes
        sql = (
            f"SELECT l.stage, COUNT(*), "  # noqa: S608
            f"SUM(CASE WHEN l.stage IN ({landed}) THEN p.fixed_asset_investment END), "
            f"SUM(CASE WHEN l.stage IN ({landed}) THEN m.done END) "
            f"FROM ({latest}) l JOIN {_t(Project)} p ON p.id = l.project_id "
            f"LEFT JOIN (SELECT project_id, SUM(amount) AS done FROM {_t(MoneyEntry)} "
            f"WHERE kind = %s AND {ON} <= %s GROUP BY project_id) m "
            f"ON m.project_id = l.project_id GROUP BY l.stage"
        )
        args = [day, *params, MoneyKind.INVESTMENT_COMPLETED, day]
    fixed = done = ZERO
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        for stage, n, stage_fixed, stage_done in cursor.fetchall():
            counts[stage] = n
            fixed += _money_value(stage_fixed)
            done += _money_value(stage_done)
    return StockPass(counts, fixed, done)


@dataclass(frozen=True)
class EntriesPass:
    now: dict[str, int]
    base: dict[str, int]
    year_to_date: dict[str, int]  # 1 January of the period's end year to its end (targets)
    breakdown: list[dict]  # {"key", "label", "stage", "projects", "total_investment"} (now)


def _entries_pass(
    period: Period,
    base: Period,
    projects: QuerySet[Project] | None = None,
    dimension: str | None = "cluster",
    *,
    investment: bool = False,
) -> EntriesPass:
    """Entries now, a year earlier and since 1 January, by a dimension, in one query. A project
    has one value of a dimension, so the per-stage figures are the sums over its values.
    ``investment`` adds the planned investment of the projects entering (each counted once)."""
    ytd = Period(max(dt.date(period.end.year, 1, 1), FIRST_DAY), period.end)
    restrict, params = _restriction(projects, "e.project_id")
    key = DIMENSIONS[dimension][0] if dimension else None
    group = f"p.{connection.ops.quote_name(key)}" if key else "NULL"
    # PostgreSQL refuses a constant in GROUP BY: without a dimension, group by the stage alone.
    grouped = f"{group}, " if key else ""
    events = (
        f"FROM {_t(StageEvent)} e "
        + (f"JOIN {_t(Project)} p ON p.id = e.project_id " if key else "")
        + f"LEFT JOIN {_t(StageCorrection)} c ON c.event_id = e.id "
        f"WHERE c.id IS NULL AND (e.{ON} BETWEEN %s AND %s OR e.{ON} BETWEEN %s AND %s "
        f"OR e.{ON} BETWEEN %s AND %s){restrict}"
    )
    spans = [period.start, period.end, base.start, base.end, ytd.start, ytd.end]
    if investment:
        # Each (project, stage) once with its flags, then the projects' investment summed.
        flag = f"MAX(CASE WHEN e.{ON} BETWEEN %s AND %s THEN 1 ELSE 0 END)"
        sql = (
            f"SELECT d.k, d.stage, SUM(d.now), SUM(d.base), SUM(d.ytd), "  # noqa: S608
            f"SUM(CASE WHEN d.now = 1 THEN q.total_investment END) FROM ("
            f"SELECT {group} AS k, e.project_id, e.stage, {flag} AS now, {flag} AS base, "
            f"{flag} AS ytd {events} GROUP BY {grouped}e.project_id, e.stage) d "
            f"JOIN {_t(Project)} q ON q.id = d.project_id GROUP BY d.k, d.stage"
        )
    else:
        count = f"COUNT(DISTINCT CASE WHEN e.{ON} BETWEEN %s AND %s THEN e.project_id END)"
        sql = (
            f"SELECT {group}, e.stage, {count}, {count}, {count}, NULL "
            f"{events} GROUP BY {grouped}e.stage"
        )
    now, before, since = (dict.fromkeys(Stage.values, 0) for _i in range(3))
    rows = []
    with connection.cursor() as cursor:
        cursor.execute(sql, [*spans, *spans, *params])
        for value, stage, n_now, n_base, n_ytd, invested in cursor.fetchall():
            now[stage] += n_now or 0
            before[stage] += n_base or 0
            since[stage] += n_ytd or 0
            if n_now and key:
                row = {"key": value, "label": value, "stage": stage, "projects": n_now}
                if investment:
                    row["total_investment"] = _money_value(invested)
                rows.append(row)
    if key:
        _label(dimension, rows)
    return EntriesPass(now, before, since, rows)


def _label(dimension: str, rows: list[dict]) -> None:
    """Name each value of a dimension (one small query for the related rows, if any)."""
    key, label = DIMENSIONS[dimension]
    if key == label:
        return
    relation, attribute = label.split("__", 1)
    model = Project._meta.get_field(relation).related_model
    keys = {r["key"] for r in rows if r["key"] is not None}
    names = dict(model.objects.filter(pk__in=keys).values_list("pk", attribute)) if keys else {}
    for row in rows:
        row["label"] = names.get(row["key"])


def _on_time(period: Period, projects: QuerySet[Project] | None = None) -> tuple[int, int]:
    """(planned to start in the period, started on or before the plan) in one query."""
    restrict, params = _restriction(projects, "p.id")
    sql = (
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM "  # noqa: S608
        f"{_t(StageEvent)} e LEFT JOIN {_t(StageCorrection)} c ON c.event_id = e.id "
        f"WHERE c.id IS NULL AND e.project_id = p.id AND e.stage = %s "
        f"AND e.{ON} <= p.planned_start_on) THEN 1 ELSE 0 END), 0) FROM {_t(Project)} p "
        f"WHERE p.planned_start_on BETWEEN %s AND %s{restrict}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [Stage.UNDER_CONSTRUCTION, period.start, period.end, *params])
        due, kept = cursor.fetchone()
    return due or 0, kept or 0


def _funds(
    period: Period, ytd: Period, projects: QuerySet[Project] | None = None
) -> tuple[Decimal, Decimal]:
    """Funds in place in the period and since 1 January (one query)."""
    restrict, params = _restriction(projects, "project_id")
    sql = (
        f"SELECT SUM(CASE WHEN {ON} BETWEEN %s AND %s THEN amount END), "  # noqa: S608
        f"SUM(CASE WHEN {ON} BETWEEN %s AND %s THEN amount END) FROM {_t(MoneyEntry)} "
        f"WHERE kind = %s AND {ON} BETWEEN %s AND %s{restrict}"
    )
    first, last = min(period.start, ytd.start), max(period.end, ytd.end)
    args = [period.start, period.end, ytd.start, ytd.end, MoneyKind.FUNDS_IN_PLACE, first, last]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*args, *params])
        now, since = cursor.fetchone()
    return _money_value(now), _money_value(since)


# --- the whole picture for a period --------------------------------------------------------


@dataclass
class Summary:
    period: Period  # the counted period (to today when it runs past it)
    in_register: Comparison
    entries: dict[str, Comparison]
    stock: dict[str, int]
    rates: Rates
    targets: list[TargetProgress]
    breakdown: list[dict] = field(default_factory=list)  # entries by ``dimension``
    dimension: str | None = None
    requested: Period | None = None  # the period asked for

    @property
    def base_period(self) -> Period:
        return self.period.year_earlier()

    @property
    def pipeline(self) -> list[tuple[str, str, Comparison, int]]:
        """(stage, label, entries with YoY, stock at the end) in pipeline order, then dropped."""
        order = [*PIPELINE, Stage.DROPPED]
        return [(s, str(Stage(s).label), self.entries[s], self.stock[s]) for s in order]


def summary(
    period: Period,
    projects: QuerySet[Project] | None = None,
    *,
    today: dt.date | None = None,
    dimension: str | None = "cluster",
) -> Summary:
    """Everything every surface shows for a period (seven queries whatever the size): the
    period counted to today, each figure against the same span a year earlier."""
    requested = period
    period = period.counted(today or timezone.localdate())
    earlier = period.year_earlier()
    ytd = Period(max(dt.date(period.end.year, 1, 1), FIRST_DAY), period.end)
    passed = _entries_pass(period, earlier, projects, dimension)
    at_end = _stock_pass(period.end, projects)
    then = _stock_pass(earlier.end, projects, money=False)
    due, kept = _on_time(period, projects)
    funds, funds_ytd = _funds(period, ytd, projects)
    targets = {t.figure: t.value for t in Target.objects.filter(year=period.end.year)}
    producing = at_end.counts[Stage.IN_PRODUCTION] + at_end.counts[Stage.AT_CAPACITY]
    funds_target = targets.get(Figure.FUNDS_IN_PLACE)
    labels = dict(Figure.choices)
    progress = [
        TargetProgress(
            figure,
            str(labels[figure]),
            value,
            funds_ytd if figure == Figure.FUNDS_IN_PLACE else Decimal(passed.year_to_date[figure]),
        )
        for figure, value in targets.items()
    ]
    return Summary(
        period=period,
        in_register=Comparison(
            _in_register(at_end.counts), _in_register(then.counts), period, earlier
        ),
        entries={
            s: Comparison(passed.now[s], passed.base[s], period, earlier) for s in Stage.values
        },
        stock=at_end.counts,
        rates=Rates(
            on_time_start=_ratio(kept, due),
            on_time_start_base=due,
            investment_completion=_ratio(at_end.landed_done, at_end.landed_fixed),
            production_reached=_ratio(at_end.counts[Stage.AT_CAPACITY], producing),
            funds_in_place=funds,
            funds_target=funds_target,
            funds_percent=_ratio(funds, funds_target) if funds_target else None,
            on_time_start_kept=kept,
            landed_fixed=at_end.landed_fixed,
            landed_done=at_end.landed_done,
            producing=producing,
        ),
        targets=sorted(progress, key=lambda t: list(labels).index(t.figure)),
        breakdown=passed.breakdown,
        dimension=dimension,
        requested=requested,
    )


# Tables whose rows change a figure of the summary: (model, column, rows may disappear).
_SOURCES = (
    (StageEvent, "id", False),
    (StageCorrection, "id", False),
    (MoneyEntry, "id", False),
    (Project, "updated_at", True),
    (Target, "updated_at", True),
)


def data_stamp() -> str:
    """One query: the high-water mark of every source of the figures (and the row count where
    rows may be deleted); any recorded change moves it."""
    parts = []
    for model, column, counted in _SOURCES:
        col = connection.ops.quote_name(column)
        parts.append(f"(SELECT MAX({col}) FROM {_t(model)})")  # noqa: S608
        if counted:
            parts.append(f"(SELECT COUNT(*) FROM {_t(model)})")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return "|".join(str(v) for v in cursor.fetchone())


def zone_summary(period: Period, today: dt.date | None = None, stamp: str | None = None) -> Summary:
    """``summary`` for the whole zone, from the shared cache while no source has changed (the
    home pages, the cockpit, the big screen and the period report read it)."""
    today = today or timezone.localdate()
    stamp = stamp or data_stamp()
    key = f"stats:summary:{period.start}:{period.end}:{today}:" + _digest(stamp)
    found = cache.get(key)
    if found is None:
        found = summary(period, today=today)
        if data_stamp() == stamp:  # nothing recorded meanwhile: the figures stand
            cache.set(key, found, 600)
    return found


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]
