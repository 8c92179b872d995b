"""The yearly per-mu evaluation (亩均效益评价): the one engine, read by services and selectors.

For a year Y and each enterprise that has a ledger month in Y or a project in production:

* **figures** — output, tax, energy, R&D of every ledger entry of its projects dated in Y,
  summed; employees as the monthly average (the sum of every entry's employees ÷ 12). A month
  of Y without any entry, or an entry without energy (or R&D) when an indicator uses it,
  leaves the enterprise unscored with the months named — never a silent zero.
* **land (mu)** — each plot its projects stand on (the battle map's placements) at its area ×
  the enterprise's recorded share (``LandShare``; a plot held by one enterprise counts whole, a
  plot shared without recorded shares is named as missing), plus each lease's unit area in the
  year, converted at 1 mu = 10000/15 m² and weighted by the days of Y it ran. Rounded to 4
  places. No land: unscored.
* **T** — fewer than ``min_years`` years in production by the end of Y (the first effective
  production stage event of its projects, else its first ledger month): class T, not scored.
* **indicator value** — numerator ÷ denominator × scale, rounded half up to 4 places; a zero
  denominator leaves the enterprise unscored.
* **indicator score** — weight × min(value ÷ benchmark, cap), rounded half up to 2 places;
  the **score** is their sum, and the class is A/B/C/D by the year's cut points (score ≥ cut).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Min, Q, Sum
from django.utils.translation import gettext as _

from gaoxin.delivery.models import EvaluationYear, Figure, Klass, LandShare
from gaoxin.dispatch.models import LedgerEntry
from gaoxin.projects.models import Project, Stage, StageEvent
from gaoxin.spaces.models import Lease

M2_PER_MU = Decimal(10000) / Decimal(15)
FOUR = Decimal("0.0001")
TWO = Decimal("0.01")
PRODUCING = (Stage.IN_PRODUCTION, Stage.AT_CAPACITY)

# The starting indicator set a year gets until the admin changes it (docs/evaluation.md gives
# the source and says which numbers a zone must replace with its own published ones).
DEFAULT_INDICATORS = [
    # code, name, numerator, denominator, scale, unit, weight, benchmark
    ("tax_per_mu", "亩均税收", Figure.TAX, Figure.LAND, 1, "万元/亩", 40, "15"),
    ("output_per_mu", "亩均产值", Figure.OUTPUT, Figure.LAND, 1, "万元/亩", 20, "300"),
    (
        "output_per_energy",
        "单位能耗产值",
        Figure.OUTPUT,
        Figure.ENERGY,
        1,
        "万元/吨标准煤",
        15,
        "2",
    ),
    ("rd_ratio", "研发经费投入强度", Figure.RD, Figure.OUTPUT, 100, "%", 15, "3"),
    (
        "output_per_employee",
        "全员劳动生产率",
        Figure.OUTPUT,
        Figure.EMPLOYEES,
        1,
        "万元/人",
        10,
        "100",
    ),
]
DEFAULT_CUTS = {"cut_a": Decimal(110), "cut_b": Decimal(80), "cut_c": Decimal(50)}
DEFAULT_SOURCE = (
    "指标体系参照山东省“亩产效益”评价改革（亩均论英雄）的规上工业企业指标：亩均税收、"
    "亩均营业收入（产值）、单位能耗营业收入、研发经费投入强度、全员劳动生产率，"
    "如曲阜市人民政府《关于开展“亩产效益”评价改革工作的实施意见》（QFDR-2020-0010002，"
    "2020年7月13日）。权重、基准值和分类线为平台初始值，须由管理员按本区当年公布的评价办法核定。"
)


def q4(value: Decimal) -> Decimal:
    return value.quantize(FOUR, rounding=ROUND_HALF_UP)


def q2(value: Decimal) -> Decimal:
    return value.quantize(TWO, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class IndicatorRule:
    code: str
    name: str
    numerator: str
    denominator: str
    scale: Decimal
    unit: str
    weight: Decimal
    benchmark: Decimal


@dataclass(frozen=True)
class Rules:
    year: int
    indicators: tuple[IndicatorRule, ...]
    cut_a: Decimal
    cut_b: Decimal
    cut_c: Decimal
    cap: Decimal
    min_years: int

    def as_json(self) -> dict:
        return {
            "year": self.year,
            "cut_a": str(self.cut_a),
            "cut_b": str(self.cut_b),
            "cut_c": str(self.cut_c),
            "cap": str(self.cap),
            "min_years": self.min_years,
            "indicators": [
                {
                    "code": i.code,
                    "name": i.name,
                    "numerator": i.numerator,
                    "denominator": i.denominator,
                    "scale": str(i.scale),
                    "unit": i.unit,
                    "weight": str(i.weight),
                    "benchmark": str(i.benchmark),
                }
                for i in self.indicators
            ],
        }

    @property
    def uses(self) -> set[str]:
        return {i.numerator for i in self.indicators} | {i.denominator for i in self.indicators}


def rules_for(setting: EvaluationYear) -> Rules:
    return Rules(
        year=setting.year,
        indicators=tuple(
            IndicatorRule(
                code=i.code,
                name=i.name,
                numerator=i.numerator,
                denominator=i.denominator,
                scale=i.scale,
                unit=i.unit,
                weight=i.weight,
                benchmark=i.benchmark,
            )
            for i in setting.indicators.all()
        ),
        cut_a=setting.cut_a,
        cut_b=setting.cut_b,
        cut_c=setting.cut_c,
        cap=setting.cap,
        min_years=setting.min_years,
    )


@dataclass
class Inputs:
    """One enterprise's year, as the engine needs it."""

    enterprise_id: int
    months: set[dt.date] = field(default_factory=set)
    output: Decimal = Decimal(0)
    tax: Decimal = Decimal(0)
    energy: Decimal = Decimal(0)
    rd: Decimal = Decimal(0)
    employees_total: int = 0
    energy_missing: list[dt.date] = field(default_factory=list)
    rd_missing: list[dt.date] = field(default_factory=list)
    land: Decimal = Decimal(0)
    land_missing: list[str] = field(default_factory=list)
    first_production: dt.date | None = None


