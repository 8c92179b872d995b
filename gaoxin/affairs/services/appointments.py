"""Appointments (预约服务): slots at the windows from the work calendar, off-hours slots on
request, booking without overbooking, cancelling and moving within the window's rule,
reminders, check-in, no-shows and calendar files."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from gaoxin.accounts.models import User
from gaoxin.affairs.models import Appointment, AppointmentState, Slot, Window
from gaoxin.affairs.services.agency import authority
from gaoxin.core import audit, workcalendar
from gaoxin.core.models import AuditAction
from gaoxin.core.notifications import notify
from gaoxin.core.numbering import create_numbered

__all__ = [
    "NO_SHOW_AFTER",
    "OPEN_AHEAD_DAYS",
    "REMIND_AHEAD",
    "appointment_book",
    "appointment_cancel",
    "appointment_check_in",
    "appointment_reschedule",
    "calendar_file",
    "cancel_deadline",
    "keep_schedules_open",
    "record_no_shows",
    "send_reminders",
    "slot_open_off_hours",
    "slots_open",
]

S = AppointmentState
# The schedule is kept open this many calendar days ahead (a daily job).
OPEN_AHEAD_DAYS = 14
REMIND_AHEAD = dt.timedelta(hours=24)
# A booking not checked in this long after its slot ended is recorded as a no-show.
NO_SHOW_AFTER = dt.timedelta(minutes=30)


def slots_open(*, window: Window, first: dt.date, last: dt.date) -> int:
    """Open the window's regular slots for the working days from ``first`` to ``last``: none
    on public holidays, the usual ones on make-up working days (调休); days of a year the
    calendar does not know yet stay closed. Existing slots are left alone (idempotent)."""
    slots = []
    length = dt.timedelta(minutes=window.slot_minutes)
    day = first
    while day <= last:
        known = workcalendar.is_working_day(day)
        if known.value and known.certain:
            for begin, end in workcalendar.office_periods():
                start = timezone.make_aware(dt.datetime.combine(day, begin))
                stop = timezone.make_aware(dt.datetime.combine(day, end))
                while start + length <= stop:
                    slots.append(
                        Slot(
                            window=window,
                            starts_at=start,
                            ends_at=start + length,
                            capacity=window.slot_capacity,
                        )
                    )
                    start += length
        day += dt.timedelta(days=1)
    before = Slot.objects.filter(window=window).count()
    Slot.objects.bulk_create(slots, ignore_conflicts=True)
    return Slot.objects.filter(window=window).count() - before


def keep_schedules_open(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    last = today + dt.timedelta(days=OPEN_AHEAD_DAYS)
    return sum(
        slots_open(window=w, first=today, last=last) for w in Window.objects.filter(is_active=True)
    )


@transaction.atomic
def slot_open_off_hours(
    *, window: Window, starts_at: dt.datetime, minutes: int, capacity: int, note: str, by
) -> Slot:
    """A slot outside the regular schedule (evening, weekend, holiday) opened on an
    enterprise's request — 只要提前预约，随时办理."""
    if not by.has_perm("affairs.manage_appointments"):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if not timezone.now() < starts_at <= timezone.now() + dt.timedelta(days=366):
        errors["starts_at"] = [_("The slot must lie within the coming year.")]
    if not 5 <= minutes <= 480:
        errors["minutes"] = [_("A slot lasts 5 to 480 minutes.")]
    if not 1 <= capacity <= 50:
        errors["capacity"] = [_("Places: 1 to 50.")]
    if not note.strip():
        errors["note"] = [_("Note whose request it is.")]
    if errors:
        raise ValidationError(errors)
    ends_at = starts_at + dt.timedelta(minutes=minutes)
    if Slot.objects.filter(window=window, starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
        raise ValidationError({"starts_at": [_("The window already has a slot at that time.")]})
    slot = Slot.objects.create(
        window=window,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        off_hours=True,
        note=note.strip()[:200],
        opened_by=by,
    )
    audit.record(action=AuditAction.CREATE, obj=slot, by=by, after=audit.snapshot(slot))
    return slot


def _take_place(slot: Slot) -> bool:
    """One conditional UPDATE: of two people taking the last place at the same moment, the
    database lets exactly one through (on SQLite and PostgreSQL alike)."""
    return bool(
        Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1)
    )


