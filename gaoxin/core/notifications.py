"""Notifications to users: created by services and periodic jobs, read in the navbar."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from gaoxin.core.models import Notification


def notify(*, user, key: str, title: str, body: str = "", link: str = "") -> Notification | None:
    """Create the notification once per (user, key); a repeated reminder is not repeated."""
    try:
        with transaction.atomic():
            return Notification.objects.create(
                user=user, key=key[:100], title=title[:200], body=body, link=link[:300]
            )
    except IntegrityError:
        return None


def mark_read(*, user, notification_id: int | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
