"""The demo year reproduces the article's half-year through the statistics engine, and every
historical record sits at its own date (issue 17, item 5).

seed_demo runs at a fixed moment (time_machine): after June, the current year's first half
reads 289 in the register on 30 June, 173 new negotiations against 147 a year earlier (+17.7%),
83 signed, 31 under construction, 61 key projects. Before July the half-year is not over, so
the demo reproduces last year's first half (projects.demo.reproduced_year) and the current
year runs on from it.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from gaoxin.accounts.models import User
from gaoxin.cockpit import selectors as cockpit_selectors
from gaoxin.core import auditchain
from gaoxin.core.models import AuditEntry, Notification
from gaoxin.core.notifications import NOTIFICATION_USEFUL_DAYS
from gaoxin.demo.reminders import UNREAD_KEPT, _cause
from gaoxin.dispatch.models import DispatchPeriod, KeyProject
from gaoxin.notifications.models import EventRule, RobotWebhook
from gaoxin.projects import stats
from gaoxin.projects.demo import reproduced_year
from gaoxin.projects.models import Project, StageEvent
from gaoxin.projects.stages import Stage

pytestmark = pytest.mark.django_db(transaction=False)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def seeded(request):
    """seed_demo run at 10:00 on the day given (indirect parametrisation); the test runs on
    that day too."""
    day = request.param
    with time_machine.travel(dt.datetime.combine(day, dt.time(10), SHANGHAI), tick=True):
        call_command("seed_demo", verbosity=0)
        assert timezone.localdate() == day
        yield day


def _assert_the_articles_half_year(today: dt.date) -> None:
    year = reproduced_year(today)
    period = stats.Period.half_year(year, 1)
    # The same call the statistics page and the cockpit make.
    summary = stats.summary(period, today=today)
    assert summary.period == period  # a finished half-year, not counted to today
    assert summary.in_register.value == 289
    negotiating = summary.entries[Stage.NEGOTIATING]
    assert (negotiating.value, negotiating.base) == (173, 147)
    assert negotiating.growth == Decimal("17.7")
    assert summary.entries[Stage.SIGNED].value == 83
    assert summary.stock[Stage.UNDER_CONSTRUCTION] == 31
    cockpit = cockpit_selectors.cockpit(period, today)
    assert cockpit.summary.entries[Stage.NEGOTIATING].value == 173
    assert cockpit.key_year == year
    assert sum(cockpit.lights.values()) == KeyProject.objects.filter(year=year).count() == 61
    assert KeyProject.objects.filter(year=today.year).count() == 61
    # The year goes on after June at the half-year's pace.
    since = stats.Period(dt.date(year, 7, 1), today - dt.timedelta(days=10))
    per_day = stats.entries(since)[Stage.NEGOTIATING] / ((since.end - since.start).days + 1)
    assert 0.4 < per_day < 1.2, per_day


def _assert_records_at_their_dates(today: dt.date) -> None:
    now = timezone.now()
    # Stage events recorded on their day; the audit trail holds each at that day, chain valid.
    events = list(StageEvent.objects.all())
    assert [e for e in events if timezone.localdate(e.recorded_at) != e.on] == []
    logged = {
        int(e.object_id): e.timestamp
        for e in AuditEntry.objects.filter(content_type__model="stageevent", request_id="seed_demo")
    }
    assert len(logged) > 1000
    assert all(timezone.localdate(logged[e.pk]) == e.on for e in events if e.pk in logged)
    assert auditchain.verify().ok
    # Reminders: none before its event, a handful unread per account, all recent.
    for notification in Notification.objects.all():
        happened = _cause(notification.key)[0]
        if happened is not None:
            assert notification.created_at >= happened, notification.key
    assert Notification.objects.filter(created_at__lt=now - dt.timedelta(days=30)).exists()
    cutoff = now - dt.timedelta(days=NOTIFICATION_USEFUL_DAYS)
    for user in User.objects.all():
        unread = Notification.objects.filter(user=user, read_at__isnull=True)
        assert unread.count() <= UNREAD_KEPT, (user.username, unread.count())
        assert not unread.filter(created_at__lt=cutoff).exists(), user.username


@pytest.mark.parametrize("seeded", [dt.date(2026, 12, 1)], indirect=True)
def test_the_demo_seeded_in_december_reproduces_this_years_first_half(seeded):
    today = seeded
    _assert_the_articles_half_year(today)
    _assert_records_at_their_dates(today)
    # The reporting months' reminders are dated at each month's opening; January's is archived.
    # Keyed by the period's id, which the database gives (not 1 on every database).
    january_periods = DispatchPeriod.objects.filter(start__year=2026, start__month=1)
    january = (
        Notification.objects.filter(key__in=[f"period-{p.pk}-open" for p in january_periods])
        .order_by("created_at")
        .first()
    )
    assert january is not None and timezone.localdate(january.created_at) == dt.date(2026, 1, 1)
    assert january.read_at is not None
    # Channels (#19): rules and robots, the robots off and pointing nowhere on the internet.
    assert EventRule.objects.count() == 2
    assert RobotWebhook.objects.count() == 2
    assert not RobotWebhook.objects.filter(is_active=True).exists()
    assert all(".invalid/" in str(hook.url) for hook in RobotWebhook.objects.all())
    # A second run (make run starts with it) changes nothing.
    counts = [m.objects.count() for m in (Project, StageEvent, AuditEntry, Notification)]
    call_command("seed_demo", verbosity=0)
    assert [m.objects.count() for m in (Project, StageEvent, AuditEntry, Notification)] == counts


@pytest.mark.parametrize("seeded", [dt.date(2026, 8, 15)], indirect=True)
def test_the_demo_seeded_in_august_reproduces_this_years_first_half(seeded):
    today = seeded
    _assert_the_articles_half_year(today)
    _assert_records_at_their_dates(today)
    assert not StageEvent.objects.filter(on__gt=today).exists()  # nothing in the future


@pytest.mark.parametrize("seeded", [dt.date(2026, 3, 10)], indirect=True)
def test_the_demo_seeded_before_july_reproduces_last_years_first_half(seeded):
    today = seeded
    assert reproduced_year(today) == 2025
    _assert_the_articles_half_year(today)
    assert not StageEvent.objects.filter(on__gt=today).exists()
    # This year's first half is under way: counted to today.
    running = stats.summary(stats.Period.half_year(2026, 1), today=today)
    assert running.period.end == today
    assert running.entries[Stage.NEGOTIATING].value > 0
