"""Bundles (一件事) in the API: the bundles offered, filing one, the runs against their
promise."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from gaoxin.affairs import clocks, services
from gaoxin.affairs.models import Bundle, BundleCase
from gaoxin.core.api_types import Id, Pagination
from gaoxin.core.permissions import api_permission
from gaoxin.enterprises.models import Enterprise

__all__ = [
    "BundleCaseOut",
    "BundleFileIn",
    "BundleOut",
    "BundleStepOut",
    "router",
]

router = Router(tags=["government services"])


class BundleStepOut(Schema):
    order: int
    item: int = Field(..., alias="item_id")
    after: list[int]

    @staticmethod
    def resolve_after(obj) -> list[int]:
        return [s.order for s in obj.after.all()]


class BundleOut(Schema):
    id: int
    code: str
    name: str
    promised_limit: int
    promised_unit: str
    steps: list[BundleStepOut]

    @staticmethod
    def resolve_steps(obj):
        return list(obj.steps.all())


class BundleCaseOut(Schema):
    id: int
    number: str
    bundle: int = Field(..., alias="bundle_id")
    enterprise: int = Field(..., alias="enterprise_id")
    state: str
    submitted_at: dt.datetime
    deadline: dt.datetime
    finished_at: dt.datetime | None
    working_minutes_used: int
    within_promise: bool
    cases: list[int]

    @staticmethod
    def resolve_working_minutes_used(obj) -> int:
        return clocks.bundle_clock(obj)["used"]

    @staticmethod
    def resolve_within_promise(obj) -> bool:
        return clocks.bundle_clock(obj)["within"]

    @staticmethod
    def resolve_cases(obj) -> list[int]:
        return [a.pk for a in obj.cases.all()]


class BundleFileIn(Schema):
    enterprise: Id


@router.get("/bundles", response=list[BundleOut], summary="Bundles (一件事)")
@api_permission("affairs.view_bundle")
def list_bundles(request):
    return Bundle.objects.filter(is_active=True).prefetch_related("steps__after")


@router.post("/bundles/{int:pk}/file", response={201: BundleCaseOut}, summary="File a bundle")
@api_permission("affairs.add_application")
def file_bundle(request, pk: int, payload: BundleFileIn):

    bundle = get_object_or_404(Bundle.objects.filter(is_active=True), pk=pk)
    enterprise = get_object_or_404(Enterprise, pk=payload.enterprise)
    run = services.bundle_file(bundle=bundle, enterprise=enterprise, by=request.auth)
    return Status(201, run)


@router.get("/bundle-cases", response=list[BundleCaseOut], summary="Bundle runs")
@api_permission("affairs.view_bundlecase")
@paginate(Pagination, page_size=50)
def list_bundle_cases(request):
    return BundleCase.objects.restrict(request.auth).prefetch_related("cases")


@router.get("/bundle-cases/{int:pk}", response=BundleCaseOut, summary="A bundle run")
@api_permission("affairs.view_bundlecase")
def get_bundle_case(request, pk: int):
    return get_object_or_404(BundleCase.objects.restrict(request.auth), pk=pk)