def _free_place(slot: Slot) -> None:
    Slot.objects.filter(pk=slot.pk, booked__gt=0).update(booked=F("booked") - 1)


def _check_bookable(*, slot: Slot, enterprise, item, by):
    if not by.has_perm("affairs.book_appointment", enterprise):
        raise PermissionDenied
    if slot.starts_at <= timezone.now():
        raise ValidationError(_("This slot has begun or passed; choose a later one."))
    if not slot.window.is_active or not slot.window.items.filter(pk=item.pk).exists():
        raise ValidationError({"item": [_("This window does not serve the item.")]})
    if not item.appointment_allowed or not item.is_active:
        raise ValidationError({"item": [_("This item takes no appointments.")]})
    return authority(by=by, enterprise=enterprise, items=[item])


@transaction.atomic
def appointment_book(*, slot: Slot, enterprise, item, by, note: str = "") -> Appointment:
    slot = Slot.objects.select_related("window").get(pk=slot.pk)
    authorization = _check_bookable(slot=slot, enterprise=enterprise, item=item, by=by)
    taken = _("The enterprise already has a place in this slot.")
    if Appointment.objects.filter(slot=slot, enterprise=enterprise, state=S.BOOKED).exists():
        raise ValidationError(taken)
    if not _take_place(slot):
        raise ValidationError(_("This slot is full; choose another."))
    try:
        # The check above is for a clear message; the database's unique constraint decides
        # when one enterprise's requests arrive together.
        with transaction.atomic():
            appointment = create_numbered(
                Appointment,
                pattern=f"YY{timezone.localtime(slot.starts_at):%y%m%d}{{pk:06d}}",
                slot=slot,
                enterprise=enterprise,
                item=item,
                booked_by=by,
                authorization=authorization,
                note=note.strip()[:200],
            )
    except IntegrityError:
        raise ValidationError(taken) from None
    audit.record(
        action=AuditAction.CREATE, obj=appointment, by=by, after=audit.snapshot(appointment)
    )
    return appointment


def cancel_deadline(appointment: Appointment) -> dt.datetime:
    return appointment.slot.starts_at - dt.timedelta(
        minutes=appointment.slot.window.cancel_until_minutes
    )


def _check_changeable(appointment: Appointment, by) -> None:
    if not by.has_perm("affairs.book_appointment", appointment.enterprise):
        raise PermissionDenied
    if by.role == "agent":
        if appointment.booked_by_id != by.pk:
            raise PermissionDenied
        # The authorisation is checked again on every act: revoked or expired, it is refused.
        authority(by=by, enterprise=appointment.enterprise, items=[appointment.item])
    if appointment.state != S.BOOKED:
        raise ValidationError(_("Only a booked appointment can be changed."))
    if timezone.now() > cancel_deadline(appointment) and not by.has_perm(
        "affairs.manage_appointments"
    ):
        raise ValidationError(
            _(
                "Bookings can be cancelled or moved until %(minutes)d minutes before the slot; "
                "please call the window."
            )
            % {"minutes": appointment.slot.window.cancel_until_minutes}
        )


def _locked(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update()
        .select_related("slot__window", "enterprise")
        .get(pk=appointment.pk)
    )


@transaction.atomic
def appointment_cancel(*, appointment: Appointment, by) -> Appointment:
    appointment = _locked(appointment)
    _check_changeable(appointment, by)
    before = audit.snapshot(appointment)
    appointment.state, appointment.cancelled_at = S.CANCELLED, timezone.now()
    appointment.save(update_fields=["state", "cancelled_at", "updated_at"])
    _free_place(appointment.slot)
    audit.record(
        action=AuditAction.UPDATE,
        obj=appointment,
        by=by,
        before=before,
        after=audit.snapshot(appointment),
    )
    return appointment


