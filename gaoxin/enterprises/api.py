"""Enterprise register API: thin; schemas in and out, services and selectors do the work."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, FilterSchema, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from gaoxin.core import jobs
from gaoxin.core.api_forms import clean_with
from gaoxin.core.api_jobs import JobOut
from gaoxin.core.api_types import Id, IsoDate, Pagination, refuse_unknown_params
from gaoxin.core.crypto import mask_phone
from gaoxin.core.excel import XLSX, xlsx_response
from gaoxin.core.permissions import api_permission
from gaoxin.enterprises import importer, services
from gaoxin.enterprises.exports import register_workbook
from gaoxin.enterprises.forms import ContactForm, LiaisonForm, QualificationForm
from gaoxin.enterprises.models import (
    Cluster,
    Enterprise,
    EnterpriseContact,
    IndustryCode,
    Qualification,
)
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
    cluster: Id | None = None
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
    version: int = Field(
        ..., ge=1, le=2**31 - 1, description="The version you read; a stale one gets 409."
    )
    name: str | None = Field(None, min_length=1, max_length=200)
    uscc: str | None = Field(None, min_length=1, max_length=40)
    legal_representative: str | None = Field(None, max_length=50)
    industry: str | None = None
    cluster: Id | None = None
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
    cluster: Id | None = None
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
    # by alias: the answer schema reads industry_id, cluster_id and liaison_id again
    data = EnterpriseOut.from_orm(enterprise).dict(by_alias=True)
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


# --- the register's other page actions (issue 22): contacts, export, import, liaison,
# qualifications — the pages' forms and the same services, audited there ---------------------

XLSX_ANSWER = {
    "responses": {
        200: {
            "description": "The workbook (.xlsx)",
            "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


class ContactIn(Schema):
    name: str = Field(..., min_length=1, max_length=50)
    title: str = Field("", max_length=50)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    is_primary: bool = False


class LiaisonIn(Schema):
    liaison: Id | None = Field(None, description="a zone staff member; null removes the liaison")
    version: int | None = Field(
        None,
        ge=1,
        le=2**31 - 1,
        description="The version you read; a stale one gets 409 with the current.",
    )


class QualificationIn(Schema):
    type: Id = Field(description="the qualification type's id")
    certificate_number: str = Field("", max_length=60)
    valid_from: IsoDate
    valid_to: IsoDate | None = None


class QualificationOut(Schema):
    id: int
    enterprise: int = Field(..., alias="enterprise_id")
    type: int = Field(..., alias="type_id")
    type_name: str = Field(..., alias="type.name")
    certificate_number: str
    valid_from: dt.date
    valid_to: dt.date | None


@router.get(
    "/export",
    summary="Export the register as a workbook, the list's filters (导出企业名录)",
    openapi_extra=XLSX_ANSWER,
)
@api_permission("enterprises.export_enterprise")
def export_enterprises(request, filters: Query[EnterpriseFilters]):
    refuse_unknown_params(request, EnterpriseFilters)
    params = {k: v for k, v in filters.dict().items() if v is not None}
    _filterset, queryset = enterprise_list(user=request.auth, params=params)
    return xlsx_response(*register_workbook(queryset))


@router.post(
    "/import",
    response={202: JobOut},
    summary="Import the register workbook: starts a job (导入企业名录)",
)
@api_permission("enterprises.import_enterprise")
def import_enterprises(request, file: File[UploadedFile]):
    job = jobs.start_import(
        upload=file,
        kind="enterprises.import",
        runner="gaoxin.enterprises.importer.import_workbook",
        by=request.auth,
        missing=_("Choose the file to import."),
    )
    return Status(202, job)


@router.get(
    "/import/template",
    summary="The register's blank import template (企业名录导入模板)",
    openapi_extra=XLSX_ANSWER,
)
@api_permission("enterprises.import_enterprise")
def import_template(request):
    return xlsx_response("企业名录导入模板.xlsx", importer.template_workbook())


@router.post(
    "/{int:pk}/contacts",
    response={201: ContactOut},
    summary="Add a contact to an enterprise (添加联系人)",
)
@api_permission("enterprises.change_enterprise")
def add_contact(request, pk: int, payload: ContactIn):
    enterprise = enterprise_get(user=request.auth, pk=pk, action="change")
    data = clean_with(ContactForm, payload)
    return Status(201, services.contact_add(enterprise=enterprise, by=request.auth, data=data))


@router.delete(
    "/{int:pk}/contacts/{int:contact_pk}",
    response={204: None},
    summary="Remove an enterprise's contact (删除联系人)",
)
@api_permission("enterprises.change_enterprise")
def remove_contact(request, pk: int, contact_pk: int):
    enterprise = enterprise_get(user=request.auth, pk=pk, action="change")
    contact = get_object_or_404(EnterpriseContact, pk=contact_pk, enterprise=enterprise)
    services.contact_remove(contact=contact, by=request.auth)
    return Status(204, None)


@router.put(
    "/{int:pk}/liaison",
    response=EnterpriseDetailOut,
    summary="Assign the enterprise's liaison officer (指定包联干部)",
)
@api_permission("enterprises.assign_liaison")
def assign_liaison(request, pk: int, payload: LiaisonIn):
    enterprise = enterprise_get(user=request.auth, pk=pk)
    data = clean_with(LiaisonForm, {"liaison": payload.liaison})
    services.liaison_assign(
        enterprise=enterprise,
        liaison=data["liaison"],
        by=request.auth,
        expected_version=payload.version,
    )
    return _detail(enterprise)


@router.get(
    "/{int:pk}/qualifications",
    response=list[QualificationOut],
    summary="An enterprise's qualifications (企业资质)",
)
@api_permission("enterprises.view_qualification")
def list_qualifications(request, pk: int):
    enterprise = enterprise_get(user=request.auth, pk=pk)
    return enterprise.qualifications.select_related("type")


@router.post(
    "/{int:pk}/qualifications",
    response={201: QualificationOut},
    summary="Record a qualification an enterprise holds (登记资质)",
)
@api_permission("enterprises.change_qualification")
def add_qualification(request, pk: int, payload: QualificationIn):
    enterprise = enterprise_get(user=request.auth, pk=pk)
    data = clean_with(QualificationForm, payload)
    held = services.qualification_add(enterprise=enterprise, by=request.auth, **data)
    return Status(201, held)


@router.delete(
    "/{int:pk}/qualifications/{int:qualification_pk}",
    response={204: None},
    summary="Remove an enterprise's qualification (删除资质)",
)
@api_permission("enterprises.change_qualification")
def remove_qualification(request, pk: int, qualification_pk: int):
    enterprise = enterprise_get(user=request.auth, pk=pk)
    held = get_object_or_404(Qualification, pk=qualification_pk, enterprise=enterprise)
    services.qualification_remove(qualification=held, by=request.auth)
    return Status(204, None)
