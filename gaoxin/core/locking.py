"""Optimistic locking: a save names the version it was based on; a stale save is refused.

The check and the write are one conditional UPDATE (``... WHERE version = n``), so two
concurrent saves cannot both succeed on SQLite or PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.core.fields import blind_index_values


class ConflictError(Exception):
    """Someone else saved the record since the editor loaded it."""

    message = _(
        "This record was changed by someone else after you opened it. "
        "Review the current values below and apply your change again."
    )

    def __init__(self, current: models.Model):
        super().__init__(str(self.message))
        self.current = current


def save_with_version(obj: models.Model, *, expected_version: int, fields: Iterable[str]) -> None:
    """Write ``fields`` of ``obj`` only if the stored version is still ``expected_version``."""
    model = type(obj)
    fields = list(fields)
    values = {}
    for name in fields:
        field = obj._meta.get_field(name)
        values[field.attname] = getattr(obj, field.attname)
    values.update(blind_index_values(obj, fields))  # an encrypted value's lookup hash with it
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        values["updated_at"] = timezone.now()
    updated = model._default_manager.filter(pk=obj.pk, version=expected_version).update(
        **values, version=expected_version + 1
    )
    if updated != 1:
        raise ConflictError(model._default_manager.get(pk=obj.pk))
    obj.version = expected_version + 1
    if "updated_at" in values:
        obj.updated_at = values["updated_at"]
