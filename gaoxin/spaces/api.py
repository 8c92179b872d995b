"""Space in the API: buildings, occupancy as of a date, matching, leases (rent to staff)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from gaoxin.core.api_types import IsoDate
from gaoxin.core.permissions import api_permission
from gaoxin.spaces import selectors
from gaoxin.spaces.models import Building, BuildingKind, Lease

router = Router(tags=["space"])


class UnitOut(Schema):
    id: int
    number: str
    floor: int
    area_m2: Decimal
    floor_load_kn_m2: Decimal | None
    power_kva: int | None
    clear_height_m: Decimal | None
    features: str
    is_active: bool


class BuildingOut(Schema):
    id: int
    name: str
    kind: BuildingKind
    address: str
    plot: int | None = Field(None, alias="plot_id")
    units: list[UnitOut]

    @staticmethod
    def resolve_units(obj):
        return list(obj.units.all())


class OccupancyOut(Schema):
    kind: str
    units: int
    let_units: int
    vacant_units: int
    area_m2: Decimal
    let_area_m2: Decimal
    rate: float | None


class MatchIn(Schema):
    kind: BuildingKind
    area_m2: Decimal = Field(..., gt=0, max_digits=10, decimal_places=2)
    floor_load_kn_m2: Decimal | None = Field(None, ge=0, max_digits=6, decimal_places=1)
    power_kva: int | None = Field(None, ge=0, le=1_000_000)
    clear_height_m: Decimal | None = Field(None, ge=0, max_digits=5, decimal_places=2)
    features: str = Field("", max_length=100)
    on: IsoDate | None = None


class MatchOut(Schema):
    id: int
    building: str
    number: str
    area_m2: Decimal


class LeaseOut(Schema):
    id: int
    unit: int = Field(..., alias="unit_id")
    enterprise: int = Field(..., alias="enterprise_id")
    starts_on: dt.date
    ends_on: dt.date
    terminated_on: dt.date | None
    graduated: bool
    rent_m2_month: Decimal | None


@router.get("/buildings", response=list[BuildingOut], summary="Buildings and their units")
@api_permission("spaces.view_building")
def list_buildings(request):
    return Building.objects.prefetch_related("units")


@router.get("/occupancy", response=list[OccupancyOut], summary="Occupancy by kind on a date")
@api_permission("spaces.view_building")
def occupancy(request, on: IsoDate):
    return [
        OccupancyOut(
            kind=r.kind,
            units=r.units,
            let_units=r.let_units,
            vacant_units=r.vacant_units,
            area_m2=r.area,
            let_area_m2=r.let_area,
            rate=r.rate,
        )
        for r in selectors.occupancy(on)
    ]


@router.get("/match", response=list[MatchOut], summary="Vacant units that fit a need")
@api_permission("spaces.view_building")
def match(request, need: Query[MatchIn]):
    units = selectors.matching_units(
        selectors.Need(
            kind=need.kind,
            area_m2=need.area_m2,
            floor_load_kn_m2=need.floor_load_kn_m2,
            power_kva=need.power_kva,
            clear_height_m=need.clear_height_m,
            features=need.features,
        ),
        need.on or timezone.localdate(),
    )[:100]
    return [
        MatchOut(id=u.pk, building=u.building.name, number=u.number, area_m2=u.area_m2)
        for u in units
    ]


@router.get("/leases", response=list[LeaseOut], summary="Leases (the rent only to staff)")
@api_permission("spaces.view_lease")
def list_leases(request):
    show_rent = request.auth.has_perm("spaces.view_rent")
    leases = list(Lease.objects.restrict(request.auth)[:1000])
    for lease in leases:
        if not show_rent:
            lease.rent_m2_month = None
    return leases
