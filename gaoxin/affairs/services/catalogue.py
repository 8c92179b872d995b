"""The catalogue of service items (事项): an item's fields and limits, its materials (each
with its blank form), kept by the window or the item's department; every change audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.affairs.clocks import limit_minutes
from gaoxin.affairs.models import LimitUnit, Material, ServiceItem
from gaoxin.affairs.search import pinyin_key
from gaoxin.core import audit
from gaoxin.core.attachments import attach, attachments_of, detach
from gaoxin.core.locking import save_with_version
from gaoxin.core.models import AuditAction

__all__ = ["ITEM_FIELDS", "check_item", "item_create", "item_update", "material_template_attach"]

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
    """Set the item's materials in the order given. A material keeps its row (and so its blank
    form and the commitments that name it) while its name stays; one named in a case's
    commitment cannot be removed."""
    names = [(m.get("name") or "").strip()[:200] for m in materials]
    if any(not n for n in names):
        raise ValidationError({"materials": [_("Every material needs a name.")]})
    if len(set(names)) != len(names):
        raise ValidationError({"materials": [_("A material is listed twice.")]})
    existing = {m.name: m for m in item.materials.all()}
    removed = [m for name, m in existing.items() if name not in names]
    held = [m.name for m in removed if m.commitment_set.exists()]
    if held:
        raise ValidationError(
            {
                "materials": [
                    _("%(names)s is named in a case's commitment and cannot be removed.")
                    % {"names": "、".join(held)}
                ]
            }
        )
    Material.objects.filter(pk__in=[m.pk for m in removed]).delete()
    # Orders are unique per item: move the kept rows out of the way before renumbering.
    kept = [existing[n] for n in names if n in existing]
    for material in kept:
        material.order += 10000
    Material.objects.bulk_update(kept, ["order"])
    for order, (name, data) in enumerate(zip(names, materials, strict=True), start=1):
        material = existing.get(name) or Material(item=item, name=name)
        material.order = order
        material.essential = bool(data.get("essential", True))
        material.notes = (data.get("notes") or "")[:300]
        material.save()


def _snapshot(item: ServiceItem) -> dict:
    data = audit.snapshot(item)
    data["reviewing_departments"] = sorted(d.pk for d in item.reviewing_departments.all())
    data["materials"] = [[m.name, m.essential] for m in item.materials.order_by("order")]
    return data


@transaction.atomic
def item_create(*, by, data: dict[str, Any], reviewing_departments=(), materials=()) -> ServiceItem:
    item = ServiceItem(**{k: v for k, v in data.items() if k in ITEM_FIELDS})
    if not by.has_perm("affairs.change_serviceitem") or (
        item.department_id and not by.has_perm("affairs.change_serviceitem", item)
    ):
        raise PermissionDenied
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
    if not by.has_perm("affairs.change_serviceitem", item):
        raise PermissionDenied
    before = _snapshot(item)
    fields = [k for k in data if k in ITEM_FIELDS and k != "code"]
    for field in fields:
        setattr(item, field, data[field])
    if "name" in fields:
        item.search_key = pinyin_key(item.name)
        fields.append("search_key")
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


@transaction.atomic
def material_template_attach(*, material, upload, by):
    """Put the blank form (模板) of a material beside it in the catalogue; a new file
    replaces the old one."""
    if not by.has_perm("affairs.change_serviceitem", material.item):
        raise PermissionDenied
    for old in attachments_of(material):
        detach(attachment=old, by=by)
    return attach(obj=material, upload=upload, by=by, description=material.name)
