"""The outbox: deliveries written with the change, sent by the worker, retried with backoff.

1. ``enqueue`` runs inside ``notify``'s transaction: one ``Delivery`` row per channel the
   person gets this event on (and one per group robot and notification key). If the change
   rolls back, so do they; once it commits, nothing can lose them.
2. After commit a ``deliver_due`` task is enqueued (and a ``deliver_one`` task with
   ``run_after`` for a row due later: an SMS held for the quiet hours, a retry after its
   backoff); ``outbox_sweep`` (every ten minutes, run_scheduler) picks up whatever is due,
   so a crash between the commit and the task (or a worker that died mid-send) loses
   nothing.
3. ``deliver`` claims a row with one conditional UPDATE (pending/failed and due, or a
   "sending" row whose lease ran out): two workers can never both send it, and a row that
   is sent is never claimed again. The idempotency key also goes to providers that drop
   duplicates (Alibaba's OutId, WeCom's duplicate check), covering a crash after the
   provider accepted but before the row was marked sent.
4. A temporary failure (timeout, unreachable, 5xx, rate limit) is retried after
   ``NOTIFY_RETRY_BASE_SECONDS × 2^(attempt-1)``, at most ``NOTIFY_RETRY_CAP_SECONDS``, and
   given up after ``NOTIFY_MAX_ATTEMPTS``; a permanent one (wrong template or secret) is
   given up at once. The reason and the provider's answer stay on the row. The in-app
   notification is there whatever happens.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from gaoxin.core import audit
from gaoxin.core.crypto import mask_phone
from gaoxin.core.models import AuditAction
from gaoxin.notifications import routing
from gaoxin.notifications.channels import PermanentError, TemporaryError, adapter_for
from gaoxin.notifications.models import Channel, Delivery, DeliveryState, EventType

logger = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=5)  # longer than any send (HTTP timeouts are seconds)


def _recipient(user, channel: str, address: str) -> str:
    if channel == Channel.SMS:
        return mask_phone(address)
    if channel == Channel.EMAIL:
        name, _at, domain = address.partition("@")
        return f"{name[:2]}***@{domain}"
    return f"{user} ({address})"[:100]


def enqueue(notification, *, event_type: str | None = None, urgent: bool = False) -> list:
    """Write the deliveries of a new in-app notification (call inside its transaction)."""
    user = notification.user
    event_type = event_type or routing.event_type_for(notification.key)
    rule = routing.rule_for(event_type)
    urgent = urgent or rule.urgent
    preference = routing.preference_of(user)
    now = timezone.now()
    rows = []
    for channel in routing.channels_for(user, rule, preference):
        due = now
        if channel == Channel.SMS and not urgent:
            due = routing.quiet_until(now, routing.quiet_hours(preference)) or now
        rows.append(
            Delivery(
                notification=notification,
                user=user,
                channel=channel,
                event_type=event_type,
                urgent=urgent,
                idempotency_key=f"n{notification.pk}:{channel}",
                title=notification.title,
                body=notification.body,
                link=notification.link,
                recipient=_recipient(user, channel, routing.address_of(user, channel, preference)),
                next_attempt_at=due,
            )
        )
    if rule.to_robots:
        for hook in routing.robots_for(user, event_type):
            rows.append(
                Delivery(
                    notification=notification,
                    webhook=hook,
                    channel=hook.kind,
                    event_type=event_type,
                    urgent=urgent,
                    # once per group and notification key, however many members are told
                    idempotency_key=f"robot{hook.pk}:{notification.key}"[:200],
                    title=notification.title,
                    body=notification.body,
                    link=notification.link,
                    recipient=hook.name[:100],
                    next_attempt_at=now,
                )
            )
    created = []
    for row in rows:
        try:
            with transaction.atomic():  # a savepoint: a taken key leaves the change intact
                row.save()
        except IntegrityError:
            continue  # this group already heard of this key
        created.append(row)
    later = [(row.pk, row.next_attempt_at) for row in created if row.next_attempt_at > now]
    if later:
        transaction.on_commit(lambda: [_schedule(pk, at) for pk, at in later])
    if created:
        emails = [
            row.pk for row in created if row.channel == Channel.EMAIL and row.next_attempt_at <= now
        ]
        transaction.on_commit(lambda: _after_commit(emails))
    return created


def _after_commit(email_ids: list[int]) -> None:
    """E-mail goes out at once from the process that made the change, as it always did (a
    local relay answers in milliseconds); everything else, and any e-mail that failed here,
    is the worker's. Claiming makes sure no row is sent twice either way."""
    for pk in email_ids:
        try:
            deliver(pk)
        except Exception:  # the row stays claimable; the sweep retries it
            logger.exception("delivery %s could not be sent after commit", pk)
    _kick()


def _kick() -> None:
    """Ask the worker to send now (the sweep would find the rows anyway)."""
    try:
        deliver_due.enqueue()
    except Exception:  # the rows are committed; the sweep delivers them
        logger.exception("could not enqueue the outbox task")


def _schedule(delivery_id: int, at: dt.datetime) -> None:
    """A task for one delivery at its time (the sweep catches it if this is lost)."""
    try:
        deliver_one.using(run_after=at).enqueue(delivery_id)
    except Exception:
        logger.exception("could not schedule delivery %s", delivery_id)


def backoff(attempts: int, retry_after: float | None = None) -> dt.timedelta:
    seconds = settings.NOTIFY_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    seconds = min(seconds, settings.NOTIFY_RETRY_CAP_SECONDS)
    if retry_after:
        seconds = max(seconds, min(retry_after, settings.NOTIFY_RETRY_CAP_SECONDS))
    return dt.timedelta(seconds=seconds)


