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
- YoY growth: (this − base) ÷ base, "n/a" when the base is zero.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Count,
    DecimalField,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, FirstValue, RowNumber, TruncMonth

from gaoxin.core.workcalendar import FIRST_DAY, LAST_DAY
from gaoxin.projects.models import Figure, MoneyEntry, MoneyKind, Project, StageEvent, Target
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
        return Period(_minus_year(self.start), _minus_year(self.end))

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
    counts = (
        _latest_ranked(day, projects)
        .filter(rank=1)
        .aggregate(**{stage: Count("pk", filter=Q(stage=stage)) for stage in Stage.values})
    )
    return {stage: counts[stage] or 0 for stage in Stage.values}


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
    period: Period, projects: QuerySet[Project] | None = None
) -> dict[str, Comparison]:
    now, then = entries(period, projects), entries(period.year_earlier(), projects)
    return {stage: Comparison(now[stage], then[stage]) for stage in Stage.values}


# --- breakdowns and sums -------------------------------------------------------------------


def entries_by(
    dimension: str, period: Period, projects: QuerySet[Project] | None = None
) -> list[dict]:
    """Entries per stage for each value of a dimension, with the investment of those projects.

    Returns rows ``{"key", "label", "stage", "projects", "total_investment"}`` (one query).
    """
    key, label = DIMENSIONS[dimension]
    rows = (
        _effective_events(projects)
        .filter(on__range=(period.start, period.end))
        .order_by()
        .values(key=F(f"project__{key}"), label=F(f"project__{label}"), event_stage=F("stage"))
        .annotate(
            n=Count("project", distinct=True),
            invest=Coalesce(Sum("project__total_investment"), Value(ZERO), output_field=MONEY_OUT),
        )
    )
    return [
        {
            "key": r["key"],
            "label": r["label"],
            "stage": r["event_stage"],
            "projects": r["n"],
            "total_investment": r["invest"],
        }
        for r in rows
    ]


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


def rates(
    period: Period,
    projects: QuerySet[Project] | None = None,
    *,
    stock_at_end: dict[str, int] | None = None,
) -> Rates:
    base = _projects(projects)
    # On-time starts: of the projects planned to start construction in the period, the share
    # whose construction-start event is dated on or before the plan.
    first_start = (
        StageEvent.objects.effective()
        .filter(project=OuterRef("pk"), stage=Stage.UNDER_CONSTRUCTION)
        .order_by()
        .values("project")
        .annotate(first=Min("on"))
        .values("first")
    )
    planned = base.filter(planned_start_on__range=(period.start, period.end)).annotate(
        started_on=Subquery(first_start)
    )
    on_time = planned.aggregate(
        due=Count("pk"),
        kept=Count("pk", filter=Q(started_on__lte=F("planned_start_on"))),
    )
    # Investment completion: investment completed up to the end of the period, over the fixed-
    # asset investment planned, for projects being built or operating at the period's end.
    landed = stock_projects(list(BUILDING_OR_OPERATING), period.end, projects)
    planned_fixed = landed.aggregate(
        s=Coalesce(Sum("fixed_asset_investment"), Value(ZERO), output_field=MONEY_OUT)
    )["s"]
    done = MoneyEntry.objects.filter(
        kind=MoneyKind.INVESTMENT_COMPLETED,
        on__lte=period.end,
        project__in=landed.values("pk"),
    ).aggregate(s=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY_OUT))["s"]
    # Production reached: at capacity among those in production or at capacity.
    counts = stock_at_end if stock_at_end is not None else stock(period.end, projects)
    producing = counts[Stage.IN_PRODUCTION] + counts[Stage.AT_CAPACITY]
    funds = money(MoneyKind.FUNDS_IN_PLACE, period, projects)
    funds_target = (
        Target.objects.filter(year=period.end.year, figure=Figure.FUNDS_IN_PLACE)
        .values_list("value", flat=True)
        .first()
    )
    return Rates(
        on_time_start=_ratio(on_time["kept"], on_time["due"]),
        on_time_start_base=on_time["due"],
        investment_completion=_ratio(done, planned_fixed),
        production_reached=_ratio(counts[Stage.AT_CAPACITY], producing),
        funds_in_place=funds,
        funds_target=funds_target,
        funds_percent=_ratio(funds, funds_target) if funds_target else None,
    )


# --- the whole picture for a period --------------------------------------------------------


@dataclass
class Summary:
    period: Period
    in_register: Comparison
    entries: dict[str, Comparison]
    stock: dict[str, int]
    rates: Rates
    targets: list[TargetProgress]

    @property
    def pipeline(self) -> list[tuple[str, str, Comparison, int]]:
        """(stage, label, entries with YoY, stock at the end) in pipeline order, then dropped."""
        order = [*PIPELINE, Stage.DROPPED]
        return [(s, str(Stage(s).label), self.entries[s], self.stock[s]) for s in order]


def summary(period: Period, projects: QuerySet[Project] | None = None) -> Summary:
    """Everything the statistics page and the API show for a period (a fixed few queries)."""
    earlier = period.year_earlier()
    at_end, a_year_earlier = stock(period.end, projects), stock(earlier.end, projects)
    return Summary(
        period=period,
        in_register=Comparison(_in_register(at_end), _in_register(a_year_earlier)),
        entries=entries_compared(period, projects),
        stock=at_end,
        rates=rates(period, projects, stock_at_end=at_end),
        targets=target_progress(period.end.year, period.end, projects),
    )
