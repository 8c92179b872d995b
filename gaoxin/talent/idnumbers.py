"""The resident ID number (居民身份证号码, GB 11643) in one place: its form, province code, birth
date and check digit, and how it is shown masked. Models, services, forms and the demo read the
rules here, so they are written once.

python-stdnum's own ``validate`` also looks the county up in a table that lacks many districts
(Rizhao's 371102 among them), so only its check digit is used.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import ric

# The mask itself lives with the encrypted field (core.crypto), which masks the number in audit
# snapshots; core sits below the domain apps, so talent re-uses it rather than the reverse.
from gaoxin.core.crypto import mask_id_number

__all__ = [
    "PROVINCE_CODES",
    "birth_date",
    "check_digit",
    "is_valid",
    "mask_id_number",
    "normalise_id_number",
]

# Province-level codes (GB/T 2260) that begin a resident ID number.
PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46}
    | {50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82}
)

FIRST_BIRTH_DATE = dt.date(1900, 1, 1)


def check_digit(first_17: str) -> str:
    """The 18th character (0–9 or X) that the first seventeen digits call for."""
    # python-stdnum expects the whole number and ignores its last character.
    return ric.calc_check_digit(first_17[:17] + "0")


def birth_date(text: str) -> dt.date | None:
    """The birth date written in characters 7–14, or None when it is no real date."""
    try:
        return dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return None


def _is_valid_upper(text: str) -> bool:
    if len(text) != 18 or not text[:17].isdigit() or not (text[17].isdigit() or text[17] == "X"):
        return False
    if int(text[:2]) not in PROVINCE_CODES:
        return False
    born = birth_date(text)
    if born is None or not FIRST_BIRTH_DATE <= born <= dt.date.today():
        return False
    return check_digit(text[:17]) == text[17]


def is_valid(value: str) -> bool:
    return _is_valid_upper((value or "").strip().upper())


def normalise_id_number(value: str) -> str:
    """The ID number checked — 18 characters, a province code, a real birth date (from 1900 to
    today) and the check digit — and written with a capital X; raises ValidationError (on the
    ``id_number`` field) otherwise."""
    text = (value or "").strip().upper()
    if not _is_valid_upper(text):
        raise ValidationError(
            {"id_number": [_("Not a valid resident ID number (check the digits).")]}
        )
    return text
