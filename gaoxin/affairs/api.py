"""The service catalogue in the API (read; the catalogue is kept on the pages and by import)."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from gaoxin.affairs import services
from gaoxin.affairs.filters import ServiceItemFilter
from gaoxin.affairs.models import (
    Application,
    ApplicationState,
    Material,
    Review,
    ServiceItem,
)
from gaoxin.core.api_types import IsoDate, Pagination
from gaoxin.core.permissions import api_permission

router = Router(tags=["government services"])


class MaterialOut(Schema):
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
    department: int | None = None
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


# --- applications -------------------------------------------------------------------------


class ReviewOut(Schema):
    id: int
    department: int = Field(..., alias="department_id")
    state: str
    deadline: dt.datetime
    reasons: str


class ApplicationOut(Schema):
    id: int
    number: str
    enterprise: int = Field(..., alias="enterprise_id")
    items: list[int]
    channel: str
    state: ApplicationState
    submitted_at: dt.datetime | None
    accepted_at: dt.datetime | None
    deadline: dt.datetime | None
    deadline_certain: bool
    paused: bool
    light: str
    minutes_left: int | None
    reviews: list[ReviewOut]
    version: int

    @staticmethod
    def resolve_items(obj) -> list[int]:
        return [i.pk for i in obj.items.all()]

    @staticmethod
    def resolve_paused(obj) -> bool:
        return obj.paused_since is not None

    @staticmethod
    def resolve_light(obj) -> str:
        return services.clock(obj)["light"]

    @staticmethod
    def resolve_minutes_left(obj) -> int | None:
        return services.clock(obj)["left"]

    @staticmethod
    def resolve_reviews(obj):
        return list(obj.reviews.all())


class ApplicationIn(Schema):
    enterprise: int
    items: list[int] = Field(..., min_length=1, max_length=20)


class AcceptIn(Schema):
    missing: list[int] = Field(default_factory=list, max_length=50)
    due_on: IsoDate | None = None
    signatory: str = Field("", max_length=50)


class DecisionIn(Schema):
    decision: str = Field(..., pattern="^(approved|rejected|supplement)$")
    reasons: str = ""


def _applications(user):
    return Application.objects.restrict(user).prefetch_related("items", "reviews")


@router.get("/applications", response=list[ApplicationOut], summary="Applications (办件)")
@api_permission("affairs.view_application")
@paginate(Pagination, page_size=50)
def list_applications(request, state: ApplicationState | None = None):
    queryset = _applications(request.auth)
    return queryset.filter(state=state) if state else queryset


@router.get("/applications/{int:pk}", response=ApplicationOut, summary="An application")
@api_permission("affairs.view_application")
def get_application(request, pk: int):
    return get_object_or_404(_applications(request.auth), pk=pk)


@router.post(
    "/applications", response={201: ApplicationOut}, summary="File and submit an application"
)
@api_permission("affairs.add_application")
def file_application(request, payload: ApplicationIn):
    from gaoxin.enterprises.models import Enterprise

    enterprise = Enterprise.objects.filter(pk=payload.enterprise).first()
    if enterprise is None:
        raise ValidationError({"enterprise": ["Not found."]})
    items = list(ServiceItem.objects.active().filter(pk__in=payload.items))
    if len(items) != len(set(payload.items)):
        raise ValidationError({"items": ["Not found."]})
    user = request.auth
    application = services.application_create(
        enterprise=enterprise,
        items=items,
        by=user,
        channel="online" if user.role == "enterprise" else "window",
    )
    return Status(201, services.application_submit(application=application, by=user))


@router.post("/applications/{int:pk}/accept", response=ApplicationOut, summary="Accept (受理)")
@api_permission("affairs.accept_application")
def accept_application(request, pk: int, payload: AcceptIn):
    application = get_object_or_404(_applications(request.auth), pk=pk)
    missing = list(Material.objects.filter(pk__in=payload.missing))
    if len(missing) != len(set(payload.missing)):
        raise ValidationError({"missing": ["Not found."]})
    return services.application_accept(
        application=application,
        by=request.auth,
        missing=missing,
        due_on=payload.due_on,
        signatory=payload.signatory,
    )


@router.post(
    "/applications/{int:pk}/reviews/{int:review_pk}",
    response=ApplicationOut,
    summary="A department's decision in the parallel review",
)
@api_permission("affairs.view_application")
def decide_review(request, pk: int, review_pk: int, payload: DecisionIn):
    application = get_object_or_404(_applications(request.auth), pk=pk)
    review = get_object_or_404(Review.objects.filter(application=application), pk=review_pk)
    services.review_decide(
        review=review, by=request.auth, decision=payload.decision, reasons=payload.reasons
    )
    return _applications(request.auth).get(pk=pk)


@router.post(
    "/applications/{int:pk}/supply",
    response=ApplicationOut,
    summary="Supplements supplied: the clock resumes",
)
@api_permission("affairs.supply_application")
def supply(request, pk: int):
    application = get_object_or_404(_applications(request.auth), pk=pk)
    return services.supplement_supply(application=application, by=request.auth)


class IntakeNoticeIn(Schema):
    what: str = Field(..., max_length=4000)


class RefusalIn(Schema):
    reasons: str = Field(..., max_length=4000)


@router.post(
    "/applications/{int:pk}/intake-supplement",
    response=ApplicationOut,
    summary="The window's supplement notice before acceptance (一次性告知)",
)
@api_permission("affairs.accept_application")
def intake_supplement(request, pk: int, payload: IntakeNoticeIn):
    application = get_object_or_404(_applications(request.auth), pk=pk)
    services.intake_supplement_request(application=application, by=request.auth, what=payload.what)
    return _applications(request.auth).get(pk=pk)


@router.post(
    "/applications/{int:pk}/refuse", response=ApplicationOut, summary="Refuse to accept (不予受理)"
)
@api_permission("affairs.accept_application")
def refuse(request, pk: int, payload: RefusalIn):
    application = get_object_or_404(_applications(request.auth), pk=pk)
    return services.application_refuse(
        application=application, by=request.auth, reasons=payload.reasons
    )
