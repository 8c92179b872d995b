"""The audit trail: every write to business data records who, when, what, before and after.

Services call ``record`` inside their transaction (written explicitly, as Zulip does), so the
entry exists if and only if the change was committed.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from gaoxin.core.models import AuditAction, AuditEntry
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
        if field.name in _NOISE:
            continue
        data[field.name] = _jsonable(field.value_from_object(obj))
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
    return AuditEntry.objects.create(
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


def history_for(obj: models.Model):
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return AuditEntry.objects.filter(content_type=ct, object_id=str(obj.pk)).select_related("user")


def history_page(request, obj, *, back_url: str, entries=None):
    """The object's history page: every audited change, newest first, with before and after."""
    from django.core.paginator import Paginator
    from django.shortcuts import render

    entries = history_for(obj) if entries is None else entries
    page = Paginator(entries, 25).get_page(request.GET.get("page"))
    return render(request, "core/history.html", {"object": obj, "page": page, "back_url": back_url})
