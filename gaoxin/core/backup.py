"""Backup and verified restore of the platform's data, independent of the database engine.

A backup is a gzip'd JSON file: the serialized rows of every business model (natural keys for
content types, so it loads into any database migrated to the same version) and a manifest
with, per model, the row count and a SHA-256 checksum. Restore replaces the data in one
transaction, recomputes the checksums and refuses (rolling everything back) if they differ.
For large PostgreSQL installations use pg_dump/pg_restore (docs/operations.md); this format is
for the embedded default, moving between databases, and proving a round trip.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.db import transaction

FORMAT = "gaoxin-backup/1"
# In load order; restore deletes in the reverse order, so every protected reference is gone
# before the row it points to. Reference data shipped by migrations (the GB/T 4754 codes) is
# not part of a backup.
MODELS = [
    "enterprises.Cluster",
    "enterprises.Enterprise",
    "enterprises.EnterpriseContact",
    "accounts.Department",
    "accounts.User",
    "accounts.ApiToken",
    "projects.Chain",
    "projects.ChainLink",
    "projects.Project",
    "projects.StageEvent",
    "projects.StageCorrection",
    "projects.Engagement",
    "projects.MoneyEntry",
    "projects.Target",
    "core.CalendarYear",
    "core.CalendarDay",
    "core.Notification",
    "core.AuditEntry",
]


class RestoreError(Exception):
    pass


def _serialize(label: str) -> list[dict]:
    model = apps.get_model(label)
    return json.loads(
        serializers.serialize(
            "json", model._default_manager.order_by("pk"), use_natural_foreign_keys=True
        )
    )


def _digest(rows: list[dict]) -> str:
    return hashlib.sha256(json.dumps(rows, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def manifest() -> dict[str, dict]:
    """Row count and checksum of each model as the database holds it now."""
    result = {}
    for label in MODELS:
        rows = _serialize(label)
        result[label] = {"count": len(rows), "sha256": _digest(rows)}
    return result


def backup(path: Path) -> dict[str, dict]:
    data, summary = {}, {}
    with transaction.atomic():  # one consistent snapshot (REPEATABLE READ on PostgreSQL)
        for label in MODELS:
            rows = _serialize(label)
            data[label] = rows
            summary[label] = {"count": len(rows), "sha256": _digest(rows)}
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        json.dump({"format": FORMAT, "manifest": summary, "data": data}, fh, ensure_ascii=False)
    return summary


@transaction.atomic
def restore(path: Path) -> dict[str, dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        payload = json.load(fh)
    if payload.get("format") != FORMAT:
        raise RestoreError(f"{path} is not a Gaoxin backup ({payload.get('format')!r})")
    for label in reversed(MODELS):
        apps.get_model(label)._default_manager.all().delete()
    for label in MODELS:
        rows = payload["data"].get(label, [])
        for obj in serializers.deserialize(
            "json", json.dumps(rows), handle_forward_references=True
        ):
            obj.save()
    now = manifest()
    differing = [label for label in MODELS if now[label] != payload["manifest"][label]]
    if differing:
        raise RestoreError(f"restored data differs from the backup for: {', '.join(differing)}")
    return now
