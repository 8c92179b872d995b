"""Property test (hypothesis): the evaluation engine, which aggregates in the database, equals a
plain-Python oracle that reads the generated rows one by one, on many generated small zones."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gaoxin.delivery import scoring
from gaoxin.delivery.models import LandShare
from gaoxin.delivery.tests.zone import lease, place, plot, project
from gaoxin.dispatch.models import LedgerEntry
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db
YEAR = 2025
SETTINGS = settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FIGURES = ["tax", "output", "energy", "rd", "employees", "land"]
money = st.integers(0, 500_000).map(lambda n: Decimal(n) / 100)


@st.composite
def zone(draw):
    n = draw(st.integers(1, 5))
    enterprises = []
    for _ in range(n):
        projects = []
        for _ in range(draw(st.integers(1, 2))):
            producing = draw(st.none() | st.dates(dt.date(2019, 1, 1), dt.date(2025, 12, 31)))
            months = draw(st.sets(st.integers(1, 12), max_size=12))
            if draw(st.booleans()):
                months = set(range(1, 13))
            ledger = {
                m: (
                    draw(money),
                    draw(money),
                    draw(st.integers(0, 500)),
                    draw(st.none() | money) if draw(st.integers(0, 9)) == 0 else draw(money),
                    draw(st.none() | money) if draw(st.integers(0, 9)) == 0 else draw(money),
                )
                for m in sorted(months)
            }
            projects.append({"producing": producing, "ledger": ledger, "plot": None})
        leases = []
        if draw(st.booleans()):
            start = draw(st.dates(dt.date(2023, 1, 1), dt.date(2025, 12, 31)))
            end = start + dt.timedelta(days=draw(st.integers(0, 900)))
            area = Decimal(draw(st.integers(1, 500_000))) / 100
            leases.append((area, start, end))
        enterprises.append({"projects": projects, "leases": leases})
    plots = [
        draw(st.none() | st.integers(1, 2000).map(lambda n: Decimal(n) / 10))
        if draw(st.integers(0, 7)) == 0
        else Decimal(draw(st.integers(1, 2000))) / 10
        for _ in range(draw(st.integers(0, 3)))
    ]
    for e in enterprises:
        for p in e["projects"]:
            if plots and draw(st.booleans()):
                p["plot"] = draw(st.integers(0, len(plots) - 1))
    # Shares for some plots: integer percents adding up to 100 among some enterprises.
    shares = {}
    for index in range(len(plots)):
        if draw(st.booleans()):
            holders = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True))
            cuts = sorted(
                draw(
                    st.lists(
                        st.integers(1, 99),
                        min_size=len(holders) - 1,
                        max_size=len(holders) - 1,
                        unique=True,
                    )
                )
            )
            bounds = [0, *cuts, 100]
            shares[index] = {h: Decimal(bounds[i + 1] - bounds[i]) for i, h in enumerate(holders)}
    return {"enterprises": enterprises, "plots": plots, "shares": shares}


@st.composite
def rules(draw):
    k = draw(st.integers(1, 4))
    cuts = sorted(draw(st.lists(st.integers(0, 20000), min_size=3, max_size=3, unique=True)))
    weight_cuts = sorted(
        draw(st.lists(st.integers(1, 99), min_size=k - 1, max_size=k - 1, unique=True))
    )
    bounds = [0, *weight_cuts, 100]
    indicators = []
    for i in range(k):
        numerator = draw(st.sampled_from(["tax", "output", "energy", "rd", "employees"]))
        denominator = draw(st.sampled_from([*FIGURES, "one"]))
        indicators.append(
            scoring.IndicatorRule(
                code=f"i{i}",
                name=f"指标{i}",
                numerator=numerator,
                denominator=denominator,
                scale=Decimal(draw(st.sampled_from([1, 100]))),
                unit="",
                weight=Decimal(bounds[i + 1] - bounds[i]),
                benchmark=Decimal(draw(st.integers(1, 100_000))) / 100,
            )
        )
    return scoring.Rules(
        year=YEAR,
        indicators=tuple(indicators),
        cut_a=Decimal(cuts[2]) / 100,
        cut_b=Decimal(cuts[1]) / 100,
        cut_c=Decimal(cuts[0]) / 100,
        cap=Decimal(draw(st.integers(100, 300))) / 100,
        min_years=draw(st.integers(0, 3)),
    )


def build(data, user):
    """The rows; returns the enterprise ids in generation order."""
    plots = [plot(f"P{i}", area) for i, area in enumerate(data["plots"])]
    ids = []
    for i, e in enumerate(data["enterprises"]):
        enterprise = EnterpriseFactory(name=f"企业{i}")
        ids.append(enterprise.pk)
        for j, p in enumerate(e["projects"]):
            row = project(enterprise, name=f"项目{i}-{j}", producing_on=p["producing"])
            if p["plot"] is not None:
                place(row, plots[p["plot"]])
            for m, (output, tax, employees, energy, rd) in p["ledger"].items():
                LedgerEntry.objects.create(
                    project=row,
                    month=dt.date(YEAR, m, 1),
                    output_value=output,
                    tax=tax,
                    employees=employees,
                    energy_tce=energy,
                    rd_spending=rd,
                    entered_by=user,
                )
        for k, (area, start, end) in enumerate(e["leases"]):
            lease(enterprise, area, start, end, number=f"{i}-{k}")
    for index, holders in data["shares"].items():
        for h, percent in holders.items():
            LandShare.objects.create(plot=plots[index], enterprise_id=ids[h], percent=percent)
    return ids


def oracle(data, rules_) -> dict[int, tuple]:
    """Index of each evaluated enterprise → (class, score, land), straight from the spec."""
    year_first, year_last = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    uses = {i.numerator for i in rules_.indicators} | {i.denominator for i in rules_.indicators}
    # Who is on each plot, and their land.
    on_plot = {}
    for i, e in enumerate(data["enterprises"]):
        for p in e["projects"]:
            if p["plot"] is not None:
                on_plot.setdefault(p["plot"], set()).add(i)
    result = {}
    for i, e in enumerate(data["enterprises"]):
        entries = [entry for p in e["projects"] for entry in p["ledger"].items()]
        producing = [p["producing"] for p in e["projects"] if p["producing"]]
        if not entries and not producing:
            continue
        first = min(producing) if producing else min(dt.date(YEAR, m, 1) for m, _ in entries)
        if first > dt.date(YEAR + 1 - rules_.min_years, 1, 1):
            result[i] = ("T", None)
            continue
        land, land_bad = Decimal(0), False
        for index, area in enumerate(data["plots"]):
            recorded = data["shares"].get(index)
            holders = set(recorded) if recorded else on_plot.get(index, set())
            if i not in holders | on_plot.get(index, set()):
                continue
            if area is None:
                land_bad = True
            elif recorded:
                if i in recorded:
                    land += area * recorded[i] / 100
                else:
                    land_bad = True
            elif len(holders) == 1:
                land += area
            else:
                land_bad = True
        for area, start, end in e["leases"]:
            days = (min(end, year_last) - max(start, year_first)).days + 1
            if days > 0:
                land += area * 15 * days / (Decimal(10000) * 365)
        land = land.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
        months = {m for m, _ in entries}
        energy_gap = any(v[3] is None for _, v in entries)
        rd_gap = any(v[4] is None for _, v in entries)
        if (
            len(months) < 12
            or ("energy" in uses and energy_gap)
            or ("rd" in uses and rd_gap)
            or land_bad
            or land <= 0
        ):
            result[i] = ("-", None)
            continue
        figures = {
            "output": sum((v[0] for _, v in entries), Decimal(0)),
            "tax": sum((v[1] for _, v in entries), Decimal(0)),
            "employees": Decimal(sum(v[2] for _, v in entries)) / 12,
            "energy": sum((v[3] or 0 for _, v in entries), Decimal(0)),
            "rd": sum((v[4] or 0 for _, v in entries), Decimal(0)),
            "land": land,
            "one": Decimal(1),
        }
        total, unscored = Decimal(0), False
        for ind in rules_.indicators:
            if figures[ind.denominator] <= 0:
                unscored = True
                break
            value = (figures[ind.numerator] / figures[ind.denominator] * ind.scale).quantize(
                Decimal("0.0001"), rounding=ROUND_HALF_UP
            )
            ratio = min(value / ind.benchmark, rules_.cap)
            total += (ind.weight * ratio).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if unscored:
            result[i] = ("-", None)
            continue
        klass = (
            "A"
            if total >= rules_.cut_a
            else "B"
            if total >= rules_.cut_b
            else "C"
            if total >= rules_.cut_c
            else "D"
        )
        result[i] = (klass, total)
    return result


@SETTINGS
@given(data=zone(), rules_=rules())
def test_the_engine_equals_the_oracle(admin_user, data, rules_):
    with transaction.atomic():
        ids = build(data, admin_user)
        got = {r.enterprise_id: (r.klass, r.score) for r in scoring.evaluate(YEAR, rules_)}
        expected = {ids[i]: value for i, value in oracle(data, rules_).items()}
        assert got == expected
        transaction.set_rollback(True)
