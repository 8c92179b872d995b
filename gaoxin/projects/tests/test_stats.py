"""Every figure of a small, hand-checked history (see conftest.history)."""

import datetime as dt
from decimal import Decimal

import pytest

from gaoxin.projects import services, stats
from gaoxin.projects.models import Figure, Project
from gaoxin.projects.stages import Stage
from gaoxin.projects.tests.conftest import make_project

pytestmark = pytest.mark.django_db
D = dt.date
H1_2026 = stats.Period(D(2026, 1, 1), D(2026, 6, 30))
H1_2025 = stats.Period(D(2025, 1, 1), D(2025, 6, 30))


def test_entries_in_a_period_count_each_project_once_per_stage(history):
    assert stats.entries(H1_2026) == {
        "lead": 1,
        "negotiating": 3,
        "signed": 2,
        "registered": 0,
        "under_construction": 1,
        "in_production": 1,
        "at_capacity": 0,
        "dropped": 0,
    }


def test_the_same_period_last_year(history):
    assert stats.entries(H1_2025) == {
        "lead": 1,
        "negotiating": 2,
        "signed": 1,
        "registered": 1,
        "under_construction": 0,
        "in_production": 0,
        "at_capacity": 0,
        "dropped": 0,
    }
    assert H1_2026.year_earlier() == H1_2025


def test_year_over_year_growth_and_na_when_the_base_is_zero(history):
    compared = stats.entries_compared(H1_2026)
    assert compared["negotiating"].growth == Decimal("50.0")
    assert compared["negotiating"].growth_display == "+50.0%"
    assert compared["signed"].growth == Decimal("100.0")
    assert compared["registered"].growth == Decimal("-100.0")
    assert compared["under_construction"].growth is None
    assert compared["under_construction"].growth_display == "n/a"


def test_stock_on_a_date(history):
    assert stats.stock(D(2026, 6, 30)) == {
        "lead": 1,
        "negotiating": 1,
        "signed": 1,
        "registered": 0,
        "under_construction": 1,
        "in_production": 1,
        "at_capacity": 0,
        "dropped": 1,
    }
    # A year earlier P2 was still negotiating (dropped in July) and P6 did not exist yet.
    assert stats.stock(D(2025, 6, 30)) == {
        "lead": 0,
        "negotiating": 1,
        "signed": 0,
        "registered": 1,
        "under_construction": 0,
        "in_production": 0,
        "at_capacity": 0,
        "dropped": 0,
    }
    assert stats.in_register(D(2026, 6, 30)) == 5
    assert stats.in_register(D(2025, 6, 30)) == 2


def test_a_voided_event_counts_nowhere_but_stays_in_the_record(history):
    p5 = history["p5"]
    assert p5.stage == Stage.SIGNED
    assert p5.events.count() == 3
    assert p5.events.effective().count() == 2
    assert stats.entries(stats.Period(D(2026, 6, 30), D(2026, 6, 30)))["registered"] == 0


def test_a_back_dated_event_changes_the_past_figures(history, staff):
    assert stats.stock(D(2026, 6, 30))["signed"] == 1
    services.project_advance(
        project=history["p4"], to_stage=Stage.SIGNED, on=D(2026, 6, 1), by=staff
    )
    assert stats.stock(D(2026, 6, 30))["signed"] == 2
    assert stats.stock(D(2026, 5, 31))["signed"] == 0  # P5 signed on 30 June
    assert stats.entries(H1_2026)["signed"] == 3


def test_a_dropped_project_taken_up_again_counts_as_a_new_negotiation(history, staff):
    services.project_advance(
        project=history["p2"], to_stage=Stage.NEGOTIATING, on=D(2026, 2, 2), by=staff
    )
    assert stats.entries(H1_2026)["negotiating"] == 4
    assert stats.stock(D(2026, 6, 30))["dropped"] == 0


def test_filters_narrow_every_figure(history):
    chips = Project.objects.filter(cluster=history["chips"])
    assert stats.entries(H1_2026, chips)["negotiating"] == 2  # P4, P5
    assert stats.stock(D(2026, 6, 30), chips)["in_production"] == 1


def test_breakdown_by_cluster_with_investment(history):
    rows = stats.entries_by("cluster", H1_2026)
    negotiating = {
        r["label"]: (r["projects"], r["total_investment"])
        for r in rows
        if r["stage"] == "negotiating"
    }
    assert negotiating == {
        "新一代信息技术": (2, Decimal("7000.00")),
        "生命大健康": (1, Decimal("6000.00")),
    }
    by_province = {
        (r["label"], r["stage"]): r["projects"]
        for r in stats.stock_by("source_province", D(2026, 6, 30))
    }
    assert by_province[("江苏省", "in_production")] == 1
    assert by_province[("江苏省", "negotiating")] == 1


def test_investment_of_entries(history):
    sums = stats.investment_of_entries("signed", H1_2026)
    assert sums["total"] == Decimal("11000.00")  # P3 6000 + P5 5000


def test_targets_against_actuals(history, admin_user):
    services.target_set(
        by=admin_user, year=2026, figure=Figure.NEW_IN_PRODUCTION, value=Decimal(38)
    )
    services.target_set(
        by=admin_user, year=2026, figure=Figure.NEW_UNDER_CONSTRUCTION, value=Decimal(20)
    )
    services.target_set(by=admin_user, year=2026, figure=Figure.FUNDS_IN_PLACE, value=Decimal(2000))
    progress = {t.figure: t for t in stats.target_progress(2026, D(2026, 6, 30))}
    production = progress["in_production"]
    assert (production.actual, production.percent, production.remaining) == (
        Decimal(1),
        Decimal("2.6"),
        Decimal(37),
    )
    assert progress["under_construction"].percent == Decimal("5.0")
    assert progress["funds_in_place"].actual == Decimal("800.00")
    assert progress["funds_in_place"].percent == Decimal("40.0")


def test_conversion_rates(history, admin_user):
    services.target_set(by=admin_user, year=2026, figure=Figure.FUNDS_IN_PLACE, value=Decimal(2000))
    r = stats.rates(H1_2026)
    assert (r.on_time_start, r.on_time_start_base) == (Decimal("100.0"), 1)  # P3 started early
    assert r.investment_completion == Decimal("33.3")  # 5000 of 15000 (P1 + P3)
    assert r.production_reached == Decimal("0.0")  # P1 producing, not yet at capacity
    assert r.funds_in_place == Decimal("800.00")
    assert r.funds_percent == Decimal("40.0")
    late = stats.rates(stats.Period(D(2025, 1, 1), D(2025, 12, 31)))
    assert (late.on_time_start, late.on_time_start_base) == (Decimal("0.0"), 1)  # P1 a day late


def test_rates_are_na_without_a_base(db):
    r = stats.rates(H1_2026)
    assert r.on_time_start is None
    assert r.investment_completion is None
    assert r.production_reached is None


def test_summary_query_count_does_not_grow_with_projects(
    history, staff, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20) as few:
        stats.summary(H1_2026)
    for i in range(25):
        make_project(
            staff, f"更多项目{i}", Stage.NEGOTIATING, D(2026, 1, 2), [(Stage.SIGNED, D(2026, 2, 2))]
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        result = stats.summary(H1_2026)
    assert result.entries["signed"].value == 27
    assert result.in_register.value == 30
    assert result.in_register.base == 2


def test_periods_must_run_forwards():
    with pytest.raises(ValueError):
        stats.Period(D(2026, 6, 30), D(2026, 1, 1))
    assert stats.Period(D(2024, 2, 29), D(2024, 2, 29)).year_earlier().start == D(2023, 2, 28)
