"""Ids and numbers from a request's GET/POST, read so that a tampered value is "none given"
(a clear 404 or form error downstream), never a ValueError from the database layer (a 500)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gaoxin.core.workcalendar import FIRST_DAY, LAST_DAY

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


def date_or_none(value):
    """A date given as YYYY-MM-DD within the platform's range (1900–2999, as the work calendar
    and the API accept), or None — so date arithmetic downstream never overflows."""
    try:
        day = dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


def required_date(value):
    """A date the form needs: a clear error when it is missing or malformed."""
    day = date_or_none(value)
    if day is None:
        raise ValidationError(_("Give the date as YYYY-MM-DD."))
    return day


def required_decimal(value):
    """An amount the form needs: a clear error when it is missing or not a number."""
    try:
        amount = Decimal(str(value or "").strip())
    except InvalidOperation:
        raise ValidationError(_("Give the amount as a number.")) from None
    if not amount.is_finite():
        raise ValidationError(_("Give the amount as a number."))
    return amount
