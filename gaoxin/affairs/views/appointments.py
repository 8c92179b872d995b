"""Pages of windows and appointments (预约): a window's day (check-in, slots opened outside
office hours), bookings with one URL each to cancel, move and check in, and calendar files."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.affairs import selectors, services
from gaoxin.affairs.forms import BookingForm, RescheduleForm, SlotOpenForm
from gaoxin.affairs.models import Appointment, AppointmentState, ServiceItem, Slot, Window
from gaoxin.core import workcalendar
from gaoxin.core.editing import act_and_return, report_form_errors, report_refusal
from gaoxin.core.params import date_or_none, int_or_none
from gaoxin.core.permissions import permission_required

__all__ = [
    "BOOKING_DAYS",
    "appointment_cancel",
    "appointment_check_in",
    "appointment_detail",
    "appointment_ics",
    "appointment_list",
    "appointment_new",
    "appointment_reschedule",
    "appointments_ics",
    "window_detail",
    "window_list",
]

BOOKING_DAYS = 14


@permission_required("affairs.view_window")
def window_list(request):
    windows = Window.objects.filter(is_active=True).select_related("department")
    return render(
        request,
        "affairs/window_list.html",
        {"windows": windows.prefetch_related("items")},
    )


@permission_required("affairs.view_window")
def window_detail(request, pk: int):
    """A window's day: its slots with their places; the window checks people in and opens
    slots outside office hours on request."""
    window = get_object_or_404(Window.objects.select_related("department"), pk=pk)
    day = date_or_none(request.GET.get("day")) or timezone.localdate()
    manage = request.user.has_perm("affairs.manage_appointments")
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        form = SlotOpenForm(request.POST)
        if not form.is_valid():
            report_form_errors(request, form)
        else:
            data = form.cleaned_data
            try:
                services.slot_open_off_hours(
                    window=window,
                    starts_at=data["starts_at"],
                    minutes=data["minutes"] or 0,
                    capacity=data["capacity"] or 0,
                    note=data["note"],
                    by=request.user,
                )
            except (ValidationError, PermissionDenied) as error:
                report_refusal(request, error)
            else:
                messages.success(request, _("Slot opened."))
                day = timezone.localtime(data["starts_at"]).date()
        return redirect(f"{request.path}?day={day.isoformat()}")
    slots = list(
        Slot.objects.filter(window=window, starts_at__date=day).prefetch_related(
            "appointments__enterprise", "appointments__item"
        )
    )
    for slot in slots:
        slot.bookings = [
            a for a in slot.appointments.all() if a.state != AppointmentState.CANCELLED
        ]
    return render(
        request,
        "affairs/window_detail.html",
        {
            "window": window,
            "day": day,
            "today": timezone.localdate(),
            # Slots open only on days the work calendar knows: say so rather than look empty.
            "year_unknown": not workcalendar.is_working_day(day).certain,
            "previous": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1),
            "slots": slots,
            "manage": manage,
            "items": window.items.all(),
        },
    )


def _appointments(user):
    return Appointment.objects.restrict(user).select_related(
        "slot__window", "item", "enterprise", "booked_by"
    )


@permission_required("affairs.view_appointment")
def appointment_list(request):
    appointments = _appointments(request.user)
    show = request.GET.get("show", "upcoming")
    if show == "upcoming":
        appointments = appointments.filter(
            slot__ends_at__gte=timezone.now(), state=AppointmentState.BOOKED
        )
    elif show == "today":
        # The window's day (the clerk's home counts it): booked or checked in, by the hour.
        appointments = appointments.filter(
            slot__starts_at__date=timezone.localdate(),
            state__in=(AppointmentState.BOOKED, AppointmentState.CHECKED_IN),
        ).order_by("slot__starts_at")
    else:
        appointments = appointments.order_by("-slot__starts_at")
    page = Paginator(appointments, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "affairs/appointment_list.html",
        {
            "page": page,
            "show": show,
            "can_book": request.user.has_perm("affairs.book_appointment"),
        },
    )


def _free_slots(item, *, exclude=None):
    now = timezone.now()
    slots = (
        Slot.objects.filter(
            window__items=item,
            window__is_active=True,
            starts_at__gt=now,
            starts_at__lt=now + dt.timedelta(days=BOOKING_DAYS),
        )
        .select_related("window")
        .order_by("starts_at", "window__number")
    )
    if exclude is not None:
        slots = slots.exclude(pk=exclude)
    days: dict[dt.date, list[Slot]] = {}
    for slot in slots:
        if slot.free > 0:
            days.setdefault(timezone.localtime(slot.starts_at).date(), []).append(slot)
    return days


@permission_required("affairs.book_appointment")
def appointment_new(request):
    """Book: choose the item, then a free place in the next two weeks."""
    user = request.user
    items = ServiceItem.objects.active().filter(appointment_allowed=True, windows__is_active=True)
    items = items.distinct().order_by("code")
    item = items.filter(pk=int_or_none(request.GET.get("item") or request.POST.get("item"))).first()
    enterprises = selectors.acting_for(user)
    if request.method == "POST":
        form = BookingForm(request.POST, items=items, enterprises=enterprises)
        if not form.is_valid():
            report_form_errors(request, form)
        else:
            data = form.cleaned_data
            try:
                appointment = services.appointment_book(
                    slot=data["slot"],
                    enterprise=data["enterprise"],
                    item=data["item"],
                    by=user,
                    note=data["note"],
                )
            except (ValidationError, PermissionDenied) as error:
                report_refusal(request, error)
            else:
                messages.success(request, _("Booked: %(number)s") % {"number": appointment.number})
                return redirect("affairs:appointment", pk=appointment.pk)
    return render(
        request,
        "affairs/appointment_new.html",
        {
            "items": items,
            "item": item,
            "days": _free_slots(item) if item else {},
            "enterprises": enterprises,
        },
    )


@permission_required("affairs.view_appointment")
def appointment_detail(request, pk: int):
    appointment = get_object_or_404(_appointments(request.user), pk=pk)
    user = request.user
    changeable = appointment.state == AppointmentState.BOOKED and user.has_perm(
        "affairs.book_appointment", appointment.enterprise
    )
    return render(
        request,
        "affairs/appointment_detail.html",
        {
            "a": appointment,
            "changeable": changeable,
            "cancel_deadline": services.cancel_deadline(appointment),
            "on_the_day": timezone.localtime(appointment.slot.starts_at).date()
            == timezone.localdate(),
            "manage": user.has_perm("affairs.manage_appointments"),
            "days": _free_slots(appointment.item, exclude=appointment.slot_id)
            if changeable
            else {},
        },
    )


def _act(request, appointment: Appointment, act, form=None):
    """One action on a booking; refusals become messages on the booking's page (after a
    move, the new booking's)."""
    return act_and_return(
        request,
        form,
        act,
        back=lambda moved: reverse("affairs:appointment", args=[(moved or appointment).pk]),
    )


