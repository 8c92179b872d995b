"""An audit entry's changes as a reader sees them: the field's Chinese name, a choice's label, a
related record's name, a time in local time, 是/否 — never ``state: approved → closed``.

The entry keeps the raw values (the hash chain covers them); this only reads them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Entries that record what is not a field of the model (a second factor, a plot on the battle
# map, a plan laid out from a template …): their keys and the words services write as values.
EXTRA_LABELS = {
    "two_factor": gettext_lazy("Two-factor sign-in"),
    # Keys of records copied into another's entry (a payout batch keeps its clause as drawn).
    "document_number": gettext_lazy("document number"),
    "amount_rule": gettext_lazy("amount rule"),
    "deadline_certain": gettext_lazy("deadline certain"),
    "recovery_codes": gettext_lazy("Recovery codes"),
    "recovery_code": gettext_lazy("Recovery code"),
    "left": gettext_lazy("Left"),
    "password": gettext_lazy("Password"),
    "plot": gettext_lazy("Plot"),
    "participants": gettext_lazy("Participants"),
    "land_shares": gettext_lazy("Land shares"),
    "event": gettext_lazy("Stage event"),
    "voided": gettext_lazy("Voided record"),
    "reason": gettext_lazy("Reason"),
    "instalment": gettext_lazy("Instalment"),
    "paid_on": gettext_lazy("Paid on"),
    "plan_from_template": gettext_lazy("Plan laid out from the template"),
    "milestones": gettext_lazy("Milestones"),
    "visit_plan": gettext_lazy("Visit plan of the year"),
    "planned_visits": gettext_lazy("Planned visits"),
    "enterprises": gettext_lazy("Enterprises"),
    "version": gettext_lazy("Version"),
}
EXTRA_VALUES = {
    "enrolled": gettext_lazy("set up"),
    "none": gettext_lazy("not set up"),
    "reset by an administrator": gettext_lazy("reset by an administrator"),
    "demo authenticator": gettext_lazy("the demo authenticator"),
    "changed by the user": gettext_lazy("changed by the user"),
    "set by an administrator": gettext_lazy("set by an administrator"),
    "used": gettext_lazy("used"),
}

__all__ = ["field_label", "readable_changes", "readable_value"]


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        for field in model._meta.concrete_fields:
            if field.attname == name:
                return field
    return None


def field_label(model: type[models.Model] | None, name: str) -> str:
    field = _field(model, name)
    if field is None or not hasattr(field, "verbose_name"):
        return str(EXTRA_LABELS.get(name, name.replace("_", " ")))
    return str(capfirst(field.verbose_name))


def _local_time(value: str) -> str | None:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    if "T" not in value and " " not in value:
        return None  # a bare date reads as it is
    return moment.strftime("%Y-%m-%d %H:%M")


def readable_value(field: models.Field | None, value: Any, cache: dict | None = None) -> Any:
    if value is None or value == "" or value == []:
        return "—"
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if isinstance(value, str) and value in EXTRA_VALUES:
        return str(EXTRA_VALUES[value])
    if isinstance(value, dict):  # a record inside the entry: its fields by their names
        model = field.related_model if field is not None and field.is_relation else None
        return "；".join(
            f"{field_label(model, k)}：{readable_value(_field(model, k), v, cache)}"
            for k, v in value.items()
        )
    if isinstance(value, list):
        return "、".join(str(readable_value(None, v, cache)) for v in value)
    if field is not None:
        choices = getattr(field, "flatchoices", None)
        if choices:
            labels = {str(k): v for k, v in choices}
            if str(value) in labels:
                return str(labels[str(value)])
        if field.is_relation and field.many_to_one and field.related_model is not None:
            key = (field.related_model, value)
            if cache is not None and key in cache:
                return cache[key]
            related = field.related_model._base_manager.filter(pk=value).first()
            shown = str(related) if related is not None else f"#{value}"
            if cache is not None:
                cache[key] = shown
            return shown
    if isinstance(value, str) and len(value) >= 16 and value[4:5] == "-":
        local = _local_time(value)
        if local:
            return local
    return value


def readable_changes(entry, cache: dict | None = None) -> list[tuple[str, Any, Any]]:
    """(field's name, before, after) in the reader's words, for each changed field."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    rows = []
    for name, before, after in entry.changes:
        field = _field(model, name)
        rows.append(
            (
                field_label(model, name),
                readable_value(field, before, cache),
                readable_value(field, after, cache),
            )
        )
    return rows
