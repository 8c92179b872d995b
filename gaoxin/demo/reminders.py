"""The demo's reminders at their own dates (issue 17).

The seeders call the services, and the services notify as they would in use, at the moment the
seed runs. Afterwards each reminder takes the time of the event it tells of (a case accepted,
a review opened, a reporting month opened, a steward handed over …), never earlier; what its
reader has since acted on, or what a later reminder about the same case replaced, is read; and
the daily job's rule archives what is older than its use. So a demo account signs in to a
handful of recent reminders, as a person who has been working would.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

from django.utils import timezone

from gaoxin.affairs.models import (
    Application,
    Authorization,
    Remediation,
    Review,
    SupplementRequest,
)
from gaoxin.core.models import Notification
from gaoxin.core.notifications import archive_stale
from gaoxin.dispatch.models import DispatchPeriod, Problem
from gaoxin.policies.models import Payout
from gaoxin.projects.models import StewardHandover

# A reader keeps at most this many unread: the rest of a busy desk's reminders were read.
UNREAD_KEPT = 8


def _get(model, pk):
    return model.objects.filter(pk=pk).first()


def _morning(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9)))


def _case(number, event, rest):
    """(when it happened, when its reader acted on it) for a case's reminder."""
    case = _get(Application, number)
    if case is None:
        return None, None
    if event == "supplement" and rest:
        request = _get(SupplementRequest, rest[0])
        return (request.requested_at if request else None), None
    if event == "commitment-supplied":
        commitment = getattr(case, "commitment", None)
        return (commitment.supplied_at if commitment else None), None
    happened = {
        "submitted": case.submitted_at,
        "accepted": case.accepted_at,
        "decided": case.decided_at,
        "closed": case.closed_at,
    }.get(event)
    # The clerk who accepted a case has seen its arrival.
    acted = case.accepted_at if event == "submitted" else None
    return happened, acted


def _review(pk):
    review = _get(Review, pk)
    if review is None:
        return None, None
    # A review opens when its case is accepted; its reviewer has read it once decided.
    return review.application.accepted_at, review.decided_at


def _cause(key: str) -> tuple[dt.datetime | None, dt.datetime | None, str]:
    """(the event's time, when the reader acted on it, the matter's key) from a reminder's key."""
    if m := re.fullmatch(r"case:(\d+):([a-z-]+)(?::(.+))?", key):
        happened, acted = _case(m[1], m[2], [m[3]] if m[3] else [])
        return happened, acted, f"case:{m[1]}"
    if m := re.fullmatch(r"review:(\d+)", key):
        happened, acted = _review(m[1])
        review = _get(Review, m[1])
        return happened, acted, f"case:{review.application_id}" if review else key
    if m := re.fullmatch(r"period-(\d+)-open", key):
        period = _get(DispatchPeriod, m[1])
        return (period.opened_at if period else None), None, key
    if m := re.fullmatch(r"handover-(\d+)", key):
        handover = _get(StewardHandover, m[1])
        return (handover.at if handover else None), None, key
    if m := re.fullmatch(r"light-list:(\d{4})-(\d{2})", key):
        month = dt.date(int(m[1]), int(m[2]), 1)
        published = (month + dt.timedelta(days=32)).replace(day=1)
        return _morning(published), None, key
    if m := re.fullmatch(r"authorization:(\d+):(granted|revoked)", key):
        paper = _get(Authorization, m[1])
        if paper is None:
            return None, None, key
        return (paper.created_at if m[2] == "granted" else paper.revoked_at), None, key
    if m := re.fullmatch(r"appeal-(\d+)-(raised|answered|reopened)(?:-\d+)?", key):
        appeal = _get(Problem, m[1])
        if appeal is None:
            return None, None, key
        if m[2] == "raised":
            return appeal.created_at, None, key
        step = appeal.steps.order_by("-at").first()
        return (step.at if step else None), None, key
    if m := re.fullmatch(r"remediation:(\d+)(:.*)?", key):
        remediation = _get(Remediation, m[1])
        if remediation is None:
            return None, None, key
        return (remediation.replied_at if m[2] else remediation.created_at), None, key
    if m := re.fullmatch(r"payout-(\d+)", key):
        payout = _get(Payout, m[1])
        paid = payout.paid_on if payout else None
        return (_morning(paid) if paid else None), None, key
    return None, None, key


def settle_reminders(since: dt.datetime, now: dt.datetime | None = None) -> int:
    """Date the reminders created since ``since`` at their events, read what was acted on or
    replaced, keep a reader's newest few unread, then archive as the daily job does (its
    service). Returns how many are left unread."""
    now = now or timezone.now()
    made = list(Notification.objects.filter(created_at__gte=since).order_by("pk"))
    matters: dict[tuple[int, str], list[Notification]] = {}
    for notification in made:
        happened, acted, matter = _cause(notification.key)
        if happened is not None:
            notification.created_at = min(happened, now)
        if acted is not None and notification.read_at is None:
            notification.read_at = max(min(acted, now), notification.created_at)
        matters.setdefault((notification.user_id, matter), []).append(notification)
    # A later reminder about the same matter replaces the earlier ones (read when it came).
    for reminders in matters.values():
        reminders.sort(key=lambda n: (n.created_at, n.pk))
        for earlier, later in itertools.pairwise(reminders):
            if earlier.read_at is None:
                earlier.read_at = later.created_at
    Notification.objects.bulk_update(made, ["created_at", "read_at"], batch_size=500)
    by_user: dict[int, list[Notification]] = {}
    for notification in made:
        if notification.read_at is None:
            by_user.setdefault(notification.user_id, []).append(notification)
    older = []
    for unread in by_user.values():
        unread.sort(key=lambda n: (n.created_at, n.pk), reverse=True)
        for notification in unread[UNREAD_KEPT:]:
            notification.read_at = max(notification.created_at, now - dt.timedelta(hours=1))
            older.append(notification)
    Notification.objects.bulk_update(older, ["read_at"], batch_size=500)
    archive_stale(now)
    return Notification.objects.filter(read_at__isnull=True).count()
