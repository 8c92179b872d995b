"""Ids and numbers from a request's GET/POST, read so that a tampered value is "none given"
(a clear 404 or form error downstream), never a ValueError from the database layer (a 500)."""

from __future__ import annotations

# Larger than any id yet small enough for every database's integer column.
_MAX_ID = 2**63 - 1


def int_or_none(value) -> int | None:
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if number <= _MAX_ID else None


def int_list(values) -> list[int]:
    return [n for n in (int_or_none(v) for v in values) if n is not None]
