"""API of notifications (/api/v1/notifications/): a person's own messages and marking them
read (the bell's page), their channel settings (the preferences page), and the
administrators' delivery log with its filters, "send again" and a test message — the same
forms, services and permissions as the pages."""

import datetime as dt
from typing import Annotated

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import WithJsonSchema, field_validator

from gaoxin.core import notifications as notes
from gaoxin.core.api_forms import clean_with
from gaoxin.core.api_types import Id, IsoDate, Pagination, refuse_unknown_params
from gaoxin.core.models import Notification
from gaoxin.core.permissions import AUTHENTICATED, api_permission
from gaoxin.notifications import outbox, routing, selectors
from gaoxin.notifications.filters import DeliveryFilter
from gaoxin.notifications.forms import PreferenceForm, TestSendForm
from gaoxin.notifications.models import Channel, Delivery, DeliveryState, EventType
from gaoxin.notifications.services import preference_update

__all__ = ["router"]

router = Router(tags=["notifications"])

# Written out in place: the project register has a Channel (招商渠道) of its own, and two enums
# of one name would share one definition in the OpenAPI document.
DeliveryChannel = Annotated[
    Channel,
    WithJsonSchema({"type": "string", "enum": Channel.values, "description": "a delivery channel"}),
]


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    link: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class NotificationsReadOut(Schema):
    marked: int = Field(description="how many unread messages were marked read")


class DeliveryOut(Schema):
    id: int
    notification: int | None = Field(None, alias="notification_id")
    user: int | None = Field(None, alias="user_id")
    webhook: int | None = Field(None, alias="webhook_id")
    channel: DeliveryChannel
    event_type: EventType
    urgent: bool
    title: str
    recipient: str = Field(description="masked, as the log shows it")
    state: DeliveryState
    attempts: int
    next_attempt_at: dt.datetime
    created_at: dt.datetime
    sent_at: dt.datetime | None
    last_error: str
    resend_of: int | None = Field(None, alias="resend_of_id")
    is_test: bool


class DeliveryFilters(FilterSchema):
    q: str | None = Field(None, max_length=200)
    channel: DeliveryChannel | None = None
    state: DeliveryState | None = None
    event_type: EventType | None = None
    since: IsoDate | None = Field(None, description="created on or after")
    until: IsoDate | None = Field(None, description="created on or before")


class PreferenceOut(Schema):
    phone: str = Field(description="the person's mobile number (their own, unmasked)")
    wecom_user_id: str
    dingtalk_user_id: str
    quiet_start: dt.time | None
    quiet_end: dt.time | None
    choices: dict[str, list[str]] = Field(
        description="event type → the personal channels it reaches the person on"
    )


class PreferenceIn(Schema):
    phone: str = Field("", max_length=20)
    wecom_user_id: str = Field("", max_length=64)
    dingtalk_user_id: str = Field("", max_length=64)
    quiet_start: dt.time | None = None
    quiet_end: dt.time | None = None
    choices: dict[EventType, list[DeliveryChannel]] = Field(
        default_factory=dict,
        description="event type → channels; mandatory event types keep their channels and "
        "are not sent; an event type left out is set to no channel",
    )

    @field_validator("quiet_start", "quiet_end")
    @classmethod
    def _local_time(cls, value: dt.time | None) -> dt.time | None:
        # Quiet hours are the zone's local time of day: an offset would mean another clock.
        if value is not None and value.tzinfo is not None:
            raise ValueError("expected a local time without an offset, e.g. 21:30")
        return value


class TestSendIn(Schema):
    channel: DeliveryChannel
    user: Id | None = Field(None, description="for a person's channel; yourself when empty")
    webhook: Id | None = Field(None, description="the group robot, for a robot channel")


@router.get("/", response=list[NotificationOut], summary="My notifications (我的消息)")
@api_permission(AUTHENTICATED)
@paginate(Pagination, page_size=50)
def list_notifications(request):
    return Notification.objects.filter(user=request.auth)


@router.post(
    "/read", response=NotificationsReadOut, summary="Mark all my notifications read (全部已读)"
)
@api_permission(AUTHENTICATED)
def read_all(request):
    return {"marked": notes.mark_read(user=request.auth)}


@router.post(
    "/{int:pk}/read", response=NotificationOut, summary="Mark a notification read (标为已读)"
)
@api_permission(AUTHENTICATED)
def read_notification(request, pk: int):
    notification = get_object_or_404(Notification, pk=pk, user=request.auth)
    notes.mark_read(user=request.auth, notification_id=notification.pk)
    notification.refresh_from_db()
    return notification


@router.get(
    "/preferences",
    response=PreferenceOut,
    summary="My notification settings (我的通知设置)",
)
@api_permission("notifications.change_own_preference")
def get_preferences(request):
    return selectors.preference_values(request.auth)


@router.put(
    "/preferences",
    response=PreferenceOut,
    summary="Save my notification settings (保存通知设置)",
)
@api_permission("notifications.change_own_preference")
def put_preferences(request, payload: PreferenceIn):
    rules = [routing.rule_for(event) for event in EventType.values]
    data = payload.dict(exclude={"choices"})
    for event, channels in payload.choices.items():
        data[f"event_{event}"] = [str(c) for c in channels]
    try:
        cleaned = clean_with(PreferenceForm, data, rules=rules)
    except ValidationError as error:
        # the form names an event's channels event_<type>; the API names them choices.<type>
        raise ValidationError(
            {
                (f"choices.{k.removeprefix('event_')}" if k.startswith("event_") else k): v
                for k, v in error.error_dict.items()
            }
        ) from error
    preference_update(user=request.auth, data=cleaned, by=request.auth)
    return selectors.preference_values(request.auth)


@router.get(
    "/deliveries",
    response=list[DeliveryOut],
    summary="The delivery log, filtered (消息发送日志)",
)
@api_permission("notifications.view_delivery")
@paginate(Pagination, page_size=50)
def list_deliveries(request, filters: Query[DeliveryFilters]):
    refuse_unknown_params(request, DeliveryFilters)
    params = {k: v for k, v in filters.dict().items() if v is not None}
    return DeliveryFilter(params, queryset=selectors.deliveries()).qs


@router.post(
    "/deliveries/{int:pk}/send-again",
    response={201: DeliveryOut},
    summary="Send a delivery again: a new delivery of the same message (重新发送)",
)
@api_permission("notifications.send_delivery")
def send_again(request, pk: int):
    delivery = get_object_or_404(Delivery, pk=pk)
    return Status(201, outbox.send_again(delivery=delivery, by=request.auth))


@router.post(
    "/test",
    response={201: DeliveryOut},
    summary="Send a test message on a channel now and answer its outcome (发送测试消息)",
)
@api_permission("notifications.send_delivery")
def send_test(request, payload: TestSendIn):
    data = clean_with(TestSendForm, payload, by=request.auth)
    delivery = outbox.send_test(
        channel=data["channel"],
        by=request.auth,
        user=data.get("user"),
        webhook=data.get("webhook"),
    )
    return Status(201, delivery)
