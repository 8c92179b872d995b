"""Enterprise register API: thin; schemas in and out, services and selectors do the work."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from gaoxin.core.api_types import IsoDate, Pagination
from gaoxin.core.crypto import mask_phone
from gaoxin.core.permissions import api_permission
from gaoxin.enterprises import services
from gaoxin.enterprises.models import Cluster, Enterprise, EnterpriseContact, IndustryCode
from gaoxin.enterprises.selectors import enterprise_get, enterprise_list

router = Router(tags=["enterprises"])


class ContactOut(Schema):
    id: int
    name: str
    title: str
    phone_masked: str
    email: str
    is_primary: bool

    @staticmethod
    def resolve_phone_masked(obj: EnterpriseContact) -> str:
        return mask_phone(obj.phone)


class EnterpriseOut(Schema):
    id: int
    name: str
    uscc: str
    legal_representative: str
    industry: str | None = Field(None, alias="industry_id")
    cluster: int | None = Field(None, alias="cluster_id")
    origin_region: str
    address: str
    registered_capital: Decimal | None
    established_on: IsoDate | None
    is_dishonest: bool
    notes: str
    size: str
    headcount: int | None
    land_mu: Decimal | None
    in_zone: bool | None
    liaison: int | None = Field(None, alias="liaison_id")
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class EnterpriseDetailOut(EnterpriseOut):
    contacts: list[ContactOut]


class EnterpriseIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    uscc: str = Field(..., min_length=1, max_length=40)
    legal_representative: str = Field("", max_length=50)
    industry: str | None = None
    cluster: int | None = None
    origin_region: str = Field("", max_length=100)
    address: str = Field("", max_length=200)
    registered_capital: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    established_on: IsoDate | None = None
    is_dishonest: bool = False
    notes: str = ""
    size: Literal["", "micro", "small", "medium", "large"] = ""
    headcount: int | None = Field(None, ge=0, le=10_000_000)
    land_mu: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    in_zone: bool | None = None


class EnterprisePatch(Schema):
    version: int = Field(..., ge=1, description="The version you read; a stale one gets 409.")
    name: str | None = Field(None, min_length=1, max_length=200)
    uscc: str | None = Field(None, min_length=1, max_length=40)
    legal_representative: str | None = Field(None, max_length=50)
    industry: str | None = None
    cluster: int | None = None
    origin_region: str | None = Field(None, max_length=100)
    address: str | None = Field(None, max_length=200)
    registered_capital: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    established_on: IsoDate | None = None
    is_dishonest: bool | None = None
    notes: str | None = None
    size: Literal["", "micro", "small", "medium", "large"] | None = None
    headcount: int | None = Field(None, ge=0, le=10_000_000)
    land_mu: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    in_zone: bool | None = None


class EnterpriseFilters(FilterSchema):
    q: str | None = None
    cluster: int | None = None
    section: str | None = None
    origin_region: str | None = None
    is_dishonest: bool | None = None
    ordering: str | None = None


class ClusterOut(Schema):
    id: int
    code: str
    name: str


def _resolve_refs(data: dict) -> dict:
    """Turn industry code / cluster id into objects, with field errors for unknown ones."""
    errors = {}
    if data.get("industry") == "":
        data["industry"] = None
    if data.get("industry"):
        industry = IndustryCode.objects.filter(
            code=data["industry"], level=IndustryCode.Level.DIVISION
        ).first()
        if industry is None:
            errors["industry"] = [_("Unknown GB/T 4754 division code.")]
        data["industry"] = industry
    if data.get("cluster") is not None:
        cluster = Cluster.objects.filter(pk=data["cluster"]).first()
        if cluster is None:
            errors["cluster"] = [_("Unknown industrial cluster.")]
        data["cluster"] = cluster
    if errors:
        raise ValidationError(errors)
    return data


@router.get("/", response=list[EnterpriseOut], summary="List enterprises")
@api_permission("enterprises.view_enterprise")
@paginate(Pagination, page_size=50)
def list_enterprises(request, filters: Query[EnterpriseFilters]):
    params = {k: v for k, v in filters.dict().items() if v is not None}
    _filterset, queryset = enterprise_list(user=request.auth, params=params)
    return queryset


@router.get("/clusters", response=list[ClusterOut], summary="List industrial clusters")
@api_permission("enterprises.view_cluster")
def list_clusters(request):
    return Cluster.objects.restrict(request.auth, "view").filter(is_active=True)


@router.get("/{int:pk}", response=EnterpriseDetailOut, summary="Get an enterprise")
@api_permission("enterprises.view_enterprise")
def get_enterprise(request, pk: int):
    enterprise = enterprise_get(user=request.auth, pk=pk)
    return _detail(enterprise)


def _detail(enterprise: Enterprise) -> dict:
    data = EnterpriseOut.from_orm(enterprise).dict()
    data["contacts"] = list(enterprise.contacts.all())
    return data


@router.post("/", response={201: EnterpriseDetailOut}, summary="Register an enterprise")
@api_permission("enterprises.add_enterprise")
def create_enterprise(request, payload: EnterpriseIn):
    data = _resolve_refs(payload.dict())
    enterprise = services.enterprise_create(by=request.auth, data=data)
    return Status(201, _detail(enterprise))


@router.patch(
    "/{int:pk}",
    response=EnterpriseDetailOut,
    summary="Change an enterprise",
    description="Send the `version` you read. If someone saved in between, the answer "
    "is 409 with the current record, and nothing is changed.",
)
@api_permission("enterprises.change_enterprise")
def update_enterprise(request, pk: int, payload: EnterprisePatch):
    enterprise = enterprise_get(user=request.auth, pk=pk, action="change")
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    data = _resolve_refs(data)
    services.enterprise_update(
        enterprise=enterprise, by=request.auth, data=data, expected_version=version
    )
    return _detail(enterprise)


@router.delete("/{int:pk}", response={204: None}, summary="Delete an enterprise")
@api_permission("enterprises.delete_enterprise")
def delete_enterprise(request, pk: int):
    enterprise = get_object_or_404(Enterprise.objects.restrict(request.auth, "delete"), pk=pk)
    services.enterprise_delete(enterprise=enterprise, by=request.auth)
    return Status(204, None)
