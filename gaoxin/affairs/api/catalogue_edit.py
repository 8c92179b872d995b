"""Keeping the catalogue by hand in the API: an item with its reviewing departments and its
materials registered, or replaced with the version read (a stale version is a 409 with the
item as it is now) — the item page's form and the same services (affairs.services
item_create / item_update), audited with the materials.

The operations join the catalogue's own router (GET and these writes share their paths)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Schema, Status

from gaoxin.affairs import services
from gaoxin.affairs.api.catalogue import ServiceItemOut, _items, router
from gaoxin.affairs.forms import MaterialForm, ServiceItemForm
from gaoxin.affairs.models import LimitUnit
from gaoxin.core.api_forms import clean_with
from gaoxin.core.api_types import Id
from gaoxin.core.permissions import api_permission

__all__ = ["router"]


class ItemMaterialIn(Schema):
    name: str = Field(..., max_length=200)
    essential: bool = True
    notes: str = Field("", max_length=300)


class ServiceItemIn(Schema):
    code: str = Field(..., max_length=40, description="kept as is when an item is replaced")
    name: str = Field(..., max_length=200)
    department: Id
    legal_limit_days: int = Field(..., ge=0, le=1000, description="working days")
    promised_limit: int = Field(..., ge=0, le=1000, description="in promised_unit")
    promised_unit: LimitUnit = LimitUnit.WORKING_DAYS
    fee: Decimal = Field(Decimal(0), description="CNY", max_digits=10, decimal_places=2)
    fee_note: str = Field("", max_length=200)
    one_go: bool = True
    appointment_allowed: bool = True
    online_allowed: bool = True
    is_active: bool = Field(True, description="published")
    notes: str = Field("", max_length=4000)
    unmet_commitment_terminates: bool = False
    reviewing_departments: list[Id] = Field([], max_length=30)
    materials: list[ItemMaterialIn] = Field([], max_length=60, description="in order")


class ServiceItemReplaceIn(ServiceItemIn):
    version: int = Field(..., ge=0, le=2**31 - 1, description="the item's version as read")


def _cleaned(payload: ServiceItemIn, user, item=None):
    data = clean_with(
        ServiceItemForm,
        payload.dict(exclude={"materials", "version"}),
        user=user,
        instance=item,
    )
    materials = []
    for number, row in enumerate(payload.materials, start=1):
        try:
            materials.append(clean_with(MaterialForm, row))
        except ValidationError as error:
            raise ValidationError(
                {"materials": [f"{number}: {m}" for m in error.messages]}
            ) from error
    fields = {k: v for k, v in data.items() if k in services.ITEM_FIELDS}
    fields["unmet_commitment_terminates"] = data["unmet_commitment_terminates"]
    return fields, data["reviewing_departments"], materials


@router.post("/items", response={201: ServiceItemOut}, summary="Add a service item (新增事项)")
@api_permission("affairs.change_serviceitem")
def item_create(request, payload: ServiceItemIn):
    data, departments, materials = _cleaned(payload, request.auth)
    item = services.item_create(
        by=request.auth, data=data, reviewing_departments=departments, materials=materials
    )
    return Status(201, _items(request.auth).get(pk=item.pk))


@router.put(
    "/items/{int:pk}",
    response=ServiceItemOut,
    summary="Replace a service item with its materials (修改事项)",
)
@api_permission("affairs.change_serviceitem")
def item_update(request, pk: int, payload: ServiceItemReplaceIn):
    item = get_object_or_404(_items(request.auth), pk=pk)
    data, departments, materials = _cleaned(payload, request.auth, item)
    services.item_update(
        item=item,
        by=request.auth,
        data=data,
        expected_version=payload.version,
        reviewing_departments=departments,
        materials=materials,
    )
    return _items(request.auth).get(pk=pk)
