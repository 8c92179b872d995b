"""Writes of government services. This first part: keeping the catalogue."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.affairs.models import LimitUnit, Material, ServiceItem
from gaoxin.core import audit, workcalendar
from gaoxin.core.locking import save_with_version
from gaoxin.core.models import AuditAction

ITEM_FIELDS = (
    "code",
    "name",
    "department",
    "legal_limit_days",
    "promised_limit",
    "promised_unit",
    "fee",
    "fee_note",
    "one_go",
    "appointment_allowed",
    "online_allowed",
    "is_active",
    "notes",
)


def limit_minutes(amount: int, unit: str) -> int:
    """A limit in working minutes (a working day has the office hours' minutes)."""
    per_day = workcalendar.minutes_per_working_day()
    return (
        amount
        * {
            LimitUnit.WORKING_DAYS: per_day,
            LimitUnit.WORKING_HOURS: 60,
            LimitUnit.WORKING_MINUTES: 1,
        }[unit]
    )


def check_item(item: ServiceItem) -> None:
    errors: dict[str, list[str]] = {}
    if not item.code.strip():
        errors["code"] = [_("Give the item's code.")]
    if not item.name.strip():
        errors["name"] = [_("Give the item's name.")]
    if item.promised_unit not in LimitUnit.values:
        errors["promised_unit"] = [_("Unknown unit.")]
    elif (item.legal_limit_days or 0) < 1 or (item.promised_limit or 0) < 1:
        errors["promised_limit"] = [_("Limits are at least 1.")]
    elif limit_minutes(item.promised_limit, item.promised_unit) > limit_minutes(
        item.legal_limit_days, LimitUnit.WORKING_DAYS
    ):
        errors["promised_limit"] = [_("The promised limit cannot exceed the legal limit.")]
    if item.fee is not None and item.fee < 0:
        errors["fee"] = [_("The fee cannot be negative.")]
    if errors:
        raise ValidationError(errors)


def _materials(item: ServiceItem, materials: list[dict[str, Any]]) -> None:
    names = [m["name"].strip() for m in materials]
    if any(not n for n in names):
        raise ValidationError({"materials": [_("Every material needs a name.")]})
    if len(set(names)) != len(names):
        raise ValidationError({"materials": [_("A material is listed twice.")]})
    item.materials.all().delete()
    Material.objects.bulk_create(
        [
            Material(
                item=item,
                order=i,
                name=m["name"].strip()[:200],
                essential=bool(m.get("essential", True)),
                notes=(m.get("notes") or "")[:300],
            )
            for i, m in enumerate(materials, start=1)
        ]
    )


def _snapshot(item: ServiceItem) -> dict:
    data = audit.snapshot(item)
    data["reviewing_departments"] = sorted(d.pk for d in item.reviewing_departments.all())
    data["materials"] = [[m.name, m.essential] for m in item.materials.order_by("order")]
    return data


@transaction.atomic
def item_create(*, by, data: dict[str, Any], reviewing_departments=(), materials=()) -> ServiceItem:
    if not by.has_perm("affairs.change_serviceitem"):
        raise PermissionDenied
    item = ServiceItem(**{k: v for k, v in data.items() if k in ITEM_FIELDS})
    check_item(item)
    if ServiceItem.objects.filter(code=item.code).exists():
        raise ValidationError({"code": [_("An item with this code exists.")]})
    item.save()
    item.reviewing_departments.set(reviewing_departments)
    _materials(item, list(materials))
    audit.record(action=AuditAction.CREATE, obj=item, by=by, after=_snapshot(item))
    return item


@transaction.atomic
def item_update(
    *,
    item: ServiceItem,
    by,
    data: dict[str, Any],
    expected_version: int,
    reviewing_departments=None,
    materials=None,
) -> ServiceItem:
    if not by.has_perm("affairs.change_serviceitem"):
        raise PermissionDenied
    before = _snapshot(item)
    fields = [k for k in data if k in ITEM_FIELDS and k != "code"]
    for field in fields:
        setattr(item, field, data[field])
    check_item(item)
    save_with_version(item, expected_version=expected_version, fields=fields)
    if reviewing_departments is not None:
        item.reviewing_departments.set(reviewing_departments)
    if materials is not None:
        _materials(item, list(materials))
    after = _snapshot(item)
    if after != before:
        audit.record(action=AuditAction.UPDATE, obj=item, by=by, before=before, after=after)
    return item
