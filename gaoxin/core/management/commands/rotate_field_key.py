"""Re-encrypt every encrypted field with the current key and algorithm, and recompute every
blind index with the current hash key (docs/operations.md, "Rotating the field keys").

Rotation: put the new key first in FIELD_ENCRYPTION_KEYS (and/or FIELD_HASH_KEYS), keep the
old ones after it, restart, run this command, then remove the old keys. Values already under
the current key are left alone, so the command may be stopped and run again. A value no
configured key opens stops the command with the model, row and field named; nothing of that
batch is written.
"""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.db.models.functions import Cast

from gaoxin.core import crypto
from gaoxin.core.fields import BlindIndexField, EncryptedCharField, SealedStr


def encrypted_models() -> list[tuple[type[models.Model], list[EncryptedCharField]]]:
    """Every model with encrypted fields, and those fields."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        fields = [f for f in model._meta.local_concrete_fields if isinstance(f, EncryptedCharField)]
        if fields:
            found.append((model, fields))
    return found


def _indexes(model) -> dict[str, BlindIndexField]:
    return {f.of: f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)}


def rotate_model(model, fields, *, batch_size: int = 500, dry_run: bool = False) -> dict:
    """Re-encrypt and re-index one model's rows; returns the counts."""
    indexes = _indexes(model)
    counts = {"rows": 0, "values": 0, "reencrypted": 0, "reindexed": 0}
    # The stored text itself (a Cast has no from_db_value), so a row that fails is named.
    raw = {f"raw_{f.name}": Cast(f.name, output_field=models.TextField()) for f in fields}
    index_names = [indexes[f.name].attname for f in fields if f.name in indexes]
    queryset = model._base_manager.annotate(**raw).order_by("pk")
    last = None
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        rows = list(page.values("pk", *raw, *index_names)[:batch_size])
        if not rows:
            return counts
        with transaction.atomic():
            for row in rows:
                counts["rows"] += 1
                changes = {}
                for field in fields:
                    stored = row[f"raw_{field.name}"]
                    if not stored:
                        continue
                    counts["values"] += 1
                    try:
                        plain = crypto.unseal(stored, context=field.context)
                    except crypto.FieldDecryptionError as error:
                        raise CommandError(f"{model._meta.label} #{row['pk']}: {error}") from None
                    if not crypto.is_current(stored):
                        sealed = crypto.seal(plain, context=field.context)
                        changes[field.attname] = SealedStr(plain, sealed, field.context)
                        counts["reencrypted"] += 1
                    index = indexes.get(field.name)
                    if index is not None:
                        digest = crypto.blind_index(plain, context=field.context)
                        if row[index.attname] != digest:
                            changes[index.attname] = digest
                            counts["reindexed"] += 1
                if changes and not dry_run:
                    # Not a business change: no audit entry, updated_at and version untouched.
                    model._base_manager.filter(pk=row["pk"]).update(**changes)
        last = rows[-1]["pk"]


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field (ID numbers, phones) with the first key of "
        "FIELD_ENCRYPTION_KEYS and the current algorithm, and recompute every lookup hash "
        "with the first key of FIELD_HASH_KEYS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would change; write nothing."
        )

    def handle(self, *args, batch_size: int, dry_run: bool, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        self.stdout.write(
            f"Algorithm {crypto.algorithm()}, encryption key {crypto.current_key_id()!r}, "
            f"hash key {crypto.current_hash_key_id()!r}{' (dry run)' if dry_run else ''}."
        )
        total = {"values": 0, "reencrypted": 0, "reindexed": 0}
        for model, fields in encrypted_models():
            counts = rotate_model(model, fields, batch_size=batch_size, dry_run=dry_run)
            for key in total:
                total[key] += counts[key]
            self.stdout.write(
                f"  {model._meta.label}: {counts['rows']} rows, {counts['values']} values, "
                f"{counts['reencrypted']} re-encrypted, {counts['reindexed']} re-indexed"
            )
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            self.style.SUCCESS(
                f"{total['values']} values read; {total['reencrypted']} {verb} re-encrypted, "
                f"{total['reindexed']} lookup hashes {verb} recomputed."
            )
        )
        if not dry_run:
            self.stdout.write(
                "Every value is now under the first keys; the older keys may be removed."
            )
