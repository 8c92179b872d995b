"""Windows and appointments (预约): slots from the work calendar, no overbooking, one place per
enterprise, cancelling and moving, reminders, check-in, no-shows, calendar files, the pages."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from icalendar import Calendar

from gaoxin.affairs import services
from gaoxin.affairs.models import (
    ApplicationState,
    Appointment,
    Slot,
)
from gaoxin.affairs.tests.support import (
    CST,
    at,
    slot_at,
)
from gaoxin.core.models import AuditEntry, Notification
from tests.factories import UserFactory
from tests.test_reliability import run_together

pytestmark = pytest.mark.django_db
A = ApplicationState


def test_slots_follow_the_work_calendar(window):
    # 2026: National Day from 1 to 7 October; Sunday 20 September and Saturday
    # 10 October are make-up working days.
    created = services.slots_open(
        window=window, first=dt.date(2026, 9, 19), last=dt.date(2026, 10, 10)
    )
    days = {s.starts_at.astimezone(CST).date() for s in Slot.objects.filter(window=window)}
    assert dt.date(2026, 9, 20) in days and dt.date(2026, 10, 10) in days
    assert dt.date(2026, 9, 19) not in days  # a Saturday
    assert not any(dt.date(2026, 10, 1) <= d <= dt.date(2026, 10, 7) for d in days)
    per_day = Slot.objects.filter(window=window, starts_at__date=dt.date(2026, 9, 21)).count()
    assert per_day == 14  # 9:00–12:00 and 13:30–17:30 in half-hours
    assert created == per_day * len(days)
    assert (
        services.slots_open(window=window, first=dt.date(2026, 9, 19), last=dt.date(2026, 10, 10))
        == 0
    )


def test_booking_takes_a_place_and_a_full_slot_refuses(
    window, licence, enterprise, enterprise_user, other_enterprise, time_machine
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    slot = slot_at(window, 2026, 11, 3, 9, 0)
    booked = services.appointment_book(
        slot=slot, enterprise=enterprise, item=licence, by=enterprise_user
    )
    assert booked.number.startswith("YY261103") and booked.state == "booked"
    slot.refresh_from_db()
    assert slot.booked == 1
    stranger = UserFactory(username="stranger", role="enterprise", enterprise=other_enterprise)
    with pytest.raises(ValidationError, match="约满"):
        services.appointment_book(slot=slot, enterprise=other_enterprise, item=licence, by=stranger)
    with pytest.raises(PermissionDenied):  # not for another enterprise
        services.appointment_book(slot=slot, enterprise=enterprise, item=licence, by=stranger)
    assert AuditEntry.objects.filter(content_type__model="appointment").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_last_place_at_once_never_overbook(
    window, licence, enterprise, other_enterprise, enterprise_user, time_machine
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    slot = slot_at(window, 2026, 11, 3, 9, 0)
    stranger = UserFactory(username="stranger", role="enterprise", enterprise=other_enterprise)

    def book(e, user):
        return lambda: services.appointment_book(slot=slot, enterprise=e, item=licence, by=user)

    results = run_together(book(enterprise, enterprise_user), book(other_enterprise, stranger))
    booked = [r for r in results if isinstance(r, Appointment)]
    assert len(booked) == 1, results
    assert Appointment.objects.filter(slot=slot, state="booked").count() == 1
    assert Slot.objects.get(pk=slot.pk).booked == 1


def test_cancelling_and_moving_follow_the_windows_rule(
    window, licence, enterprise, enterprise_user, window_clerk, time_machine
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    first = slot_at(window, 2026, 11, 3, 9, 0)
    full = slot_at(window, 2026, 11, 3, 9, 30, capacity=0 + 1)
    later = slot_at(window, 2026, 11, 3, 10, 0)
    Slot.objects.filter(pk=full.pk).update(booked=1)  # someone else has it
    booking = services.appointment_book(
        slot=first, enterprise=enterprise, item=licence, by=enterprise_user
    )
    with pytest.raises(ValidationError):  # a full slot leaves the booking as it was
        services.appointment_reschedule(appointment=booking, slot=full, by=enterprise_user)
    booking.refresh_from_db()
    assert booking.state == "booked" and Slot.objects.get(pk=first.pk).booked == 1
    moved = services.appointment_reschedule(appointment=booking, slot=later, by=enterprise_user)
    assert moved.rescheduled_from == booking
    assert Slot.objects.get(pk=first.pk).booked == 0 and Slot.objects.get(pk=later.pk).booked == 1
    # Two hours before the slot is the window's limit for changes by the enterprise.
    time_machine.move_to(at(2026, 11, 3, 8, 1), tick=False)
    with pytest.raises(ValidationError, match="120"):
        services.appointment_cancel(appointment=moved, by=enterprise_user)
    services.appointment_cancel(appointment=moved, by=window_clerk)  # the window may
    assert Slot.objects.get(pk=later.pk).booked == 0


def test_reminders_check_in_no_shows_and_the_calendar_file(
    window, licence, enterprise, enterprise_user, window_clerk, time_machine
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    came = services.appointment_book(
        slot=slot_at(window, 2026, 11, 3, 9, 0),
        enterprise=enterprise,
        item=licence,
        by=enterprise_user,
    )
    missed = services.appointment_book(
        slot=slot_at(window, 2026, 11, 3, 10, 0),
        enterprise=enterprise,
        item=licence,
        by=enterprise_user,
    )
    time_machine.move_to(at(2026, 11, 2, 10, 30), tick=False)  # both within a day now
    assert services.send_reminders() == 2
    assert services.send_reminders() == 0  # once
    assert (
        Notification.objects.filter(user=enterprise_user, key__startswith="appointment:").count()
        == 2
    )
    with pytest.raises(ValidationError):  # check-in is on the day
        services.appointment_check_in(appointment=came, by=window_clerk)
    time_machine.move_to(at(2026, 11, 3, 8, 55), tick=False)
    with pytest.raises(PermissionDenied):
        services.appointment_check_in(appointment=came, by=enterprise_user)
    services.appointment_check_in(appointment=came, by=window_clerk)
    time_machine.move_to(at(2026, 11, 3, 11, 1), tick=False)
    assert services.record_no_shows() == 1
    assert services.record_no_shows() == 0
    missed.refresh_from_db()
    came.refresh_from_db()
    assert (came.state, missed.state) == ("checked_in", "no_show")
    calendar = Calendar.from_ical(services.calendar_file([came, missed]))
    events = calendar.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["营业执照（B01 企业开办专区）"] * 2
    assert events[0].decoded("dtstart") == at(2026, 11, 3, 9, 0)


def test_off_hours_slots_are_opened_by_the_window_on_request(
    window, window_clerk, enterprise_user, time_machine
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    with pytest.raises(PermissionDenied):
        services.slot_open_off_hours(
            window=window,
            starts_at=at(2026, 11, 7, 10),
            minutes=60,
            capacity=2,
            note="x",
            by=enterprise_user,
        )
    with pytest.raises(ValidationError):
        services.slot_open_off_hours(
            window=window,
            starts_at=at(2026, 11, 7, 10),
            minutes=60,
            capacity=2,
            note=" ",
            by=window_clerk,
        )
    with pytest.raises(ValidationError):  # within the coming year, not in 9999
        services.slot_open_off_hours(
            window=window,
            starts_at=dt.datetime(9999, 12, 31, 23, 30, tzinfo=dt.UTC),
            minutes=60,
            capacity=1,
            note="x",
            by=window_clerk,
        )
    slot = services.slot_open_off_hours(
        window=window,
        starts_at=at(2026, 11, 7, 10),
        minutes=60,
        capacity=2,
        note="海声尼克申请周六办理",
        by=window_clerk,
    )
    assert slot.off_hours and slot.ends_at == at(2026, 11, 7, 11)  # a Saturday
    with pytest.raises(ValidationError, match="已有"):
        services.slot_open_off_hours(
            window=window,
            starts_at=at(2026, 11, 7, 10, 30),
            minutes=30,
            capacity=1,
            note="重复",
            by=window_clerk,
        )


@pytest.mark.django_db(transaction=True)
def test_one_enterprises_five_requests_at_once_take_one_place(
    window, licence, enterprise, enterprise_user, time_machine
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    slot = slot_at(window, 2026, 11, 3, 9, 0, capacity=5)

    def book():
        return services.appointment_book(
            slot=slot, enterprise=enterprise, item=licence, by=enterprise_user
        )

    results = run_together(*[book] * 5)
    booked = [r for r in results if isinstance(r, Appointment)]
    assert len(booked) == 1, results
    assert all(isinstance(r, ValidationError) for r in results if r not in booked)
    assert Appointment.objects.filter(slot=slot, state="booked").count() == 1
    assert Slot.objects.get(pk=slot.pk).booked == 1


def test_the_database_refuses_a_second_place_for_one_enterprise(
    window, licence, enterprise, enterprise_user, time_machine
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    slot = slot_at(window, 2026, 11, 3, 9, 0, capacity=5)
    first = services.appointment_book(
        slot=slot, enterprise=enterprise, item=licence, by=enterprise_user
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            number="X1", slot=slot, enterprise=enterprise, item=licence, booked_by=enterprise_user
        )
    services.appointment_cancel(appointment=first, by=enterprise_user)
    again = services.appointment_book(
        slot=slot, enterprise=enterprise, item=licence, by=enterprise_user
    )
    assert again.state == "booked"  # a cancelled place does not hold the slot


def test_booking_on_the_page_and_nobody_elses_booking(
    client, window, licence, enterprise, enterprise_user, other_enterprise, time_machine
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    slot = slot_at(window, 2026, 11, 3, 9, 0)
    client.force_login(enterprise_user)
    page = client.get(f"/affairs/appointments/new/?item={licence.pk}").content.decode()
    assert f'value="{slot.pk}"' in page
    response = client.post(
        "/affairs/appointments/new/",
        {"item": licence.pk, "slot": slot.pk, "enterprise": enterprise.pk},
    )
    appointment = Appointment.objects.get()
    assert response["Location"] == f"/affairs/appointments/{appointment.pk}/"
    full = client.post(
        "/affairs/appointments/new/",
        {"item": licence.pk, "slot": slot.pk, "enterprise": enterprise.pk},
        follow=True,
    )
    assert "已有预约" in full.content.decode() and Appointment.objects.count() == 1
    ics = client.get(f"/affairs/appointments/{appointment.pk}/calendar.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    assert "SUMMARY:营业执照（B01 企业开办专区）" in ics.content.decode()
    assert "营业执照" in client.get("/affairs/appointments/calendar.ics").content.decode()
    stranger = UserFactory(username="stranger", role="enterprise", enterprise=other_enterprise)
    client.force_login(stranger)
    assert client.get(f"/affairs/appointments/{appointment.pk}/").status_code == 404
    assert client.get(f"/affairs/appointments/{appointment.pk}/calendar.ics").status_code == 404
    refused = client.post(f"/affairs/appointments/{appointment.pk}/cancel/")
    assert refused.status_code == 404
    assert Appointment.objects.get().state == "booked"


def test_the_window_sees_its_day_and_checks_people_in(
    client, window, licence, enterprise, enterprise_user, reviewers, time_machine
):
    time_machine.move_to(at(2026, 11, 3, 8), tick=False)
    slot = slot_at(window, 2026, 11, 3, 9, 0, capacity=2)
    booking = services.appointment_book(
        slot=slot, enterprise=enterprise, item=licence, by=enterprise_user
    )
    client.force_login(reviewers["clerk"])
    day = client.get(f"/affairs/windows/{window.pk}/?day=2026-11-03").content.decode()
    assert "已约 1 / 2" in day and enterprise.name in day
    client.post(f"/affairs/appointments/{booking.pk}/check-in/")
    booking.refresh_from_db()
    assert booking.state == "checked_in"
    opened = client.post(
        f"/affairs/windows/{window.pk}/",
        {"starts_at": "2026-11-07T10:00", "minutes": "60", "capacity": "2", "note": "周六申请"},
    )
    assert opened.status_code == 302
    assert Slot.objects.get(window=window, off_hours=True).starts_at == at(2026, 11, 7, 10)
    client.force_login(enterprise_user)
    client.post(
        f"/affairs/windows/{window.pk}/",
        {"starts_at": "2026-11-08T10:00", "minutes": "60", "capacity": "2", "note": "x"},
    )
    assert Slot.objects.filter(off_hours=True).count() == 1  # only the window opens slots


def test_lists_do_not_grow_queries_with_their_rows(
    client,
    window,
    licence,
    enterprise,
    enterprise_user,
    django_assert_max_num_queries,
    time_machine,
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    for hour in range(9, 12):
        for minute in (0, 30):
            slot = slot_at(window, 2026, 11, 3, hour, minute)
            services.appointment_book(
                slot=slot, enterprise=enterprise, item=licence, by=enterprise_user
            )
    client.force_login(enterprise_user)
    with django_assert_max_num_queries(15):
        page = client.get("/affairs/appointments/?show=all")
    assert page.content.decode().count("营业执照 ·") == 6
    with django_assert_max_num_queries(16):  # the work calendar is read once, not per slot
        client.get(f"/affairs/windows/{window.pk}/?day=2026-11-03")


def test_a_window_day_of_an_unknown_year_says_why_it_has_no_slots(client, window, reviewers):
    client.force_login(reviewers["clerk"])
    known = client.get(f"/affairs/windows/{window.pk}/?day=2026-11-30").content.decode()
    assert 'data-testid="year-unknown"' not in known
    unknown = client.get(f"/affairs/windows/{window.pk}/?day=2031-03-03").content.decode()
    assert 'data-testid="year-unknown"' in unknown and "2031" in unknown
    # A day outside the calendar's range is not an error: the page shows today.
    assert client.get(f"/affairs/windows/{window.pk}/?day=9999-12-31").status_code == 200