@dataclass
class Result:
    enterprise_id: int
    klass: str
    score: Decimal | None
    land_mu: Decimal | None
    figures: dict
    values: list[dict]
    missing: list[str]


def year_months(year: int) -> list[dt.date]:
    return [dt.date(year, m, 1) for m in range(1, 13)]


def lease_mu(area_m2: Decimal, start, end, year: int) -> Decimal:
    """A lease's land in mu for the days of ``year`` it ran (start and end inclusive)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    days = (min(end, last) - max(start, first)).days + 1
    if days <= 0:
        return Decimal(0)
    return area_m2 * 15 * days / (Decimal(10000) * ((last - first).days + 1))


def classify(score: Decimal, rules: Rules) -> str:
    if score >= rules.cut_a:
        return Klass.A
    if score >= rules.cut_b:
        return Klass.B
    if score >= rules.cut_c:
        return Klass.C
    return Klass.D


def is_too_new(first_production: dt.date | None, rules: Rules) -> bool:
    """Fewer than ``min_years`` whole years in production by the end of the year."""
    if first_production is None:
        return True
    return first_production > dt.date(rules.year + 1 - rules.min_years, 1, 1)


def score_one(inputs: Inputs, rules: Rules) -> Result:
    employees = Decimal(inputs.employees_total) / 12
    figures_raw = {
        Figure.OUTPUT: inputs.output,
        Figure.TAX: inputs.tax,
        Figure.ENERGY: inputs.energy,
        Figure.RD: inputs.rd,
        Figure.EMPLOYEES: employees,
        Figure.LAND: q4(inputs.land),
        Figure.ONE: Decimal(1),
    }
    figures = {
        "output": str(inputs.output),
        "tax": str(inputs.tax),
        "energy": str(inputs.energy) if not inputs.energy_missing else None,
        "rd": str(inputs.rd) if not inputs.rd_missing else None,
        "employees": str(q2(employees)),
        "months": len(inputs.months),
    }
    land = q4(inputs.land) if not inputs.land_missing else None
    result = Result(inputs.enterprise_id, Klass.NOT_SCORED, None, land, figures, [], [])
    if is_too_new(inputs.first_production, rules):
        result.klass = Klass.T
        return result
    missing: list[str] = []
    absent = [m for m in year_months(rules.year) if m not in inputs.months]
    if absent:
        missing.append(
            _("Ledger months missing: %(months)s.")
            % {"months": ", ".join(m.strftime("%Y-%m") for m in absent)}
        )
    uses = rules.uses
    if Figure.ENERGY in uses and inputs.energy_missing:
        missing.append(
            _("Energy not reported for %(months)s.")
            % {"months": ", ".join(sorted({m.strftime("%Y-%m") for m in inputs.energy_missing}))}
        )
    if Figure.RD in uses and inputs.rd_missing:
        missing.append(
            _("R&D spending not reported for %(months)s.")
            % {"months": ", ".join(sorted({m.strftime("%Y-%m") for m in inputs.rd_missing}))}
        )
    missing.extend(inputs.land_missing)
    if not inputs.land_missing and figures_raw[Figure.LAND] <= 0:
        missing.append(_("No land recorded (plots or leases)."))
    if missing:
        result.missing = missing
        return result
    total = Decimal(0)
    for rule in rules.indicators:
        denominator = figures_raw[rule.denominator]
        if denominator <= 0:
            missing.append(
                _("%(indicator)s: %(figure)s is zero.")
                % {"indicator": rule.name, "figure": Figure(rule.denominator).label}
            )
            continue
        value = q4(figures_raw[rule.numerator] / denominator * rule.scale)
        points = q2(rule.weight * min(value / rule.benchmark, rules.cap))
        total += points
        result.values.append(
            {
                "code": rule.code,
                "name": rule.name,
                "unit": rule.unit,
                "value": str(value),
                "benchmark": str(rule.benchmark),
                "weight": str(rule.weight),
                "score": str(points),
            }
        )
    if missing:
        result.missing, result.values = missing, []
        return result
    result.score = total
    result.klass = classify(total, rules)
    return result


def collect(year: int) -> dict[int, Inputs]:
    """Every evaluated enterprise's inputs for ``year`` in a fixed number of queries."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    inputs: dict[int, Inputs] = {}

    def get(enterprise_id: int) -> Inputs:
        item = inputs.get(enterprise_id)
        if item is None:
            item = inputs[enterprise_id] = Inputs(enterprise_id)
        return item

    in_year = LedgerEntry.objects.filter(
        month__gte=first, month__lte=last, project__enterprise__isnull=False
    )
    sums = in_year.values("project__enterprise_id").annotate(
        output=Sum("output_value"),
        tax=Sum("tax"),
        energy=Sum("energy_tce"),
        rd=Sum("rd_spending"),
        employees=Sum("employees"),
        n=Count("id"),
        months=Count("month", distinct=True),
        energy_n=Count("energy_tce"),
        rd_n=Count("rd_spending"),
    )
    short, no_energy, no_rd = [], [], []
    full = frozenset(year_months(year))
    for row in sums.order_by():
        item = get(row["project__enterprise_id"])
        item.output = row["output"] or Decimal(0)
        item.tax = row["tax"] or Decimal(0)
        item.energy = row["energy"] or Decimal(0)
        item.rd = row["rd"] or Decimal(0)
        item.employees_total = row["employees"] or 0
        if row["months"] == 12:
            item.months = full  # shared, never changed
        else:
            short.append(item.enterprise_id)
        if row["energy_n"] < row["n"]:
            no_energy.append(item.enterprise_id)
        if row["rd_n"] < row["n"]:
            no_rd.append(item.enterprise_id)
    if short:
        for enterprise_id, month in (
            in_year.filter(project__enterprise_id__in=short)
            .order_by()
            .values_list("project__enterprise_id", "month")
            .distinct()
        ):
            inputs[enterprise_id].months.add(month.replace(day=1))
    if no_energy or no_rd:
        for enterprise_id, month, energy, rd in (
            in_year.filter(
                Q(project__enterprise_id__in=no_energy, energy_tce__isnull=True)
                | Q(project__enterprise_id__in=no_rd, rd_spending__isnull=True)
            )
            .order_by()
            .values_list("project__enterprise_id", "month", "energy_tce", "rd_spending")
        ):
            if energy is None:
                inputs[enterprise_id].energy_missing.append(month)
            if rd is None:
                inputs[enterprise_id].rd_missing.append(month)
    for enterprise_id in (
        Project.objects.filter(stage__in=PRODUCING, enterprise__isnull=False)
        .order_by()
        .values_list("enterprise_id", flat=True)
        .distinct()
    ):
        get(enterprise_id)

    # In production since: the first effective production step, else the first ledger month.
    for row in (
        StageEvent.objects.effective()
        .filter(stage=Stage.IN_PRODUCTION, project__enterprise__isnull=False)
        .order_by()
        .values("project__enterprise_id")
        .annotate(first=Min("on"))
    ):
        if row["project__enterprise_id"] in inputs:
            inputs[row["project__enterprise_id"]].first_production = row["first"]
    never = [k for k, item in inputs.items() if item.first_production is None]
    for row in (
        LedgerEntry.objects.filter(project__enterprise_id__in=never)
        .order_by()
        .values("project__enterprise_id")
        .annotate(first=Min("month"))
        if never
        else []
    ):
        inputs[row["project__enterprise_id"]].first_production = row["first"]

    _collect_land(inputs, year)
    return inputs


