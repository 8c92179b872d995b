"""Leases in the API: the list (the rent only to staff), letting a unit and ending a lease
early — the same services, checks and audit entries as the unit's page."""

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from gaoxin.core.api_forms import clean_with
from gaoxin.core.api_types import Id, IsoDate
from gaoxin.core.permissions import api_permission
from gaoxin.spaces import services
from gaoxin.spaces.forms import LeaseEndForm, LeaseForm
from gaoxin.spaces.models import Lease, Unit

__all__ = ["router"]

router = Router(tags=["space"])


class LeaseOut(Schema):
    id: int
    unit: int = Field(..., alias="unit_id")
    enterprise: int = Field(..., alias="enterprise_id")
    starts_on: dt.date
    ends_on: dt.date
    terminated_on: dt.date | None
    graduated: bool
    rent_m2_month: Decimal | None = Field(
        None, description="Rent in CNY per m² per month; null for those who may not see rents"
    )
    version: int


class LeaseLetIn(Schema):
    enterprise: Id
    starts_on: IsoDate
    ends_on: IsoDate
    rent_m2_month: Decimal = Field(
        ..., description="Rent in CNY per m² per month", max_digits=8, decimal_places=2
    )
    notes: str = Field("", max_length=200)


class LeaseEndIn(Schema):
    on: IsoDate = Field(..., description="The last day the lease holds the unit")
    graduated: bool = Field(False, description="An incubator tenant leaves as a graduate (毕业)")
    version: int = Field(..., ge=0, le=2**31, description="The lease's version as read")


def _shown(request, lease: Lease) -> Lease:
    if not request.auth.has_perm("spaces.view_rent"):
        lease.rent_m2_month = None
    return lease


@router.get("/leases", response=list[LeaseOut], summary="Leases (the rent only to staff)")
@api_permission("spaces.view_lease")
def list_leases(request):
    return [_shown(request, lease) for lease in Lease.objects.restrict(request.auth)[:1000]]


@router.post(
    "/units/{int:pk}/leases",
    response={201: LeaseOut},
    summary="Let a unit to an enterprise (出租单元)",
)
@api_permission("spaces.change_lease")
def lease_let(request, pk: int, payload: LeaseLetIn):
    unit = get_object_or_404(Unit.objects.select_related("building"), pk=pk)
    services.check_lease_power(request.auth, unit)
    data = clean_with(LeaseForm, payload)
    lease = services.lease_create(
        unit=unit,
        enterprise=data["enterprise"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        rent_m2_month=data["rent_m2_month"],
        notes=data["notes"],
        by=request.auth,
    )
    return Status(201, _shown(request, lease))


@router.post(
    "/leases/{int:pk}/end",
    response=LeaseOut,
    summary="End a lease early, perhaps as a graduate (提前退租)",
)
@api_permission("spaces.change_lease")
def lease_end(request, pk: int, payload: LeaseEndIn):
    lease = get_object_or_404(Lease.objects.select_related("unit__building"), pk=pk)
    data = clean_with(LeaseEndForm, payload)
    lease = services.lease_terminate(
        lease=lease,
        on=data["on"],
        by=request.auth,
        graduated=data["graduated"],
        expected_version=payload.version,
    )
    return _shown(request, lease)
