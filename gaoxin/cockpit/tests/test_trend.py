"""The cockpit's month-by-month trend is the statistics engine's entries, month by month."""

import datetime as dt

import pytest

from gaoxin.cockpit import selectors
from gaoxin.projects import stats
from gaoxin.projects.models import StageEvent
from gaoxin.projects.services import event_correct, project_advance, project_create

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def history(staff, enterprise, calendar):
    """Entries spread over months, one project entering a stage twice in a month (counted
    once), one event voided (not counted), one outside the period."""
    steps = [
        [("negotiating", D(2026, 1, 10)), ("signed", D(2026, 2, 1))],
        [("negotiating", D(2026, 1, 5)), ("signed", D(2026, 3, 1))],
        [
            ("negotiating", D(2026, 3, 3)),
            ("dropped", D(2026, 3, 10)),
            ("negotiating", D(2026, 3, 20)),
        ],
        [("negotiating", D(2025, 12, 30)), ("signed", D(2026, 4, 2))],
    ]
    made = []
    for i, moves in enumerate(steps):
        project = project_create(
            by=staff, data={"name": f"项目{i}", "enterprise": enterprise}, on=D(2025, 6, 1)
        )
        for stage, on in moves:
            project_advance(project=project, to_stage=stage, on=on, by=staff)
        made.append(project)
    wrong = StageEvent.objects.get(project=made[3], stage="signed")
    event_correct(event=wrong, by=staff, reason="签约录错")
    return made


def test_each_months_trend_is_the_engines_entries_for_that_month(history):
    period = stats.Period(D(2026, 1, 1), D(2026, 6, 30))
    rows = selectors.trend(period, today=D(2026, 5, 15))
    assert [r["month"] for r in rows] == [D(2026, m, 1) for m in range(1, 6)]
    for row in rows:
        month = stats.Period(row["month"], selectors.month_end(row["month"]))
        entries = stats.entries(month)
        assert row["counts"] == {s: entries[s] for s in selectors.TREND_STAGES}
    assert rows[0]["counts"]["negotiating"] == 2
    assert rows[2]["counts"]["negotiating"] == 1  # twice in March, one project
    assert rows[3]["counts"]["signed"] == 0  # the April signing was voided


def test_the_trend_is_one_query(history, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.trend(stats.Period(D(2026, 1, 1), D(2026, 6, 30)))
