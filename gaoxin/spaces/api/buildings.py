"""Space in the API: buildings and their units (registering them), occupancy as of a date,
matching a need to vacant units."""

from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from gaoxin.core.api_forms import clean_with
from gaoxin.core.api_types import Id, IsoDate
from gaoxin.core.permissions import api_permission
from gaoxin.spaces import selectors, services
from gaoxin.spaces.forms import BuildingForm, UnitForm
from gaoxin.spaces.models import Building, BuildingKind

__all__ = ["router"]

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


class BuildingIn(Schema):
    name: str = Field(..., max_length=100)
    kind: BuildingKind
    address: str = Field("", max_length=200)
    plot: Id | None = Field(None, description="The plot (地块) it stands on, if any")
    operator: str = Field("", max_length=100)
    notes: str = Field("", max_length=2000)


class UnitIn(Schema):
    number: str = Field(..., max_length=20)
    floor: int = Field(1, ge=-10, le=200)
    area_m2: Decimal = Field(..., description="Area in m²", max_digits=10, decimal_places=2)
    floor_load_kn_m2: Decimal | None = Field(
        None, description="Floor load in kN/m²", max_digits=6, decimal_places=1
    )
    power_kva: int | None = Field(None, ge=0, le=1_000_000, description="Power in kVA")
    clear_height_m: Decimal | None = Field(
        None, description="Clear height in m", max_digits=5, decimal_places=2
    )
    features: str = Field("", max_length=200)


@router.post(
    "/buildings",
    response={201: BuildingOut},
    summary="Register a building (登记楼宇)",
)
@api_permission("spaces.change_building")
def building_create(request, payload: BuildingIn):
    data = clean_with(BuildingForm, payload)
    building = services.building_create(by=request.auth, data=data)
    return Status(201, building)


@router.post(
    "/buildings/{int:pk}/units",
    response={201: UnitOut},
    summary="Add a unit to a building (新增单元)",
)
@api_permission("spaces.change_building")
def unit_create(request, pk: int, payload: UnitIn):
    building = get_object_or_404(Building, pk=pk)
    data = clean_with(UnitForm, payload)
    unit = services.unit_create(building=building, by=request.auth, data=data)
    return Status(201, unit)
