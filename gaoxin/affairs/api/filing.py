"""Filing a case in the API: the cases (with their clocks, reviews and commitment), a
new application, a material's file, the submission."""

import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, FilterSchema, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from gaoxin.affairs import clocks, services
from gaoxin.affairs.filters import ApplicationFilter
from gaoxin.affairs.models import Application, ApplicationState, Material, ServiceItem
from gaoxin.core.api_types import Id, IsoDate, Pagination, refuse_unknown_params
from gaoxin.core.permissions import api_permission
from gaoxin.enterprises.models import Enterprise

__all__ = [
    "ApplicationFilters",
    "ApplicationIn",
    "ApplicationOut",
    "CommitmentOut",
    "ReviewOut",
    "SubmitIn",
    "applications",
    "router",
]

router = Router(tags=["government services"])


class ReviewOut(Schema):
    id: int
    department: int = Field(..., alias="department_id")
    state: str
    deadline: dt.datetime
    paused: bool
    paused_minutes: int
    minutes_left: int | None
    light: str
    reasons: str

    @staticmethod
    def resolve_paused(obj) -> bool:
        return obj.paused_since is not None and obj.decided_at is None

    @staticmethod
    def resolve_minutes_left(obj) -> int | None:
        return clocks.review_clock(obj).left

    @staticmethod
    def resolve_light(obj) -> str:
        return clocks.review_clock(obj).light


class CommitmentOut(Schema):
    materials: list[int]
    due_on: dt.date
    signatory: str
    supplied_at: dt.datetime | None
    fulfilled_at: dt.datetime | None
    returned_reasons: str
    unmet_at: dt.datetime | None

    @staticmethod
    def resolve_materials(obj) -> list[int]:
        return [m.pk for m in obj.materials.all()]


class ApplicationOut(Schema):
    id: int
    number: str
    enterprise: int = Field(..., alias="enterprise_id")
    items: list[int]
    item_names: list[str]
    channel: str
    state: ApplicationState
    submitted_at: dt.datetime | None
    accepted_at: dt.datetime | None
    deadline: dt.datetime | None
    deadline_certain: bool
    paused: bool
    light: str
    minutes_left: int | None
    time_left: str
    window: int | None = Field(None, alias="window_id")
    materials_handed_in: list[int]
    deficiency_requested: list[int]
    commitment: CommitmentOut | None
    reviews: list[ReviewOut]
    version: int

    @staticmethod
    def resolve_items(obj) -> list[int]:
        return [i.pk for i in obj.items.all()]

    @staticmethod
    def resolve_item_names(obj) -> list[str]:
        return [i.name for i in obj.items.all()]

    @staticmethod
    def resolve_paused(obj) -> bool:
        return obj.paused_since is not None

    @staticmethod
    def resolve_light(obj) -> str:
        return clocks.clock(obj).light

    @staticmethod
    def resolve_minutes_left(obj) -> int | None:
        return clocks.clock(obj).left

    @staticmethod
    def resolve_time_left(obj) -> str:
        return clocks.clock(obj).text

    @staticmethod
    def resolve_materials_handed_in(obj) -> list[int]:
        return sorted({m.material_id for m in obj.case_materials.all()})

    @staticmethod
    def resolve_deficiency_requested(obj) -> list[int]:
        return [m.pk for m in obj.deficiency_requested.all()]

    @staticmethod
    def resolve_commitment(obj):
        return getattr(obj, "commitment", None)

    @staticmethod
    def resolve_reviews(obj):
        return list(obj.reviews.all())


class ApplicationFilters(FilterSchema):
    q: str | None = None
    state: ApplicationState | None = None
    enterprise: Id | None = None
    item: Id | None = None
    department: Id | None = None
    window: Id | None = None
    submitted_from: IsoDate | None = None
    submitted_to: IsoDate | None = None
    in_progress: bool | None = Field(None, description="handed in and not yet decided")
    unrated: bool | None = Field(None, description="closed and not yet rated (好差评)")
    commitment: Literal["due", "to_check"] | None = Field(
        None, description="容缺: commitments due within three days, or materials to check"
    )