@require_POST
@permission_required("affairs.view_appointment")
def appointment_cancel(request, pk: int):
    appointment = get_object_or_404(_appointments(request.user), pk=pk)
    return _act(
        request,
        appointment,
        lambda data: services.appointment_cancel(appointment=appointment, by=request.user),
    )


@require_POST
@permission_required("affairs.view_appointment")
def appointment_reschedule(request, pk: int):
    appointment = get_object_or_404(_appointments(request.user), pk=pk)
    return _act(
        request,
        appointment,
        lambda data: services.appointment_reschedule(
            appointment=appointment, slot=data["slot"], by=request.user
        ),
        RescheduleForm(request.POST),
    )


@require_POST
@permission_required("affairs.view_appointment")
def appointment_check_in(request, pk: int):
    appointment = get_object_or_404(_appointments(request.user), pk=pk)
    return _act(
        request,
        appointment,
        lambda data: services.appointment_check_in(appointment=appointment, by=request.user),
    )


def _ics(appointments, name: str) -> HttpResponse:
    response = HttpResponse(
        services.calendar_file(appointments), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    return response


@permission_required("affairs.view_appointment")
def appointment_ics(request, pk: int):
    appointment = get_object_or_404(_appointments(request.user), pk=pk)
    return _ics([appointment], appointment.number)


@permission_required("affairs.view_appointment")
def appointments_ics(request):
    """Every upcoming booking the user can see, for a calendar program."""
    upcoming = _appointments(request.user).filter(
        slot__ends_at__gte=timezone.now(), state=AppointmentState.BOOKED
    )[:500]
    return _ics(list(upcoming), "appointments")
