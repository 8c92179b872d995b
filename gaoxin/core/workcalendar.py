"""The official working calendar: State Council holidays and make-up working days (调休).

The schedule is stored in the database (``CalendarYear``, ``CalendarDay``), seeded from the
``chinese-calendar`` package and editable by admins for years the package does not know yet.
Every answer says whether it relied on a year with no known schedule (``certain=False``), so a
deadline is never silently guessed; once an admin enters that year, the same call is exact.

Working time in hours and minutes counts only office hours (settings.WORK_DAY_PERIODS) on
working days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core import audit
from gaoxin.core.models import AuditAction, CalendarDay, CalendarYear

_CACHE_KEY = "workcalendar:v1"
_CACHE_SECONDS = 300

# Sanity bound: a limit longer than this many working days is a data error, not a deadline.
MAX_WORKING_DAYS = 3660
# The dates the platform computes with; outside them a date is a typing error.
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2999, 12, 31)


class OutOfRange(ValueError):
    """A date outside FIRST_DAY..LAST_DAY reached the work calendar."""


@dataclass(frozen=True)
class Schedule:
    known_years: frozenset[int]
    holidays: frozenset[dt.date]
    makeup_workdays: frozenset[dt.date]


@dataclass(frozen=True)
class CalendarResult:
    """A computed date/instant, with whether every day it relied on was in a known year."""

    value: dt.date | dt.datetime
    certain: bool
    unknown_years: tuple[int, ...] = ()


@dataclass(frozen=True)
class DurationResult:
    minutes: int
    certain: bool
    unknown_years: tuple[int, ...] = ()

    @property
    def working_days(self) -> float:
        return self.minutes / minutes_per_working_day()


def load_schedule() -> Schedule:
    schedule = cache.get(_CACHE_KEY)
    if schedule is None:
        days = list(CalendarDay.objects.values_list("date", "kind"))
        schedule = Schedule(
            known_years=frozenset(CalendarYear.objects.values_list("year", flat=True)),
            holidays=frozenset(d for d, k in days if k == CalendarDay.Kind.HOLIDAY),
            makeup_workdays=frozenset(d for d, k in days if k == CalendarDay.Kind.MAKEUP_WORKDAY),
        )
        cache.set(_CACHE_KEY, schedule, _CACHE_SECONDS)
    return schedule


def invalidate() -> None:
    """Called by every service that changes the schedule (after commit)."""
    cache.delete(_CACHE_KEY)


class _Tracker:
    def __init__(self, schedule: Schedule):
        self.schedule = schedule
        self.unknown: set[int] = set()

    def is_working_day(self, day: dt.date) -> bool:
        if not FIRST_DAY <= day <= LAST_DAY:
            raise OutOfRange(f"dates must lie between {FIRST_DAY} and {LAST_DAY}")
        s = self.schedule
        if day.year not in s.known_years:
            self.unknown.add(day.year)
        if day in s.makeup_workdays:
            return True
        if day in s.holidays:
            return False
        return day.weekday() < 5

    def result(self, value) -> CalendarResult:
        return CalendarResult(value, not self.unknown, tuple(sorted(self.unknown)))


def check_range(day: dt.date, field: str | None = None) -> None:
    """Refuse a date the calendar cannot compute with, as a form/API error on ``field``."""
    if not FIRST_DAY <= day <= LAST_DAY:
        message = _("Give a date between %(first)s and %(last)s.") % {
            "first": FIRST_DAY.isoformat(),
            "last": LAST_DAY.isoformat(),
        }
        raise ValidationError({field: message} if field else message)


def is_working_day(day: dt.date) -> CalendarResult:
    t = _Tracker(load_schedule())
    working = t.is_working_day(day)
    return CalendarResult(working, not t.unknown, tuple(sorted(t.unknown)))  # type: ignore[arg-type]


def add_working_days(start: dt.date, days: int) -> CalendarResult:
    """The date ``days`` working days after ``start`` (start itself not counted).

    Zero returns ``start`` if it is a working day, else the next working day.
    """
    if days < 0 or days > MAX_WORKING_DAYS:
        raise ValueError(f"working days must be between 0 and {MAX_WORKING_DAYS}")
    t = _Tracker(load_schedule())
    day = start
    if days == 0:
        while not t.is_working_day(day):
            day += dt.timedelta(days=1)
        return t.result(day)
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if t.is_working_day(day):
            counted += 1
    return t.result(day)


@lru_cache(maxsize=1)
def _periods() -> tuple[tuple[dt.time, dt.time], ...]:
    return tuple(
        (dt.time.fromisoformat(a), dt.time.fromisoformat(b)) for a, b in settings.WORK_DAY_PERIODS
    )


def office_periods() -> tuple[tuple[dt.time, dt.time], ...]:
    """The office hours of a working day, as (start, end) pairs."""
    return _periods()


def minutes_per_working_day() -> int:
    return sum((b.hour * 60 + b.minute) - (a.hour * 60 + a.minute) for a, b in _periods())


def _local(instant: dt.datetime) -> dt.datetime:
    if timezone.is_naive(instant):
        raise ValueError("working-time arithmetic needs an aware datetime")
    return timezone.localtime(instant)


def _combine(day: dt.date, t: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, t))


def add_working_minutes(start: dt.datetime, minutes: int) -> CalendarResult:
    """The instant ``minutes`` of office time after ``start`` (working hours: minutes * 60)."""
    if minutes < 0 or minutes > MAX_WORKING_DAYS * minutes_per_working_day():
        raise ValueError("working minutes out of range")
    t = _Tracker(load_schedule())
    current = _local(start)
    remaining = minutes
    day = current.date()
    while True:
        if t.is_working_day(day):
            for a, b in _periods():
                begin, end = _combine(day, a), _combine(day, b)
                if current >= end:
                    continue
                current = max(current, begin)
                available = int((end - current).total_seconds() // 60)
                if remaining <= available:
                    return t.result(current + dt.timedelta(minutes=remaining))
                remaining -= available
                current = end
        day += dt.timedelta(days=1)
        current = _combine(day, dt.time(0, 0))


def add_working_hours(start: dt.datetime, hours: int) -> CalendarResult:
    return add_working_minutes(start, hours * 60)


def working_minutes_between(start: dt.datetime, end: dt.datetime) -> DurationResult:
    """Office minutes between two instants (negative if end is before start)."""
    if end < start:
        r = working_minutes_between(end, start)
        return DurationResult(-r.minutes, r.certain, r.unknown_years)
    t = _Tracker(load_schedule())
    a_local, b_local = _local(start), _local(end)
    total = 0.0
    day = a_local.date()
    while day <= b_local.date():
        if t.is_working_day(day):
            for a, b in _periods():
                begin = max(_combine(day, a), a_local)
                finish = min(_combine(day, b), b_local)
                if finish > begin:
                    total += (finish - begin).total_seconds() / 60
        day += dt.timedelta(days=1)
    return DurationResult(int(total), not t.unknown, tuple(sorted(t.unknown)))


def working_days_between(start: dt.date, end: dt.date) -> CalendarResult:
    """Working days after ``start`` up to and including ``end``."""
    t = _Tracker(load_schedule())
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if t.is_working_day(day):
            count += 1
    return t.result(count)


# --- maintaining the schedule (services) -------------------------------------------------


def package_years() -> list[int]:
    return sorted({d.year for d in chinese_calendar.holidays})


@transaction.atomic
def calendar_seed_from_package(*, by=None, years: list[int] | None = None) -> list[int]:
    """Load the package's schedule for the years it knows and the database does not have yet.

    Years entered by an admin are left alone. Returns the years added.
    """
    known = set(CalendarYear.objects.values_list("year", flat=True))
    wanted = [y for y in (years or package_years()) if y not in known]
    added: list[int] = []
    for year in wanted:
        holidays = {d: n for d, n in chinese_calendar.holidays.items() if d.year == year}
        makeups = {
            d: n
            for d, n in chinese_calendar.workdays.items()
            if d.year == year and d.weekday() >= 5
        }
        if not holidays:
            continue
        cy = CalendarYear.objects.create(year=year, source=CalendarYear.Source.PACKAGE)
        CalendarDay.objects.bulk_create(
            [
                CalendarDay(date=d, kind=CalendarDay.Kind.HOLIDAY, name=_zh_name(n))
                for d, n in sorted(holidays.items())
            ]
            + [
                CalendarDay(date=d, kind=CalendarDay.Kind.MAKEUP_WORKDAY, name=_zh_name(n))
                for d, n in sorted(makeups.items())
            ]
        )
        audit.record(
            action=AuditAction.CREATE,
            obj=cy,
            by=by,
            after={
                "year": year,
                "source": cy.source,
                "holidays": len(holidays),
                "makeup_workdays": len(makeups),
            },
        )
        added.append(year)
    transaction.on_commit(invalidate)
    return added


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _zh_name(name) -> str:
    return _HOLIDAY_NAMES.get(str(name), str(name) if name else "")


@transaction.atomic
def calendar_year_set(
    *,
    year: int,
    holidays: dict[dt.date, str],
    makeup_workdays: dict[dt.date, str],
    note: str = "",
    by,
) -> CalendarYear:
    """An admin enters (or replaces) a year's schedule, as published by the State Council."""
    for day in [*holidays, *makeup_workdays]:
        if day.year != year:
            raise ValueError(f"{day} is not in {year}")
    overlap = set(holidays) & set(makeup_workdays)
    if overlap:
        raise ValueError(f"{min(overlap)} cannot be both a holiday and a working day")
    existing = CalendarYear.objects.filter(year=year).first()
    days_in_year = CalendarDay.objects.filter(date__year=year)
    before = None
    if existing:
        before = {
            "source": existing.source,
            "note": existing.note,
            "holidays": sorted(
                d.isoformat()
                for d in days_in_year.filter(kind=CalendarDay.Kind.HOLIDAY).values_list(
                    "date", flat=True
                )
            ),
            "makeup_workdays": sorted(
                d.isoformat()
                for d in days_in_year.filter(kind=CalendarDay.Kind.MAKEUP_WORKDAY).values_list(
                    "date", flat=True
                )
            ),
        }
    days_in_year.delete()
    cy, _created = CalendarYear.objects.update_or_create(
        year=year, defaults={"source": CalendarYear.Source.ADMIN, "note": note}
    )
    CalendarDay.objects.bulk_create(
        [CalendarDay(date=d, kind=CalendarDay.Kind.HOLIDAY, name=n) for d, n in holidays.items()]
        + [
            CalendarDay(date=d, kind=CalendarDay.Kind.MAKEUP_WORKDAY, name=n)
            for d, n in makeup_workdays.items()
        ]
    )
    audit.record(
        action=AuditAction.UPDATE if existing else AuditAction.CREATE,
        obj=cy,
        by=by,
        before=before,
        after={
            "source": cy.source,
            "note": note,
            "holidays": sorted(d.isoformat() for d in holidays),
            "makeup_workdays": sorted(d.isoformat() for d in makeup_workdays),
        },
    )
    transaction.on_commit(invalidate)
    return cy
