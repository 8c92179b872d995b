"""Property tests (hypothesis): the statistics engine and the work calendar against simple
Python oracles, on many generated histories and dates."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gaoxin.core import workcalendar
from gaoxin.projects import stats
from gaoxin.projects.models import Project, StageCorrection, StageEvent
from gaoxin.projects.stages import TRANSITIONS, Stage

pytestmark = pytest.mark.django_db
SETTINGS = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
BASE = dt.date(2025, 1, 1)
CST = ZoneInfo("Asia/Shanghai")


@st.composite
def history(draw):
    """A legal path of stages with non-decreasing dates; some latest steps voided."""
    stage = draw(st.sampled_from([Stage.LEAD, Stage.NEGOTIATING]))
    day = draw(st.integers(0, 500))
    steps = [(stage, day)]
    for _ in range(draw(st.integers(0, 6))):
        options = sorted(TRANSITIONS[stage])
        if not options:
            break
        stage = draw(st.sampled_from(options))
        day += draw(st.integers(0, 120))
        steps.append((stage, day))
    voided = draw(st.integers(0, max(0, len(steps) - 1)))  # never the first
    return steps, voided


def build(histories):
    """Rows for the histories; returns the oracle's view: effective (project, stage, date)."""
    effective = []
    for i, (steps, voided) in enumerate(histories):
        project = Project.objects.create(name=f"p{i}", prospective_investor="x")
        events = [
            StageEvent.objects.create(project=project, stage=s, on=BASE + dt.timedelta(d))
            for s, d in steps
        ]
        for event in events[len(events) - voided :]:
            StageCorrection.objects.create(event=event, reason="test")
        effective += [(project.pk, e.stage, e.on, e.pk) for e in events[: len(events) - voided]]
    return effective


def oracle_entries(effective, start, end):
    result = dict.fromkeys(Stage.values, 0)
    for stage in Stage.values:
        result[stage] = len({p for p, s, on, _id in effective if s == stage and start <= on <= end})
    return result


def oracle_stock(effective, day):
    latest = {}
    for p, s, on, pk in effective:
        if on <= day and (p not in latest or (on, pk) > latest[p][0]):
            latest[p] = ((on, pk), s)
    result = dict.fromkeys(Stage.values, 0)
    for _key, s in latest.values():
        result[s] += 1
    return result


@SETTINGS
@given(
    histories=st.lists(history(), min_size=1, max_size=6),
    a=st.integers(0, 900),
    b=st.integers(0, 900),
)
def test_entries_and_stock_match_the_oracle(histories, a, b):
    start, end = sorted([BASE + dt.timedelta(a), BASE + dt.timedelta(b)])
    with transaction.atomic():
        effective = build(histories)
        assert stats.entries(stats.Period(start, end)) == oracle_entries(effective, start, end)
        assert stats.stock(end) == oracle_stock(effective, end)
        ids = set(stats.stock_projects(Stage.SIGNED, end).values_list("pk", flat=True))
        assert len(ids) == oracle_stock(effective, end)[Stage.SIGNED]
        transaction.set_rollback(True)


@pytest.fixture
def seeded_calendar(calendar):
    return None


@SETTINGS
@given(offset=st.integers(0, 2400), days=st.integers(0, 60))
def test_adding_working_days_is_undone_by_counting_them(seeded_calendar, offset, days):
    start = dt.date(2020, 1, 1) + dt.timedelta(offset)
    result = workcalendar.add_working_days(start, days)
    assert result.value >= start
    assert workcalendar.is_working_day(result.value).value
    if days:
        assert workcalendar.working_days_between(start, result.value).value == days


@SETTINGS
@given(
    offset=st.integers(0, 2000), minute=st.integers(0, 24 * 60 - 1), minutes=st.integers(0, 5000)
)
def test_adding_working_minutes_is_undone_by_measuring_them(
    seeded_calendar, offset, minute, minutes
):
    day = dt.date(2020, 1, 1) + dt.timedelta(offset)
    start = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=CST)
    end = workcalendar.add_working_minutes(start, minutes).value
    assert end >= start
    assert workcalendar.working_minutes_between(start, end).minutes == minutes
