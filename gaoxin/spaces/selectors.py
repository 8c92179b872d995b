"""Reads of the space module: occupancy and vacancy as of a date, expiring leases, incubator
tenants and graduates, and the vacant units that fit a project's needs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Abs

from gaoxin.spaces.models import BuildingKind, Lease, Unit


def _held_on(day: dt.date):
    return Lease.objects.filter(unit=OuterRef("pk")).on(day)


@dataclass
class OccupancyRow:
    kind: str
    label: str
    units: int
    area: Decimal
    let_units: int
    let_area: Decimal

    @property
    def vacant_units(self) -> int:
        return self.units - self.let_units

    @property
    def vacant_area(self) -> Decimal:
        return self.area - self.let_area

    @property
    def rate(self):
        return round(float(100 * self.let_area / self.area), 1) if self.area else None


def occupancy(day: dt.date) -> list[OccupancyRow]:
    """Per building kind: units offered and their area, how many are let on ``day`` and the
    occupancy rate by area. One query."""
    rows = (
        Unit.objects.filter(is_active=True)
        .annotate(let=Exists(_held_on(day)))
        .values("building__kind")
        .annotate(
            units=Count("pk"),
            area=Sum("area_m2"),
            let_units=Count("pk", filter=Q(let=True)),
            let_area=Sum("area_m2", filter=Q(let=True)),
        )
    )
    found = {r["building__kind"]: r for r in rows}
    result = []
    for kind, label in BuildingKind.choices:
        r = found.get(kind)
        if r:
            result.append(
                OccupancyRow(
                    kind,
                    str(label),
                    r["units"],
                    r["area"] or Decimal(0),
                    r["let_units"],
                    r["let_area"] or Decimal(0),
                )
            )
    return result


def units_with_tenants(units, day: dt.date):
    """The units with ``current`` set to the lease holding each on ``day`` (or None)."""
    units = list(units)
    holding = {
        lease.unit_id: lease
        for lease in Lease.objects.on(day).filter(unit__in=units).select_related("enterprise")
    }
    for unit in units:
        unit.current = holding.get(unit.pk)
    return units


def expiring(day: dt.date, within_days: int = 90):
    """Leases that end within the coming days and have not been ended early."""
    return (
        Lease.objects.filter(
            ends_on__gte=day,
            ends_on__lte=day + dt.timedelta(days=within_days),
            terminated_on__isnull=True,
        )
        .select_related("unit__building", "enterprise")
        .order_by("ends_on")
    )


def incubator_tenants(building, day: dt.date):
    return (
        Lease.objects.on(day).filter(unit__building=building).select_related("enterprise", "unit")
    )


def graduates(building, start: dt.date, end: dt.date):
    return Lease.objects.filter(
        unit__building=building, graduated=True, terminated_on__range=(start, end)
    ).select_related("enterprise", "unit")


@dataclass
class Need:
    kind: str
    area_m2: Decimal
    floor_load_kn_m2: Decimal | None = None
    power_kva: int | None = None
    clear_height_m: Decimal | None = None
    features: str = ""


# A unit fits when it is at least the area asked for and not more than half as large again.
AREA_SLACK = Decimal("1.5")
# ... and nobody holds it from the day asked for through the coming months.
FREE_FOR_DAYS = 90


def matching_units(need: Need, day: dt.date):
    """Vacant units that fit the need, closest in area first."""
    free_until = day + dt.timedelta(days=FREE_FOR_DAYS)
    taken = Lease.objects.filter(
        unit=OuterRef("pk"), starts_on__lte=free_until, ends_on__gte=day
    ).exclude(terminated_on__lt=day)
    units = Unit.objects.filter(
        is_active=True,
        building__kind=need.kind,
        area_m2__gte=need.area_m2,
        area_m2__lte=need.area_m2 * AREA_SLACK,
    ).exclude(Exists(taken))
    if need.floor_load_kn_m2:
        units = units.filter(floor_load_kn_m2__gte=need.floor_load_kn_m2)
    if need.power_kva:
        units = units.filter(power_kva__gte=need.power_kva)
    if need.clear_height_m:
        units = units.filter(clear_height_m__gte=need.clear_height_m)
    for word in need.features.split():
        units = units.filter(features__icontains=word)
    return (
        units.select_related("building")
        .annotate(gap=Abs(F("area_m2") - need.area_m2))
        .order_by("gap", "building__name", "number")
    )