class ApplicationIn(Schema):
    enterprise: Id
    items: list[Id] = Field(..., min_length=1, max_length=20)
    submit: bool = Field(
        False,
        description="Submit at once (the window, which has the papers in hand); online and "
        "agents' cases stay drafts until their materials are uploaded and they are submitted.",
    )


class SubmitIn(Schema):
    deficiency: list[Id] = Field(
        default_factory=list,
        max_length=50,
        description="Waivable materials the applicant asks to bring later (容缺).",
    )


def applications(user):
    return (
        Application.objects.restrict(user)
        .select_related("extension", "commitment", "authorization")
        .prefetch_related(
            "items",
            "reviews",
            "case_materials",
            "deficiency_requested",
            "commitment__materials",
        )
    )


@router.get("/applications", response=list[ApplicationOut], summary="Applications (办件)")
@api_permission("affairs.view_application")
@paginate(Pagination, page_size=50)
def list_applications(request, filters: Query[ApplicationFilters]):
    refuse_unknown_params(request, ApplicationFilters)
    params = {k: v for k, v in filters.dict().items() if v is not None}
    filterset = ApplicationFilter(params, queryset=applications(request.auth))
    if not filterset.is_valid():
        raise ValidationError({name: list(errors) for name, errors in filterset.errors.items()})
    return filterset.qs


@router.get("/applications/{int:pk}", response=ApplicationOut, summary="An application")
@api_permission("affairs.view_application")
def get_application(request, pk: int):
    return get_object_or_404(applications(request.auth), pk=pk)


@router.post(
    "/applications",
    response={201: ApplicationOut},
    summary="File an application (a draft; the window may submit at once)",
)
@api_permission("affairs.add_application")
@transaction.atomic  # a draft that cannot be submitted at once is not left behind
def file_application(request, payload: ApplicationIn):
    enterprise = Enterprise.objects.filter(pk=payload.enterprise).first()
    if enterprise is None:
        raise ValidationError({"enterprise": [_("Not found.")]})
    items = list(ServiceItem.objects.active().filter(pk__in=payload.items))
    if len(items) != len(set(payload.items)):
        raise ValidationError({"items": [_("Not found.")]})
    user = request.auth
    application = services.application_create(
        enterprise=enterprise,
        items=items,
        by=user,
        channel="online" if user.role == "enterprise" else "window",
    )
    if payload.submit:
        services.application_submit(application=application, by=user)
    return Status(201, applications(user).get(pk=application.pk))


@router.post(
    "/applications/{int:pk}/materials",
    response={201: ApplicationOut},
    summary="Upload a file for one of the items' materials (multipart: material, file)",
)
@api_permission("affairs.supply_application")
def upload_material(request, pk: int, material: Form[Id], file: File[UploadedFile]):
    application = get_object_or_404(applications(request.auth), pk=pk)
    chosen = Material.objects.filter(pk=material).first()
    if chosen is None:
        raise ValidationError({"material": [_("Not found.")]})
    services.material_upload(application=application, upload=file, by=request.auth, material=chosen)
    return Status(201, applications(request.auth).get(pk=pk))


@router.post("/applications/{int:pk}/submit", response=ApplicationOut, summary="Submit a draft")
@api_permission("affairs.submit_application")
def submit_application(request, pk: int, payload: SubmitIn):
    application = get_object_or_404(applications(request.auth), pk=pk)
    deficiency = list(Material.objects.filter(pk__in=payload.deficiency))
    if len(deficiency) != len(set(payload.deficiency)):
        raise ValidationError({"deficiency": [_("Not found.")]})
    services.application_submit(application=application, by=request.auth, deficiency=deficiency)
    return applications(request.auth).get(pk=pk)
