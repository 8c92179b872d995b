"""Windows and appointments (预约) in the API: windows, their slots (and one opened outside
office hours on request), bookings (book, cancel, move, check in)."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from gaoxin.affairs import services
from gaoxin.affairs.models import Appointment, AppointmentState, ServiceItem, Slot, Window
from gaoxin.core.api_types import Id, IsoDate, LocalDateTime, Pagination
from gaoxin.core.permissions import api_permission
from gaoxin.enterprises.models import Enterprise

__all__ = [
    "AppointmentIn",
    "AppointmentOut",
    "RescheduleIn",
    "SlotOut",
    "WindowOut",
    "router",
]

router = Router(tags=["government services"])


class WindowOut(Schema):
    id: int
    number: str
    name: str
    department: int = Field(..., alias="department_id")
    location: str
    items: list[int]
    slot_minutes: int
    slot_capacity: int
    cancel_until_minutes: int

    @staticmethod
    def resolve_items(obj) -> list[int]:
        return [i.pk for i in obj.items.all()]


class SlotOut(Schema):
    id: int
    window: int = Field(..., alias="window_id")
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    booked: int
    off_hours: bool


@router.get("/windows", response=list[WindowOut], summary="Service windows")
@api_permission("affairs.view_window")
def list_windows(request):
    return Window.objects.filter(is_active=True).prefetch_related("items")


class SlotOpenIn(Schema):
    starts_at: LocalDateTime = Field(
        ..., description="within the coming year; without an offset, local time"
    )
    minutes: int = Field(..., ge=5, le=480)
    capacity: int = Field(..., ge=1, le=50, description="places")
    note: str = Field(..., min_length=1, max_length=200, description="whose request it is")


@router.post(
    "/windows/{int:pk}/slots",
    response={201: SlotOut},
    summary="Open a slot outside office hours on request (开放非工作时间预约时段)",
)
@api_permission("affairs.manage_appointments")
def slot_open(request, pk: int, payload: SlotOpenIn):
    """The window page's form and service (affairs.services.slot_open_off_hours), audited:
    只要提前预约，随时办理. A time the window already has a slot at is a 400."""
    window = get_object_or_404(Window.objects.filter(is_active=True), pk=pk)
    slot = services.slot_open_off_hours(
        window=window,
        starts_at=payload.starts_at,
        minutes=payload.minutes,
        capacity=payload.capacity,
        note=payload.note,
        by=request.auth,
    )
    return Status(201, slot)


@router.get("/windows/{int:pk}/slots", response=list[SlotOut], summary="A window's slots on a day")
@api_permission("affairs.view_window")
def list_slots(request, pk: int, day: IsoDate):
    window = get_object_or_404(Window.objects.filter(is_active=True), pk=pk)
    return Slot.objects.filter(window=window, starts_at__date=day)


class AppointmentOut(Schema):
    id: int
    number: str
    slot: SlotOut
    enterprise: int = Field(..., alias="enterprise_id")
    item: int = Field(..., alias="item_id")
    booked_by: int = Field(..., alias="booked_by_id")
    authorization: int | None = Field(None, alias="authorization_id")
    state: str
    note: str


class AppointmentIn(Schema):
    slot: Id
    enterprise: Id
    item: Id
    note: str = Field("", max_length=200)


class RescheduleIn(Schema):
    slot: Id


def _appointments(user):
    return Appointment.objects.restrict(user).select_related("slot")


@router.get("/appointments", response=list[AppointmentOut], summary="Appointments (预约)")
@api_permission("affairs.view_appointment")
@paginate(Pagination, page_size=50)
def list_appointments(request, state: AppointmentState | None = None):
    queryset = _appointments(request.auth)
    return queryset.filter(state=state) if state else queryset


@router.post("/appointments", response={201: AppointmentOut}, summary="Book a place")
@api_permission("affairs.book_appointment")
def book(request, payload: AppointmentIn):

    slot = get_object_or_404(Slot, pk=payload.slot)
    enterprise = get_object_or_404(Enterprise, pk=payload.enterprise)
    item = get_object_or_404(ServiceItem.objects.active(), pk=payload.item)
    appointment = services.appointment_book(
        slot=slot, enterprise=enterprise, item=item, by=request.auth, note=payload.note
    )
    return Status(201, _appointments(request.auth).get(pk=appointment.pk))


@router.post("/appointments/{int:pk}/cancel", response=AppointmentOut, summary="Cancel a booking")
@api_permission("affairs.view_appointment")
def cancel(request, pk: int):
    appointment = get_object_or_404(_appointments(request.auth), pk=pk)
    services.appointment_cancel(appointment=appointment, by=request.auth)
    return _appointments(request.auth).get(pk=pk)


@router.post(
    "/appointments/{int:pk}/reschedule",
    response=AppointmentOut,
    summary="Move a booking to another slot (the new booking is returned)",
)
@api_permission("affairs.view_appointment")
def reschedule(request, pk: int, payload: RescheduleIn):
    appointment = get_object_or_404(_appointments(request.auth), pk=pk)
    slot = get_object_or_404(Slot, pk=payload.slot)
    moved = services.appointment_reschedule(appointment=appointment, slot=slot, by=request.auth)
    return _appointments(request.auth).get(pk=moved.pk)


@router.post(
    "/appointments/{int:pk}/check-in", response=AppointmentOut, summary="Check in at the window"
)
@api_permission("affairs.manage_appointments")
def check_in(request, pk: int):
    appointment = get_object_or_404(_appointments(request.auth), pk=pk)
    services.appointment_check_in(appointment=appointment, by=request.auth)
    return _appointments(request.auth).get(pk=pk)