def _collect_land(inputs: dict[int, Inputs], year: int) -> None:
    # The battle map's plots are read through the project and the share (the cockpit app
    # stands above this one and reads its classes; see docs/architecture.md).
    plots: dict[int, tuple[str, Decimal | None]] = {}
    on_plot: dict[int, set[int]] = defaultdict(set)
    for plot_id, code, area, enterprise_id in Project.objects.filter(
        enterprise__isnull=False, plot_placement__isnull=False
    ).values_list(
        "plot_placement__plot_id",
        "plot_placement__plot__code",
        "plot_placement__plot__area_mu",
        "enterprise_id",
    ):
        plots[plot_id] = (code, area)
        on_plot[plot_id].add(enterprise_id)
    shares: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for plot_id, code, area, enterprise_id, percent in LandShare.objects.values_list(
        "plot_id", "plot__code", "plot__area_mu", "enterprise_id", "percent"
    ):
        plots[plot_id] = (code, area)
        shares[plot_id][enterprise_id] = percent
    for plot_id in set(on_plot) | set(shares):
        code, area = plots[plot_id]
        recorded = shares.get(plot_id)
        holders = set(recorded) if recorded else on_plot[plot_id]
        for enterprise_id in holders | on_plot[plot_id]:
            item = inputs.get(enterprise_id)
            if item is None:
                continue
            if area is None:
                item.land_missing.append(_("Plot %(code)s has no area.") % {"code": code})
            elif recorded:
                if enterprise_id in recorded:
                    item.land += area * recorded[enterprise_id] / 100
                else:
                    item.land_missing.append(
                        _("Plot %(code)s: no share recorded for this enterprise.") % {"code": code}
                    )
            elif len(holders) == 1:
                item.land += area
            else:
                item.land_missing.append(
                    _("Plot %(code)s is shared by %(n)s enterprises: record their shares.")
                    % {"code": code, "n": len(holders)}
                )
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    for enterprise_id, starts, ends, terminated, area in (
        Lease.objects.filter(starts_on__lte=last)
        .filter(Q(terminated_on__isnull=True, ends_on__gte=first) | Q(terminated_on__gte=first))
        .values_list("enterprise_id", "starts_on", "ends_on", "terminated_on", "unit__area_m2")
    ):
        item = inputs.get(enterprise_id)
        if item is not None:
            item.land += lease_mu(area, starts, terminated or ends, year)


def evaluate(year: int, rules: Rules) -> list[Result]:
    inputs = collect(year)
    return [score_one(inputs[k], rules) for k in sorted(inputs)]
