"""Reads of the outbox: the log's rows and the figures per channel."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from gaoxin.notifications import routing
from gaoxin.notifications.models import Channel, Delivery, DeliveryState, EventType


def deliveries() -> QuerySet[Delivery]:
    return Delivery.objects.select_related("user", "webhook")


def preference_values(user) -> dict:
    """A person's settings as the preferences form shows them (and the API answers them):
    phone, chat ids, quiet hours and, per event type, the chosen channels (the rule's
    defaults until the person chose)."""
    preference = routing.preference_of(user)
    values: dict = {
        "phone": str(user.phone or ""),
        "wecom_user_id": preference.wecom_user_id if preference else "",
        "dingtalk_user_id": preference.dingtalk_user_id if preference else "",
        "quiet_start": preference.quiet_start if preference else None,
        "quiet_end": preference.quiet_end if preference else None,
        "choices": {},
    }
    for event in EventType.values:
        rule = routing.rule_for(event)
        chosen = (preference.choices or {}).get(event) if preference else None
        values["choices"][event] = list(rule.channels) if chosen is None else chosen
    return values


@dataclass
class ChannelFigures:
    channel: str
    label: str
    total: int
    sent: int
    failed: int
    waiting: int
    median_delay_seconds: float | None


def figures(queryset: QuerySet[Delivery]) -> list[ChannelFigures]:
    """Per channel of the (filtered) deliveries: sent, failed (given up or waiting for a
    retry), still waiting, and the median time from the change to the provider's
    acceptance (computed in Python: the median is not portable SQL; two queries)."""
    counts = {
        row["channel"]: row
        for row in queryset.order_by()
        .values("channel")
        .annotate(
            total=Count("id"),
            sent=Count("id", filter=Q(state=DeliveryState.SENT)),
            failed=Count("id", filter=Q(state__in=[DeliveryState.FAILED, DeliveryState.GIVEN_UP])),
            waiting=Count("id", filter=Q(state__in=[DeliveryState.PENDING, DeliveryState.SENDING])),
        )
    }
    delays: dict[str, list[float]] = {}
    for channel, created, sent in queryset.filter(
        state=DeliveryState.SENT, sent_at__isnull=False
    ).values_list("channel", "created_at", "sent_at"):
        delays.setdefault(channel, []).append((sent - created).total_seconds())
    result = []
    for channel in Channel:
        row = counts.get(channel.value)
        if row is None:
            continue
        found = delays.get(channel.value)
        result.append(
            ChannelFigures(
                channel=channel.value,
                label=channel.label,
                total=row["total"],
                sent=row["sent"],
                failed=row["failed"],
                waiting=row["waiting"],
                median_delay_seconds=statistics.median(found) if found else None,
            )
        )
    return result
