"""Readable numbers for records people quote (case GX20260000123, notice 督办〔2026〕0007号).

A readable number that counts up must not race: two people filing at once would read the same
"last number". The row's own primary key is unique without a lock, so the record is created with
a unique placeholder and numbered from its key in the same transaction.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models


def placeholder() -> str:
    """A unique stand-in for the number until the row has its key (fits a 20-character field)."""
    return uuid.uuid4().hex[:20]


def create_numbered(
    model: type[models.Model], *, pattern: str, field: str = "number", **values: Any
) -> models.Model:
    """Create a row of ``model`` and give it its readable number. ``pattern`` is a format string
    whose only field is the key, e.g. ``f"GX{year}{{pk:07d}}"`` → GX20260000123."""
    obj = model.objects.create(**{field: placeholder()}, **values)
    setattr(obj, field, pattern.format(pk=obj.pk))
    obj.save(update_fields=[field])
    return obj
