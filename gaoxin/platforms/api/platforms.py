"""Innovation platforms in the API: the list, registering a platform, and its technology
transfer deals — the same services, checks and audit entries as the pages."""

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from gaoxin.core.api_forms import clean_with
from gaoxin.core.api_types import Id, IsoDate
from gaoxin.core.permissions import api_permission
from gaoxin.platforms import services
from gaoxin.platforms.forms import DealForm, PlatformForm
from gaoxin.platforms.models import Platform, PlatformKind

__all__ = ["router"]

router = Router(tags=["platforms and events"])


class PlatformOut(Schema):
    id: int
    name: str
    kind: str
    partners: str
    opened_on: dt.date | None
    enterprises_served: list[int]

    @staticmethod
    def resolve_enterprises_served(obj) -> list[int]:
        return [e.pk for e in obj.enterprises_served.all()]


class PlatformIn(Schema):
    name: str = Field(..., max_length=150)
    kind: PlatformKind
    partners: str = Field("", max_length=300)
    opened_on: IsoDate | None = None
    services: str = Field("", max_length=2000)


class DealIn(Schema):
    title: str = Field(..., max_length=200, description="The technology transferred")
    enterprise: Id
    amount: Decimal = Field(
        ..., description="Amount in 万元 (10k CNY)", max_digits=12, decimal_places=2
    )
    signed_on: IsoDate


class DealOut(Schema):
    id: int
    platform: int = Field(..., alias="platform_id")
    enterprise: int = Field(..., alias="enterprise_id")
    title: str
    amount: Decimal = Field(..., description="Amount in 万元 (10k CNY)")
    signed_on: dt.date


@router.get("/", response=list[PlatformOut], summary="Innovation platforms")
@api_permission("platforms.view_platform")
def list_platforms(request):
    return Platform.objects.prefetch_related("enterprises_served")


@router.post("/", response={201: PlatformOut}, summary="Register a platform (登记平台)")
@api_permission("platforms.change_platform")
def platform_create(request, payload: PlatformIn):
    platform = services.platform_create(by=request.auth, data=clean_with(PlatformForm, payload))
    return Status(201, platform)


@router.post(
    "/{int:pk}/deals",
    response={201: DealOut},
    summary="Record a technology transfer deal (登记技术转移交易)",
)
@api_permission("platforms.change_platform")
def deal_record(request, pk: int, payload: DealIn):
    platform = get_object_or_404(Platform, pk=pk)
    deal = services.deal_record(platform=platform, by=request.auth, **clean_with(DealForm, payload))
    return Status(201, deal)