@transaction.atomic
def appointment_reschedule(*, appointment: Appointment, slot: Slot, by) -> Appointment:
    """Move to another slot: the new place is taken first, then the old one is given up — so
    a full slot leaves the booking as it was."""
    appointment = _locked(appointment)
    _check_changeable(appointment, by)
    if slot.pk == appointment.slot_id:
        raise ValidationError(_("This is the slot already booked."))
    moved = appointment_book(
        slot=slot,
        enterprise=appointment.enterprise,
        item=appointment.item,
        by=by,
        note=appointment.note,
    )
    appointment_cancel(appointment=appointment, by=by)
    moved.rescheduled_from = appointment
    moved.save(update_fields=["rescheduled_from"])
    return moved


@transaction.atomic
def appointment_check_in(*, appointment: Appointment, by) -> Appointment:
    appointment = _locked(appointment)
    if not by.has_perm("affairs.manage_appointments"):
        raise PermissionDenied
    if appointment.state != S.BOOKED:
        raise ValidationError(_("Only a booked appointment can be checked in."))
    if timezone.localtime(appointment.slot.starts_at).date() != timezone.localdate():
        raise ValidationError(_("Check-in is on the day of the appointment."))
    before = audit.snapshot(appointment)
    appointment.state, appointment.checked_in_at = S.CHECKED_IN, timezone.now()
    appointment.save(update_fields=["state", "checked_in_at", "updated_at"])
    audit.record(
        action=AuditAction.UPDATE,
        obj=appointment,
        by=by,
        before=before,
        after=audit.snapshot(appointment),
    )
    return appointment


def record_no_shows(now: dt.datetime | None = None) -> int:
    """Bookings never checked in, half an hour after their slot ended. Idempotent."""
    now = now or timezone.now()
    missed = Appointment.objects.filter(state=S.BOOKED, slot__ends_at__lt=now - NO_SHOW_AFTER)
    count = 0
    for appointment in missed:
        with transaction.atomic():
            updated = Appointment.objects.filter(pk=appointment.pk, state=S.BOOKED).update(
                state=S.NO_SHOW, updated_at=now
            )
            if updated:
                audit.record(
                    action=AuditAction.UPDATE,
                    obj=appointment,
                    by=None,
                    before={"state": S.BOOKED},
                    after={"state": S.NO_SHOW},
                )
                count += updated
    return count


def send_reminders(now: dt.datetime | None = None) -> int:
    """Remind the booker (and the enterprise's users) the day before the slot; once."""
    now = now or timezone.now()
    due = Appointment.objects.filter(
        state=S.BOOKED,
        reminded_at__isnull=True,
        slot__starts_at__gt=now,
        slot__starts_at__lte=now + REMIND_AHEAD,
    ).select_related("slot__window", "item", "booked_by")
    count = 0
    for appointment in due:
        people = {appointment.booked_by}
        people.update(User.objects.filter(enterprise=appointment.enterprise_id, is_active=True))
        when = timezone.localtime(appointment.slot.starts_at)
        for user in people:
            notify(
                user=user,
                key=f"appointment:{appointment.pk}:remind",
                title=_("Reminder: %(item)s at window %(window)s, %(when)s")
                % {
                    "item": appointment.item.name,
                    "window": appointment.slot.window.number,
                    "when": f"{when:%m-%d %H:%M}",
                },
                link=f"/affairs/appointments/{appointment.pk}/",
            )
        Appointment.objects.filter(pk=appointment.pk).update(reminded_at=now)
        count += 1
    return count


def calendar_file(appointments) -> bytes:
    """An iCalendar (.ics) file of the bookings, for any calendar program."""
    calendar = Calendar()
    calendar.add("prodid", "-//Gaoxin//appointments//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Appointments"))
    for appointment in appointments:
        window = appointment.slot.window
        event = Event()
        event.add("uid", f"{appointment.number}@gaoxin")
        event.add("dtstamp", appointment.updated_at)
        event.add("dtstart", appointment.slot.starts_at)
        event.add("dtend", appointment.slot.ends_at)
        event.add("summary", f"{appointment.item.name}（{window.number} {window.name}）")
        event.add("location", window.location or window.name)
        event.add(
            "description",
            _("Booking %(number)s for %(enterprise)s")
            % {"number": appointment.number, "enterprise": appointment.enterprise.name},
        )
        event.add("status", "CANCELLED" if appointment.state == S.CANCELLED else "CONFIRMED")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", appointment.item.name)
        alarm.add("trigger", -dt.timedelta(hours=1))
        event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()
