"""The case page's remaining actions in the API: stopping the clock for an exclusion
(hearing, testing …) and resuming it, an approved extension, closing a decided case — and
the 容缺 commitments to follow up. Each through the page's form and the same service
(affairs.services), so the refusals, clocks and audit entries are the page's."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from gaoxin.affairs import services
from gaoxin.affairs.api.filing import ApplicationOut, applications
from gaoxin.affairs.forms import ExclusionEndForm, ExclusionForm, ExtensionForm
from gaoxin.affairs.models import Commitment, ExclusionKind
from gaoxin.core.api_forms import clean_with
from gaoxin.core.api_types import Id, IsoDate, Pagination, refuse_unknown_params
from gaoxin.core.permissions import api_permission

__all__ = ["router"]

router = Router(tags=["government services"])


class ExclusionIn(Schema):
    kind: ExclusionKind = Field(description="what the clock stops for")
    written_notice: str = Field(..., max_length=4000, description="the notice to the applicant")


class ExclusionEndIn(Schema):
    period: Id = Field(description="the open exclusion period")


class ExtensionIn(Schema):
    days: int = Field(..., ge=1, le=365, description="working days")
    reason: str = Field(..., max_length=4000)


class CommitmentFilters(FilterSchema):
    open: bool | None = Field(None, description="only commitments not yet fulfilled")
    due_before: IsoDate | None = Field(None, description="due on or before this day")


class CommitmentListOut(Schema):
    application: int = Field(..., alias="application_id")
    number: str
    enterprise: int
    materials: list[int] = Field(description="the materials promised (容缺)")
    due_on: dt.date
    signatory: str
    supplied_at: dt.datetime | None
    fulfilled_at: dt.datetime | None
    returned_reasons: str
    unmet_at: dt.datetime | None

    @staticmethod
    def resolve_number(obj) -> str:
        return obj.application.number

    @staticmethod
    def resolve_enterprise(obj) -> int:
        return obj.application.enterprise_id

    @staticmethod
    def resolve_materials(obj) -> list[int]:
        return [m.pk for m in obj.materials.all()]


def _case(request, pk: int):
    return get_object_or_404(applications(request.auth), pk=pk)


@router.post(
    "/applications/{int:pk}/exclusions",
    response=ApplicationOut,
    summary="Stop the clock for a hearing, testing … (特别程序：中止计时)",
)
@api_permission("affairs.view_application")
def exclusion_start(request, pk: int, payload: ExclusionIn):
    application = _case(request, pk)
    data = clean_with(ExclusionForm, payload)
    services.exclusion_start(
        application=application,
        by=request.auth,
        kind=data["kind"],
        written_notice=data["written_notice"],
    )
    return _case(request, pk)


@router.post(
    "/applications/{int:pk}/exclusions/end",
    response=ApplicationOut,
    summary="End an exclusion: the clock runs again (特别程序结束)",
)
@api_permission("affairs.view_application")
def exclusion_end(request, pk: int, payload: ExclusionEndIn):
    application = _case(request, pk)
    data = clean_with(ExclusionEndForm, payload, application=application)
    services.exclusion_end(period=data["period"], by=request.auth)
    return _case(request, pk)


@router.post(
    "/applications/{int:pk}/extend",
    response=ApplicationOut,
    summary="An approved extension of the legal limit (延期)",
)
@api_permission("affairs.view_application")
def extend(request, pk: int, payload: ExtensionIn):
    application = _case(request, pk)
    data = clean_with(ExtensionForm, payload)
    services.extension_grant(
        application=application, by=request.auth, days=data["days"], reason=data["reason"]
    )
    return _case(request, pk)


@router.post(
    "/applications/{int:pk}/close", response=ApplicationOut, summary="Close a decided case (办结)"
)
@api_permission("affairs.view_application")
def close(request, pk: int):
    application = _case(request, pk)
    services.application_close(application=application, by=request.auth)
    return _case(request, pk)


@router.get(
    "/commitments",
    response=list[CommitmentListOut],
    summary="容缺 commitments to follow up (容缺承诺)",
)
@api_permission("affairs.view_application")
@paginate(Pagination, page_size=100)
def list_commitments(request, filters: Query[CommitmentFilters]):
    refuse_unknown_params(request, CommitmentFilters)
    cases = applications(request.auth).filter(commitment__isnull=False)
    commitments = (
        services_commitments(cases)
        if filters.open is None
        else services_commitments(cases).filter(fulfilled_at__isnull=filters.open)
    )
    if filters.due_before:
        commitments = commitments.filter(due_on__lte=filters.due_before)
    return commitments


def services_commitments(cases):
    return (
        Commitment.objects.filter(application__in=cases)
        .select_related("application")
        .prefetch_related("materials")
        .order_by("due_on", "pk")
    )
