"""A count on a home page that opens its list (a tile), and the helpers the desks share."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

__all__ = ["Tile", "link"]


@dataclass(frozen=True)
class Tile:
    """One figure of a desk: what it counts, how many, the list it opens, and its tone
    ("danger" when something is late, "warning" when it is near, "" otherwise)."""

    key: str
    label: str
    value: int
    url: str
    tone: str = ""


def link(url_name: str, *args, **query) -> str:
    """The address of a list, with its filters as a query string (empty values left out)."""
    url = reverse(url_name, args=args)
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{url}?{urlencode(query, doseq=True)}" if query else url
