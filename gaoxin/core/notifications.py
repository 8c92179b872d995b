"""Notifications to users: created by services and periodic jobs, read in the navbar."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from gaoxin.core.models import Notification

logger = logging.getLogger(__name__)


def notify(*, user, key: str, title: str, body: str = "", link: str = "") -> Notification | None:
    """Create the notification once per (user, key); a repeated reminder is not repeated."""
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, key=key[:100], title=title[:200], body=body, link=link[:300]
            )
    except IntegrityError:
        return None
    if settings.NOTIFY_BY_EMAIL and user.email:
        # After commit: no mail for a change that is rolled back; a mail failure is logged,
        # the in-app notification stands.
        transaction.on_commit(lambda: _email(notification))
    return notification


def _email(notification: Notification) -> None:
    from django.core.mail import send_mail

    try:
        send_mail(
            subject=notification.title,
            message=f"{notification.body}\n\n{notification.link}".strip(),
            from_email=None,
            recipient_list=[notification.user.email],
        )
    except OSError:
        logger.exception("could not email notification %s", notification.pk)


def mark_read(*, user, notification_id: int | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
