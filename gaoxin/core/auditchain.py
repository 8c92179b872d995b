"""The audit trail's hash chain: what an entry's hash covers, and the check of the whole chain.

Entry n carries ``hash = sha256(canonical JSON of its fields + prev_hash)`` and
``prev_hash`` = entry n-1's hash (the first links to ``GENESIS``). The chain head row
(``AuditChainHead``) holds the last position and hash. Editing any field of an entry changes
its hash; deleting an entry leaves a gap in ``seq`` and a ``prev_hash`` that links to nothing;
deleting from the end leaves the head pointing past the last entry. ``verify()`` finds the
first of these. The hash covers the content type by its natural key (app label and model),
so a backup restored into another database still verifies.

The function below must never change: every stored hash depends on it (a data migration
computed the chain over the entries written before the chain existed).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from gaoxin.core.models import AuditChainHead, AuditEntry

GENESIS = "0" * 64


def normalize(value: Any) -> Any:
    """The value as the database gives it back: JSON types only, integral floats as ints
    (PostgreSQL's jsonb prints 1e20 as an integer), dictionary keys as strings."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(k): normalize(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalize(v) for v in value]
    return value


def as_stored_json(value: Any) -> Any:
    """What a JSONField will hold for ``value`` (tuples become lists, keys strings …)."""
    if value is None:
        return None
    return json.loads(json.dumps(value))


def _instant(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def entry_hash(
    *,
    seq: int,
    prev_hash: str,
    timestamp: dt.datetime,
    user_id: int | None,
    user_repr: str,
    action: str,
    content_type: str,
    object_id: str,
    object_repr: str,
    before: Any,
    after: Any,
    request_id: str,
) -> str:
    """SHA-256 over the canonical JSON of an entry's fields and the previous entry's hash."""
    payload = {
        "seq": seq,
        "prev": prev_hash,
        "time": _instant(timestamp),
        "user": user_id,
        "user_repr": user_repr,
        "action": str(action),
        "type": content_type,
        "object_id": str(object_id),
        "object_repr": object_repr,
        "before": normalize(before),
        "after": normalize(after),
        "request_id": request_id,
    }
    text = json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def hash_of(entry, content_type_label: str) -> str:
    """The hash an entry (a model instance, stored or about to be) should carry."""
    return entry_hash(
        seq=entry.seq,
        prev_hash=entry.prev_hash,
        timestamp=entry.timestamp,
        user_id=entry.user_id,
        user_repr=entry.user_repr,
        action=entry.action,
        content_type=content_type_label,
        object_id=entry.object_id,
        object_repr=entry.object_repr,
        before=entry.before,
        after=entry.after,
        request_id=entry.request_id,
    )


@dataclass(frozen=True)
class Break:
    """The first broken link: the entry (or position) and what is wrong with it."""

    seq: int
    entry_id: int | None
    reason: str

    def __str__(self) -> str:
        if self.entry_id:
            return f"entry #{self.entry_id} (position {self.seq}): {self.reason}"
        return f"position {self.seq}: {self.reason}"


@dataclass(frozen=True)
class Result:
    checked: int
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def check(entries: Iterable, labels: dict[int, str], head: tuple[int, str] | None) -> Result:
    """Walk entries in ``seq`` order; ``labels`` maps content type ids to "app.model";
    ``head`` is the chain head's (seq, hash), or None when there is no head row."""
    expected_seq, previous = 1, GENESIS
    checked = 0
    for entry in entries:
        checked += 1
        if entry.seq != expected_seq:
            if entry.seq > expected_seq:
                missing = (
                    f"position {expected_seq}"
                    if entry.seq == expected_seq + 1
                    else f"positions {expected_seq}–{entry.seq - 1}"
                )
                reason = f"{missing} missing before it (deleted)"
            else:
                reason = f"position repeated (expected {expected_seq})"
            return Result(checked, Break(entry.seq, entry.pk, reason))
        if entry.prev_hash != previous:
            return Result(
                checked,
                Break(entry.seq, entry.pk, "does not link to the entry before it"),
            )
        label = labels.get(entry.content_type_id, f"?{entry.content_type_id}")
        if hash_of(entry, label) != entry.hash:
            return Result(
                checked,
                Break(entry.seq, entry.pk, "its content does not match its hash (edited)"),
            )
        previous = entry.hash
        expected_seq += 1
    last_seq = expected_seq - 1
    head_seq, head_hash = head if head is not None else (0, GENESIS)
    if head is None and last_seq > 0:
        return Result(checked, Break(last_seq + 1, None, "the chain head is missing"))
    if head_seq != last_seq or (head_seq and head_hash != previous):
        if head_seq > last_seq:
            reason = f"entries at positions {last_seq + 1}–{head_seq} are missing (deleted)"
        else:
            reason = "the chain head does not match the last entry"
        return Result(checked, Break(last_seq + 1, None, reason))
    return Result(checked, None)


def stored_entries(up_to: int | None = None, chunk_size: int = 2000) -> Iterator:
    entries = AuditEntry.objects.all()
    if up_to is not None:
        entries = entries.filter(seq__lte=up_to)
    return (
        entries.order_by("seq")
        .only(
            "id",
            "seq",
            "prev_hash",
            "hash",
            "timestamp",
            "user_id",
            "user_repr",
            "action",
            "content_type_id",
            "object_id",
            "object_repr",
            "before",
            "after",
            "request_id",
        )
        .iterator(chunk_size=chunk_size)
    )


def content_type_labels() -> dict[int, str]:
    return {ct.pk: f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.all()}


def verify() -> Result:
    """Check the whole stored chain against its head."""
    with transaction.atomic():
        head_row = AuditChainHead.objects.filter(pk=1).first()
        head = (head_row.seq, head_row.hash) if head_row else None
        # Entries appended after the head was read are not this check's business.
        up_to = head[0] if head else None
        return check(stored_entries(up_to), content_type_labels(), head)
