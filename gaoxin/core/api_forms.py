"""The API checks what a client sends with the very form the page uses, so an operation
answers the same field errors (a 400 naming each field, in the user's language) as the page
shows next to its fields. The ninja schema states the types for the OpenAPI document; the
page's form keeps the rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from ninja import Schema

__all__ = ["clean_with", "form_value"]


def form_value(value: Any) -> Any:
    """A value as a browser would post it: text, a list of texts, or a checkbox's boolean."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, dt.date | Decimal | int | float):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if isinstance(value, list | tuple):
        return [form_value(v) for v in value]
    return value


def clean_with(form_class, payload: Schema | dict, *, rename: dict | None = None, **kwargs):
    """The form's cleaned data, or a ValidationError by field (the API's 400).

    ``rename`` maps a schema field to the form's field where the names differ."""
    data = payload.dict() if isinstance(payload, Schema) else dict(payload)
    for api_name, form_name in (rename or {}).items():
        data[form_name] = data.pop(api_name, None)
    form = form_class(data={k: form_value(v) for k, v in data.items()}, **kwargs)
    if not form.is_valid():
        back = {form_name: api_name for api_name, form_name in (rename or {}).items()}
        raise ValidationError(
            {back.get(field, field): errors for field, errors in form.errors.as_data().items()}
        )
    return form.cleaned_data