def _claimable(now):
    return Q(state__in=[DeliveryState.PENDING, DeliveryState.FAILED], next_attempt_at__lte=now) | Q(
        state=DeliveryState.SENDING, locked_until__lt=now
    )


def claim(delivery_id: int, now: dt.datetime | None = None) -> Delivery | None:
    """Take the row for this worker, or None if it is not due or someone else has it."""
    now = now or timezone.now()
    taken = Delivery.objects.filter(_claimable(now), pk=delivery_id).update(
        state=DeliveryState.SENDING, locked_until=now + LEASE, attempts=F("attempts") + 1
    )
    if not taken:
        return None
    return Delivery.objects.select_related("user", "webhook").get(pk=delivery_id)


def _finish(delivery: Delivery, **fields) -> None:
    Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.SENDING).update(
        locked_until=None, **fields
    )
    for name, value in fields.items():
        setattr(delivery, name, value)


def deliver(delivery_id: int) -> str:
    """Send one delivery if it is due and free; returns its state afterwards."""
    delivery = claim(delivery_id)
    if delivery is None:
        return "skipped"
    now = timezone.now()
    try:
        result = adapter_for(delivery.channel).send(delivery)
    except PermanentError as error:
        _finish(
            delivery,
            state=DeliveryState.GIVEN_UP,
            last_error=error.reason,
            response=error.response,
        )
        logger.warning("delivery %s given up: %s", delivery.pk, error.reason)
    except Exception as error:
        if isinstance(error, TemporaryError):
            reason, answer, retry_after = error.reason, error.response, error.retry_after
        else:
            logger.exception("delivery %s: unexpected error", delivery.pk)
            reason, answer, retry_after = f"{type(error).__name__}: {error}", "", None
        if delivery.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
            _finish(
                delivery,
                state=DeliveryState.GIVEN_UP,
                last_error=_("%(reason)s (after %(n)s attempts)")
                % {"reason": reason, "n": delivery.attempts},
                response=answer,
            )
            logger.warning("delivery %s given up after %s attempts", delivery.pk, delivery.attempts)
        else:
            _finish(
                delivery,
                state=DeliveryState.FAILED,
                last_error=reason,
                response=answer,
                next_attempt_at=now + backoff(delivery.attempts, retry_after),
            )
            _schedule(delivery.pk, delivery.next_attempt_at)
    else:
        _finish(
            delivery,
            state=DeliveryState.SENT,
            sent_at=timezone.now(),
            provider_message_id=result.message_id[:100],
            response=result.response,
            last_error="",
        )
    return delivery.state


def due_ids(limit: int = 200, now: dt.datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        Delivery.objects.filter(_claimable(now))
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )


def deliver_all_due(limit: int = 200) -> dict[str, int]:
    counts: dict[str, int] = {}
    for pk in due_ids(limit):
        state = deliver(pk)
        counts[state] = counts.get(state, 0) + 1
    return counts


def send_again(*, delivery: Delivery, by) -> Delivery:
    """A new delivery of the same message (an admin's deliberate "send again"); not while
    the first is still on its way."""
    if delivery.state in (DeliveryState.PENDING, DeliveryState.SENDING):
        raise ValidationError(_("This delivery is still on its way; wait for its outcome."))
    with transaction.atomic():
        again = Delivery.objects.create(
            notification=delivery.notification,
            user=delivery.user,
            webhook=delivery.webhook,
            channel=delivery.channel,
            event_type=delivery.event_type,
            urgent=delivery.urgent,
            idempotency_key=f"again:{uuid.uuid4().hex}",
            title=delivery.title,
            body=delivery.body,
            link=delivery.link,
            recipient=delivery.recipient,
            next_attempt_at=timezone.now(),
            resend_of=delivery,
            is_test=delivery.is_test,
        )
        audit.record(action=AuditAction.CREATE, obj=again, by=by, after=audit.snapshot(again))
        transaction.on_commit(_kick)
    return again


def send_test(*, channel: str, by, user=None, webhook=None) -> Delivery:
    """Send a test message now (not through the queue) and return its outcome."""
    user = user or (None if webhook else by)
    preference = routing.preference_of(user) if user else None
    # An SMS can only carry an approved template: the test uses the first event type's.
    event_type = next(
        (e for e in EventType.values if routing.rule_for(e).sms_template),
        EventType.OTHER,
    )
    address = routing.address_of(user, channel, preference) if user else ""
    with transaction.atomic():
        delivery = Delivery.objects.create(
            user=user,
            webhook=webhook,
            channel=channel,
            event_type=event_type if channel == Channel.SMS else EventType.OTHER,
            urgent=True,
            idempotency_key=f"test:{uuid.uuid4().hex}",
            title=_("Test message from the zone platform"),
            body=_("A test message (%(when)s): if it reached you, the channel is set up right.")
            % {"when": f"{timezone.localtime():%Y-%m-%d %H:%M}"},
            recipient=(webhook.name if webhook else _recipient(user, channel, address))[:100],
            next_attempt_at=timezone.now(),
            is_test=True,
        )
        audit.record(action=AuditAction.CREATE, obj=delivery, by=by, after=audit.snapshot(delivery))
    # A test must not be sent twice either: give it one attempt only.
    deliver(delivery.pk)
    delivery.refresh_from_db()
    if delivery.state == DeliveryState.FAILED:
        Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.GIVEN_UP)
        delivery.state = DeliveryState.GIVEN_UP
    return delivery


# --- the worker's tasks (tasks.py adds the periodic sweep) -------------------------------------


@task()
def deliver_due() -> dict:
    """Whatever is due now (enqueued after a commit that wrote deliveries)."""
    return deliver_all_due()


@task()
def deliver_one(delivery_id: int) -> str:
    """One delivery at its time (a retry after its backoff, an SMS after the quiet hours)."""
    return deliver(delivery_id)
