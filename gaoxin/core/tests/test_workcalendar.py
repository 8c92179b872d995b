import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from gaoxin.core import workcalendar
from gaoxin.core.models import AuditEntry, CalendarDay, CalendarYear

CST = ZoneInfo("Asia/Shanghai")
D = dt.date


def at(y, m, d, hh=0, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=CST)


pytestmark = pytest.mark.django_db


def test_seed_loads_national_day_2026_with_its_makeup_days(calendar):
    assert CalendarYear.objects.get(year=2026).source == CalendarYear.Source.PACKAGE
    holidays = set(
        CalendarDay.objects.filter(
            date__range=(D(2026, 10, 1), D(2026, 10, 8)), kind=CalendarDay.Kind.HOLIDAY
        ).values_list("date", flat=True)
    )
    assert holidays == {D(2026, 10, d) for d in range(1, 8)}
    assert set(
        CalendarDay.objects.filter(
            date__year=2026, date__month__in=[9, 10], kind=CalendarDay.Kind.MAKEUP_WORKDAY
        ).values_list("date", flat=True)
    ) == {D(2026, 9, 20), D(2026, 10, 10)}
    assert CalendarDay.objects.get(date=D(2026, 10, 1)).name == "国庆节"


def test_seed_is_idempotent_and_leaves_admin_years_alone(calendar, admin_user):
    assert workcalendar.calendar_seed_from_package(by=None) == []
    assert CalendarYear.objects.filter(year=2026).count() == 1


def test_one_working_day_after_national_day_eve_is_the_8th(calendar):
    result = workcalendar.add_working_days(D(2026, 9, 30), 1)
    assert result.value == D(2026, 10, 8)
    assert result.certain


def test_makeup_sunday_counts_as_a_working_day(calendar):
    # Friday 18 September + 1 working day is Sunday 20 September (调休上班).
    assert workcalendar.add_working_days(D(2026, 9, 18), 1).value == D(2026, 9, 20)
    # Friday 9 October + 1 is Saturday 10 October, also a make-up day.
    assert workcalendar.add_working_days(D(2026, 10, 9), 1).value == D(2026, 10, 10)


def test_five_working_days_across_the_holiday(calendar):
    # 28 Sep (Mon) → 29, 30 Sep, then 8, 9, 10 (Sat, make-up) Oct.
    assert workcalendar.add_working_days(D(2026, 9, 28), 5).value == D(2026, 10, 10)
    assert workcalendar.working_days_between(D(2026, 9, 28), D(2026, 10, 10)).value == 5


def test_zero_days_rolls_a_holiday_forward_to_the_next_working_day(calendar):
    assert workcalendar.add_working_days(D(2026, 10, 3), 0).value == D(2026, 10, 8)
    assert workcalendar.add_working_days(D(2026, 10, 12), 0).value == D(2026, 10, 12)


def test_is_working_day_reports_holidays_weekends_and_makeups(calendar):
    assert workcalendar.is_working_day(D(2026, 10, 5)).value is False
    assert workcalendar.is_working_day(D(2026, 9, 20)).value is True
    assert workcalendar.is_working_day(D(2026, 9, 19)).value is False


def test_negative_or_absurd_day_counts_are_refused(calendar):
    with pytest.raises(ValueError):
        workcalendar.add_working_days(D(2026, 9, 1), -1)
    with pytest.raises(ValueError):
        workcalendar.add_working_days(D(2026, 9, 1), 100_000)


def test_working_minutes_skip_lunch_nights_and_the_holiday(calendar):
    # 120 office minutes from 16:00 on 30 Sep: 90 that day, 30 on the next working day, 8 Oct.
    result = workcalendar.add_working_minutes(at(2026, 9, 30, 16, 0), 120)
    assert result.value == at(2026, 10, 8, 9, 30)
    assert (
        workcalendar.working_minutes_between(at(2026, 9, 30, 16, 0), at(2026, 10, 8, 9, 30)).minutes
        == 120
    )
    # The 30-minute business licence, started at 11:50, is due at 13:50 (lunch 12:00–13:30).
    assert workcalendar.add_working_minutes(at(2026, 9, 29, 11, 50), 30).value == at(
        2026, 9, 29, 13, 50
    )
    # Started before office hours, the clock starts at 09:00.
    assert workcalendar.add_working_hours(at(2026, 9, 29, 7, 0), 2).value == at(2026, 9, 29, 11, 0)


def test_working_minutes_between_is_antisymmetric(calendar):
    a, b = at(2026, 9, 29, 10, 0), at(2026, 9, 30, 10, 0)
    assert workcalendar.working_minutes_between(a, b).minutes == 420
    assert workcalendar.working_minutes_between(b, a).minutes == -420


def test_naive_datetimes_are_refused(calendar):
    with pytest.raises(ValueError):
        workcalendar.add_working_minutes(dt.datetime(2026, 9, 29, 10, 0), 10)


def test_deadline_in_an_unknown_year_is_flagged_then_recomputed_once_entered(
    calendar, admin_user, django_capture_on_commit_callbacks
):
    # The package knows up to 2026; 2027's schedule is not published in it.
    first = workcalendar.add_working_days(D(2026, 12, 28), 5)
    assert first.value == D(2027, 1, 4)  # a plain Monday–Friday guess
    assert not first.certain
    assert first.unknown_years == (2027,)

    with django_capture_on_commit_callbacks(execute=True):  # the cache is cleared on commit
        workcalendar.calendar_year_set(
            year=2027,
            holidays={D(2027, 1, 1): "元旦"},
            makeup_workdays={},
            note="国办发明电",
            by=admin_user,
        )
    again = workcalendar.add_working_days(D(2026, 12, 28), 5)
    assert again.value == D(2027, 1, 5)
    assert again.certain
    entry = AuditEntry.objects.get(object_repr="2027")
    assert entry.user == admin_user
    assert entry.after["holidays"] == ["2027-01-01"]


def test_a_date_inside_a_known_year_is_certain_even_if_start_was_not(calendar):
    result = workcalendar.add_working_days(D(2026, 12, 30), 1)
    assert result.value == D(2026, 12, 31)
    assert result.certain


def test_admin_year_rejects_a_day_that_is_both_holiday_and_working(admin_user, db):
    with pytest.raises(ValueError):
        workcalendar.calendar_year_set(
            year=2027,
            holidays={D(2027, 1, 1): "元旦"},
            makeup_workdays={D(2027, 1, 1): ""},
            by=admin_user,
        )
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_editing_a_year_records_before_and_after(
    calendar, admin_user, django_capture_on_commit_callbacks
):
    workcalendar.calendar_year_set(
        year=2027, holidays={D(2027, 1, 1): "元旦"}, makeup_workdays={}, by=admin_user
    )
    with django_capture_on_commit_callbacks(execute=True):
        workcalendar.calendar_year_set(
            year=2027,
            holidays={D(2027, 1, 1): "元旦", D(2027, 2, 8): "春节"},
            makeup_workdays={D(2027, 2, 20): "春节"},
            by=admin_user,
        )
    entry = AuditEntry.objects.filter(object_repr="2027").first()
    assert entry.action == "update"
    assert entry.before["holidays"] == ["2027-01-01"]
    assert entry.after["makeup_workdays"] == ["2027-02-20"]
    assert workcalendar.is_working_day(D(2027, 2, 20)).value is True
