"""The catalogue in the API (read): service items with their materials."""

from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from gaoxin.affairs.filters import ServiceItemFilter
from gaoxin.affairs.models import ServiceItem
from gaoxin.core.api_types import Id, Pagination
from gaoxin.core.permissions import api_permission

__all__ = [
    "ItemFilters",
    "MaterialOut",
    "ServiceItemOut",
    "router",
]

router = Router(tags=["government services"])


class MaterialOut(Schema):
    id: int = Field(..., description="the material to upload a file for")
    order: int
    name: str
    essential: bool
    notes: str


class ServiceItemOut(Schema):
    id: int
    code: str
    name: str
    department: int = Field(..., alias="department_id")
    legal_limit_days: int
    promised_limit: int
    promised_unit: str
    fee: Decimal
    one_go: bool
    appointment_allowed: bool
    online_allowed: bool
    is_active: bool
    reviewing_departments: list[int]
    materials: list[MaterialOut]

    @staticmethod
    def resolve_reviewing_departments(obj) -> list[int]:
        return [d.pk for d in obj.reviewing_departments.all()]

    @staticmethod
    def resolve_materials(obj):
        return list(obj.materials.all())


class ItemFilters(FilterSchema):
    q: str | None = None
    department: Id | None = None
    one_go: bool | None = None
    online_allowed: bool | None = None
    appointment_allowed: bool | None = None


def _items(user):
    items = ServiceItem.objects.restrict(user).prefetch_related(
        "reviewing_departments", "materials"
    )
    return items if user.has_perm("affairs.change_serviceitem") else items.active()


@router.get("/items", response=list[ServiceItemOut], summary="The catalogue of service items")
@api_permission("affairs.view_serviceitem")
@paginate(Pagination, page_size=100)
def list_items(request, filters: Query[ItemFilters]):
    params = {k: v for k, v in filters.dict().items() if v is not None}
    return ServiceItemFilter(params, queryset=_items(request.auth)).qs


@router.get("/items/{int:pk}", response=ServiceItemOut, summary="A service item")
@api_permission("affairs.view_serviceitem")
def get_item(request, pk: int):
    return get_object_or_404(_items(request.auth), pk=pk)
