"""Writes of the space module: buildings, units and leases, each checked and audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.core import audit
from gaoxin.core.locking import save_with_version
from gaoxin.core.models import AuditAction
from gaoxin.spaces.models import Building, BuildingKind, Lease, Unit

BUILDING_FIELDS = ("name", "kind", "address", "plot", "operator", "notes")
UNIT_FIELDS = (
    "number",
    "floor",
    "area_m2",
    "floor_load_kn_m2",
    "power_kva",
    "clear_height_m",
    "features",
    "is_active",
)


def _check_manager(by) -> None:
    if not by.has_perm("spaces.change_building"):
        raise PermissionDenied


@transaction.atomic
def building_create(*, by, data: dict[str, Any]) -> Building:
    _check_manager(by)
    building = Building(**{k: v for k, v in data.items() if k in BUILDING_FIELDS})
    if not (building.name or "").strip():
        raise ValidationError({"name": [_("Give the building's name.")]})
    if building.kind not in BuildingKind.values:
        raise ValidationError({"kind": [_("Unknown kind.")]})
    if Building.objects.filter(name=building.name.strip()).exists():
        raise ValidationError({"name": [_("A building with this name exists.")]})
    building.name = building.name.strip()
    building.save()
    audit.record(action=AuditAction.CREATE, obj=building, by=by, after=audit.snapshot(building))
    return building


def _check_unit(unit: Unit) -> None:
    errors: dict[str, list[str]] = {}
    if not (unit.number or "").strip():
        errors["number"] = [_("Give the unit's number.")]
    if unit.area_m2 is None or unit.area_m2 <= 0:
        errors["area_m2"] = [_("The area must be more than zero.")]
    for field in ("floor_load_kn_m2", "power_kva", "clear_height_m"):
        value = getattr(unit, field)
        if value is not None and value < 0:
            errors[field] = [_("Cannot be negative.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def unit_create(*, building: Building, by, data: dict[str, Any]) -> Unit:
    _check_manager(by)
    unit = Unit(building=building, **{k: v for k, v in data.items() if k in UNIT_FIELDS})
    _check_unit(unit)
    if Unit.objects.filter(building=building, number=unit.number.strip()).exists():
        raise ValidationError({"number": [_("This building has a unit with this number.")]})
    unit.number = unit.number.strip()
    unit.save()
    audit.record(action=AuditAction.CREATE, obj=unit, by=by, after=audit.snapshot(unit))
    return unit


def check_lease_power(by, obj) -> None:
    """Who may let or end a lease of this unit (or this lease): zone departments any; a talent
    commissioner only in a talent apartment (``spaces.rules``)."""
    if by.has_perm("spaces.change_lease", obj):
        return
    if by.has_perm("spaces.change_lease"):
        raise PermissionDenied(
            _("A talent commissioner lets and ends talent-apartment leases only.")
        )
    raise PermissionDenied(_("You may not let or end leases."))


def _overlapping(unit: Unit, starts_on: dt.date, ends_on: dt.date, exclude=None):
    """Leases of the unit that hold it on some day from ``starts_on`` to ``ends_on``."""
    leases = Lease.objects.filter(unit=unit, starts_on__lte=ends_on, ends_on__gte=starts_on)
    leases = leases.exclude(terminated_on__lt=starts_on)
    return leases.exclude(pk=exclude.pk) if exclude else leases


@transaction.atomic
def lease_create(
    *,
    unit: Unit,
    enterprise,
    starts_on: dt.date,
    ends_on: dt.date,
    rent_m2_month: Decimal,
    by,
    notes: str = "",
) -> Lease:
    """Let a unit to an enterprise. Two leases never hold a unit on the same day: the unit's
    row is locked while the overlap is checked."""
    unit = Unit.objects.select_for_update().select_related("building").get(pk=unit.pk)
    check_lease_power(by, unit)
    errors: dict[str, list[str]] = {}
    if not unit.is_active:
        errors["unit"] = [_("This unit is not offered.")]
    if ends_on < starts_on:
        errors["ends_on"] = [_("The end cannot come before the start.")]
    if rent_m2_month is None or rent_m2_month < 0:
        errors["rent_m2_month"] = [_("The rent cannot be negative.")]
    if errors:
        raise ValidationError(errors)
    clash = _overlapping(unit, starts_on, ends_on).select_related("enterprise").first()
    if clash:
        raise ValidationError(
            _("The unit is let to %(enterprise)s from %(start)s to %(end)s.")
            % {"enterprise": clash.enterprise, "start": clash.starts_on, "end": clash.last_day}
        )
    lease = Lease.objects.create(
        unit=unit,
        enterprise=enterprise,
        starts_on=starts_on,
        ends_on=ends_on,
        rent_m2_month=rent_m2_month,
        notes=notes.strip()[:200],
    )
    audit.record(action=AuditAction.CREATE, obj=lease, by=by, after=audit.snapshot(lease))
    return lease


@transaction.atomic
def lease_terminate(
    *, lease: Lease, on: dt.date, by, graduated: bool = False, expected_version: int
) -> Lease:
    """End a lease early (the last day it holds the unit); an incubator tenant may leave as
    a graduate (毕业)."""
    check_lease_power(by, lease)
    if lease.terminated_on is not None:
        raise ValidationError(_("This lease has ended already."))
    if not lease.starts_on <= on <= lease.ends_on:
        raise ValidationError(
            {
                "on": [
                    _("The last day must lie within the lease (%(start)s – %(end)s).")
                    % {"start": lease.starts_on, "end": lease.ends_on}
                ]
            }
        )
    if graduated and lease.unit.building.kind != BuildingKind.INCUBATOR:
        raise ValidationError({"graduated": [_("Only incubator tenants graduate.")]})
    before = audit.snapshot(lease)
    lease.terminated_on, lease.graduated = on, graduated
    save_with_version(
        lease, expected_version=expected_version, fields=["terminated_on", "graduated"]
    )
    audit.record(
        action=AuditAction.UPDATE, obj=lease, by=by, before=before, after=audit.snapshot(lease)
    )
    return lease
