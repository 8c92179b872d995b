"""Backup and verified restore of the platform's data, independent of the database engine.

A backup is a gzip'd JSON file: the serialized rows of every business model (natural keys for
content types, so it loads into any database migrated to the same version) and a manifest
with, per model, the row count and a SHA-256 checksum. Restore replaces the data in one
transaction, recomputes the checksums and refuses (rolling everything back) if they differ,
or if the audit trail's hash chain (entries and head, both in the backup) no longer verifies.
For large PostgreSQL installations use pg_dump/pg_restore (docs/operations.md); this format is
for the embedded default, moving between databases, and proving a round trip.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from gaoxin.core import auditchain

FORMAT = "gaoxin-backup/1"
# Not business data: reference data shipped by migrations (the GB/T 4754 codes), and the
# platform's own bookkeeping (queued jobs, idempotency keys, scheduler ticks).
EXCLUDED = frozenset(
    {
        "enterprises.IndustryCode",
        "core.BackgroundJob",
        "core.IdempotencyRecord",
        "core.SchedulerTick",
    }
)


def business_models() -> list[str]:
    """Every model of the platform's apps, in load order: a model comes after the models its
    foreign keys point to (nullable keys give way where two models point at each other).
    Restore deletes in the reverse order, so every protected reference is gone before the row
    it points to. Computed, so a new module is in the backup without anyone remembering."""
    models = {
        m._meta.label: m
        for m in apps.get_models()
        if m.__module__.startswith("gaoxin.") and m._meta.label not in EXCLUDED
    }
    needs: dict[str, dict[str, bool]] = {label: {} for label in models}
    for label, model in models.items():
        for field in model._meta.get_fields():
            if field.many_to_one or field.one_to_one:
                if not field.concrete:
                    continue
                target = field.related_model._meta.label
                if target in models and target != label:
                    needs[label][target] = needs[label].get(target, True) and field.null
    order: list[str] = []
    remaining = dict(needs)
    while remaining:
        ready = sorted(label for label, deps in remaining.items() if not set(deps) - set(order))
        if not ready:
            # A cycle: let a model whose unmet keys are all nullable go first.
            ready = sorted(
                label
                for label, deps in remaining.items()
                if all(nullable for d, nullable in deps.items() if d not in order)
            )[:1]
            if not ready:
                raise RuntimeError(f"no load order for: {sorted(remaining)}")
        for label in ready:
            order.append(label)
            del remaining[label]
    return order


class RestoreError(Exception):
    pass


class _ExactEncoder(DjangoJSONEncoder):
    """Django's encoder rounds times to milliseconds; a backup keeps the microseconds."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat().replace("+00:00", "Z")
        return super().default(o)


def _serialize(label: str) -> list[dict]:
    model = apps.get_model(label)
    return json.loads(
        serializers.serialize(
            "json",
            model._default_manager.order_by("pk"),
            use_natural_foreign_keys=True,
            cls=_ExactEncoder,
        )
    )


def _digest(rows: list[dict]) -> str:
    return hashlib.sha256(json.dumps(rows, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def manifest() -> dict[str, dict]:
    """Row count and checksum of each model as the database holds it now."""
    result = {}
    for label in business_models():
        rows = _serialize(label)
        result[label] = {"count": len(rows), "sha256": _digest(rows)}
    return result


def backup(path: Path) -> dict[str, dict]:
    data, summary = {}, {}
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            # One consistent snapshot: the audit chain's head and its entries agree.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        for label in business_models():
            rows = _serialize(label)
            data[label] = rows
            summary[label] = {"count": len(rows), "sha256": _digest(rows)}
        chain = auditchain.verify()
    payload = {
        "format": FORMAT,
        "manifest": summary,
        # The audit hash chain travels with its entries (core.AuditEntry, core.AuditChainHead);
        # restore checks that it still verifies.
        "audit_chain": {"ok": chain.ok, "entries": chain.checked},
        "data": data,
    }
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        json.dump(payload, fh, ensure_ascii=False)
    return summary


@transaction.atomic
def restore(path: Path) -> dict[str, dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        payload = json.load(fh)
    if payload.get("format") != FORMAT:
        raise RestoreError(f"{path} is not a Gaoxin backup ({payload.get('format')!r})")
    models = business_models()
    for label in reversed(models):
        apps.get_model(label)._default_manager.all().delete()
    waiting = []  # rows whose keys name rows loaded later (a cycle, or a many-to-many)
    for label in models:
        rows = payload["data"].get(label, [])
        for obj in serializers.deserialize(
            "json", json.dumps(rows), handle_forward_references=True
        ):
            obj.save()
            if obj.deferred_fields:
                waiting.append(obj)
    for obj in waiting:
        obj.save_deferred_fields()
    now = manifest()
    differing = [label for label in models if now[label] != payload["manifest"].get(label)]
    if differing:
        raise RestoreError(f"restored data differs from the backup for: {', '.join(differing)}")
    chain = auditchain.verify()
    if not chain.ok and payload.get("audit_chain", {}).get("ok", True):
        raise RestoreError(f"the restored audit chain does not verify: {chain.broken}")
    return now
