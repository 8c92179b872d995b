"""Notifications to users: created by services and periodic jobs, read in the navbar.

``notify`` writes the in-app notification and, in the same transaction, its deliveries to
the other channels (the outbox, ``gaoxin.notifications``, which registers itself here when
it starts: core stays below the apps): e-mail, SMS, 企业微信, 钉钉 and group robots, as the
event type's rule and the person's choices say. The task worker sends them after commit; a
rolled-back change sends nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone

from gaoxin.core.models import Notification

logger = logging.getLogger(__name__)

# An unread reminder older than this is archived (marked read): past its use.
NOTIFICATION_USEFUL_DAYS = 14

# Called inside notify's transaction with (notification, event_type, urgent): the outbox.
_outboxes: list[Callable] = []


def register_outbox(enqueue: Callable) -> None:
    """The notifications app's ``outbox.enqueue`` (NotificationsConfig.ready)."""
    if enqueue not in _outboxes:
        _outboxes.append(enqueue)


def notify(
    *,
    user,
    key: str,
    title: str,
    body: str = "",
    link: str = "",
    event: str | None = None,
    urgent: bool = False,
) -> Notification | None:
    """Create the notification once per (user, key); a repeated reminder is not repeated.

    ``event`` is the event type (``notifications.models.EventType``); without it the key's
    shape tells (``notifications.routing.KEY_PATTERNS``). ``urgent`` sends SMS even in the
    person's quiet hours.
    """
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, key=key[:100], title=title[:200], body=body, link=link[:300]
            )
            for enqueue in _outboxes:
                enqueue(notification, event_type=event, urgent=urgent)
    except IntegrityError:
        return None
    return notification


def mark_read(*, user, notification_id: int | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def archive_stale(now: dt.datetime | None = None) -> int:
    """Mark read the unread notifications older than NOTIFICATION_USEFUL_DAYS; how many (the
    daily job, and the demo seed at its end)."""
    moment = now or timezone.now()
    cutoff = moment - dt.timedelta(days=NOTIFICATION_USEFUL_DAYS)
    return Notification.objects.filter(read_at__isnull=True, created_at__lt=cutoff).update(
        read_at=moment
    )
