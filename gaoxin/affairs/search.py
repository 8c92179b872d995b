"""Finding a service item the way applicants type: by name, code, department or the name's
pinyin (initials "qysl" or syllables "qiye") — a rule the models and the filters both use."""

from __future__ import annotations

import re

from pypinyin import lazy_pinyin

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def pinyin_key(name: str) -> str:
    """The name's pinyin initials, then its syllables run together: "企业设立登记" →
    "qysldj qiyeshelidengji". Letters and digits in the name stay as they are."""
    syllables = lazy_pinyin(name or "", errors=lambda chars: list(chars))
    initials = "".join(s[0] for s in syllables if s)
    return _NOT_WORD.sub("", initials.lower()) + " " + _NOT_WORD.sub("", "".join(syllables).lower())


def normalise_query(query: str) -> str:
    """What the applicant typed, as the search key is written (lower case, no spaces)."""
    return _NOT_WORD.sub("", (query or "").lower())
