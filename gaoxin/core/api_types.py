"""Types shared by the app routers: what the API accepts, stated once."""

import datetime as dt
import re
from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

from gaoxin.core.workcalendar import FIRST_DAY, LAST_DAY

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value):
    """Only YYYY-MM-DD between 1900 and 2999: no timestamps, no year 0."""
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date (YYYY-MM-DD), not a date and time")
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str) and _ISO_DATE.match(value):
        day = dt.date.fromisoformat(value)
    else:
        raise ValueError("expected a date as YYYY-MM-DD")
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError("the date must lie between 1900-01-01 and 2999-12-31")
    return day


IsoDate = Annotated[
    dt.date,
    BeforeValidator(_iso_date),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "pattern": r"^\d{4}-\d{2}-\d{2}$",
            "example": "2026-06-30",
        }
    ),
]


def _aware(value: dt.datetime) -> dt.datetime:
    """A time without an offset is the zone's local time, as a form on the page reads it."""
    if not FIRST_DAY <= value.date() <= LAST_DAY:
        raise ValueError("the time must lie between 1900 and 2999")
    return timezone.make_aware(value) if timezone.is_naive(value) else value


# A date and time (ISO 8601); without an offset it is taken as local time (Asia/Shanghai).
LocalDateTime = Annotated[dt.datetime, AfterValidator(_aware)]


# A record's id as a client may send it: a positive integer the database can hold, so a huge
# number is a 422 with its field named, not an overflow inside the database driver.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class Pagination(PageNumberPagination):
    """Page-number pagination with bounds, so an absurd page number is a 422, not an integer
    overflow in the database's OFFSET."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=500)


def refuse_unknown_params(request, *schemas: type[Schema]) -> None:
    """A list that silently ignored a misspelt filter would answer a different question than
    the one asked: any query parameter no schema names is a 400 naming it."""
    known = {"page", "page_size"}
    for schema in schemas:
        known |= {field.alias or name for name, field in schema.model_fields.items()}
    unknown = sorted(set(request.GET) - known)
    if unknown:
        raise ValidationError(
            {
                name: [_("Unknown filter; known: %(known)s.") % {"known": "、".join(sorted(known))}]
                for name in unknown
            }
        )


# An operation that answers a workbook (the exports): its 200 in the OpenAPI document.
XLSX_ANSWER = {
    "responses": {
        200: {
            "description": "The workbook (.xlsx)",
            "content": {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                    "schema": {"type": "string", "format": "binary"}
                }
            },
        },
    }
}
