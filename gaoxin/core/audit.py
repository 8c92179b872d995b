"""The audit trail: every write to business data records who, when, what, before and after.

Services call ``record`` inside their transaction (written explicitly, as Zulip does), so the
entry exists if and only if the change was committed. Every entry is a link of a hash chain
(``core.auditchain``), so an entry edited or deleted afterwards is found by ``audit_verify``.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import models, transaction
from django.shortcuts import render
from django.utils import timezone

from gaoxin.core import auditchain
from gaoxin.core.models import AuditAction, AuditChainHead, AuditEntry
from gaoxin.core.requestid import current_request_id

# Fields that change on every save and say nothing about the business change.
_NOISE = {"updated_at", "version", "password", "last_login"}


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if hasattr(value, "name") and hasattr(value, "url"):  # a FieldFile
        return value.name or None
    return value


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The object's concrete field values as JSON-ready data (foreign keys as ids)."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in _NOISE or not getattr(field, "audited", True):
            continue
        value = field.value_from_object(obj)
        if hasattr(field, "audit_value"):  # personal data (core.fields): recorded masked
            value = field.audit_value(value)
        data[field.name] = _jsonable(value)
    return data


def record(
    *,
    action: AuditAction | str,
    obj: models.Model,
    by: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    user = by if getattr(by, "pk", None) else None
    entry = AuditEntry(
        user=user,
        user_repr=(str(user) if user else "system")[:150],
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        before=before,
        after=after,
        request_id=current_request_id.get(),
    )
    append([entry])
    return entry


@transaction.atomic(savepoint=False)  # inside the caller's transaction: no savepoint round trips
def append(entries: list[AuditEntry], *, batch_size: int = 1000) -> None:
    """Link new (unsaved) entries to the end of the hash chain and insert them.

    The chain head row is locked (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's IMMEDIATE
    transactions already serialize writers) until the caller's transaction ends, so two
    writers never link to the same entry. Services call ``record``; bulk loaders (the demo
    data) build ``AuditEntry`` objects and pass them here, never to ``bulk_create``.
    """
    if not entries:
        return
    head = _locked_head()
    for entry in entries:
        entry.timestamp = entry.timestamp or timezone.now()
        entry.before = auditchain.as_stored_json(entry.before)
        entry.after = auditchain.as_stored_json(entry.after)
        entry.request_id = entry.request_id or ""
        head.seq += 1
        entry.seq = head.seq
        entry.prev_hash = head.hash
        ct = ContentType.objects.get_for_id(entry.content_type_id)
        entry.hash = auditchain.hash_of(entry, f"{ct.app_label}.{ct.model}")
        head.hash = entry.hash
    if len(entries) == 1:
        entries[0].save(force_insert=True)
    else:
        AuditEntry.objects.bulk_create(entries, batch_size=batch_size)
    head.save(update_fields=["seq", "hash"])


def _locked_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # Only on an empty database (a test flush): the chain starts again.
        AuditChainHead.objects.get_or_create(pk=1, defaults={"hash": auditchain.GENESIS})
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def history_for(obj: models.Model):
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return AuditEntry.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related("user")


def history_page(request, obj, *, back_url: str, entries=None):
    """The object's history page: every audited change, newest first, with before and after."""
    entries = history_for(obj) if entries is None else entries
    page = Paginator(entries, 25).get_page(request.GET.get("page"))
    return render(request, "core/history.html", {"object": obj, "page": page, "back_url": back_url})
