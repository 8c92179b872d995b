"""Government services in the API: the catalogue (read), cases, and the service desk
(windows, appointments, bundles, agency, ratings)."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, File, FilterSchema, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from gaoxin.affairs import services
from gaoxin.affairs.filters import ApplicationFilter, ServiceItemFilter
from gaoxin.affairs.models import (
    Application,
    ApplicationState,
    Appointment,
    AppointmentState,
    Authorization,
    Bundle,
    BundleCase,
    Material,
    Remediation,
    Review,
    ServiceItem,
    Slot,
    Window,
)
from gaoxin.core.api_types import IsoDate, Pagination, refuse_unknown_params
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
        return services.review_clock(obj).left

    @staticmethod
    def resolve_light(obj) -> str:
        return services.review_clock(obj).light


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
        return services.clock(obj).light

    @staticmethod
    def resolve_minutes_left(obj) -> int | None:
        return services.clock(obj).left

    @staticmethod
    def resolve_time_left(obj) -> str:
        return services.clock(obj).text

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
    enterprise: int | None = None
    item: int | None = None
    department: int | None = None
    window: int | None = None
    submitted_from: IsoDate | None = None
    submitted_to: IsoDate | None = None


class ApplicationIn(Schema):
    enterprise: int
    items: list[int] = Field(..., min_length=1, max_length=20)
    submit: bool = Field(
        False,
        description="Submit at once (the window, which has the papers in hand); online and "
        "agents' cases stay drafts until their materials are uploaded and they are submitted.",
    )


class SubmitIn(Schema):
    deficiency: list[int] = Field(
        default_factory=list,
        max_length=50,
        description="Waivable materials the applicant asks to bring later (容缺).",
    )


class AcceptIn(Schema):
    missing: list[int] = Field(default_factory=list, max_length=50)
    due_on: IsoDate | None = None
    signatory: str = Field("", max_length=50)


class DecisionIn(Schema):
    decision: str = Field(..., pattern="^(approved|rejected|supplement)$")
    reasons: str = ""


class SupplyIn(Schema):
    request: int | None = Field(None, description="One supplement request; all open ones if none.")
    note: str = Field("", max_length=500)


class CommitmentCheckIn(Schema):
    accept: bool
    reasons: str = Field("", max_length=2000)


def _applications(user):
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
    filterset = ApplicationFilter(params, queryset=_applications(request.auth))
    if not filterset.is_valid():
        raise ValidationError({name: list(errors) for name, errors in filterset.errors.items()})
    return filterset.qs


@router.get("/applications/{int:pk}", response=ApplicationOut, summary="An application")
@api_permission("affairs.view_application")
def get_application(request, pk: int):
    return get_object_or_404(_applications(request.auth), pk=pk)


@router.post(
    "/applications",
    response={201: ApplicationOut},
    summary="File an application (a draft; the window may submit at once)",
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
    if payload.submit:
        services.application_submit(application=application, by=user)
    return Status(201, _applications(user).get(pk=application.pk))


@router.post(
    "/applications/{int:pk}/materials",
    response={201: ApplicationOut},
    summary="Upload a file for one of the items' materials (multipart: material, file)",
)
@api_permission("affairs.supply_application")
def upload_material(request, pk: int, material: Form[int], file: File[UploadedFile]):
    application = get_object_or_404(_applications(request.auth), pk=pk)
    chosen = Material.objects.filter(pk=material).first()
    if chosen is None:
        raise ValidationError({"material": ["Not found."]})
    services.material_upload(application=application, upload=file, by=request.auth, material=chosen)
    return Status(201, _applications(request.auth).get(pk=pk))


@router.post("/applications/{int:pk}/submit", response=ApplicationOut, summary="Submit a draft")
@api_permission("affairs.submit_application")
def submit_application(request, pk: int, payload: SubmitIn):
    application = get_object_or_404(_applications(request.auth), pk=pk)
    deficiency = list(Material.objects.filter(pk__in=payload.deficiency))
    if len(deficiency) != len(set(payload.deficiency)):
        raise ValidationError({"deficiency": ["Not found."]})
    services.application_submit(application=application, by=request.auth, deficiency=deficiency)
    return _applications(request.auth).get(pk=pk)


@router.post("/applications/{int:pk}/accept", response=ApplicationOut, summary="Accept (受理)")
@api_permission("affairs.accept_application")
def accept_application(request, pk: int, payload: AcceptIn):
    application = get_object_or_404(_applications(request.auth), pk=pk)
    missing = list(Material.objects.filter(pk__in=payload.missing))
    if len(missing) != len(set(payload.missing)):
        raise ValidationError({"missing": ["Not found."]})
    services.application_accept(
        application=application,
        by=request.auth,
        missing=missing,
        due_on=payload.due_on,
        signatory=payload.signatory,
    )
    return _applications(request.auth).get(pk=pk)


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
    summary="Supplements supplied: the asking department's clock and the promise resume",
)
@api_permission("affairs.supply_application")
def supply(request, pk: int, payload: SupplyIn):
    application = get_object_or_404(_applications(request.auth), pk=pk)
    request_obj = None
    if payload.request is not None:
        request_obj = application.supplements.filter(pk=payload.request).first()
        if request_obj is None:
            raise ValidationError({"request": ["Not found."]})
    services.supplement_supply(
        application=application, by=request.auth, note=payload.note, request=request_obj
    )
    return _applications(request.auth).get(pk=pk)


@router.post(
    "/applications/{int:pk}/commitment/supply",
    response=ApplicationOut,
    summary="The committed (容缺) materials are handed in, for the window to check",
)
@api_permission("affairs.supply_application")
def commitment_supply(request, pk: int):
    application = get_object_or_404(_applications(request.auth), pk=pk)
    services.commitment_supply(application=application, by=request.auth)
    return _applications(request.auth).get(pk=pk)


@router.post(
    "/applications/{int:pk}/commitment/check",
    response=ApplicationOut,
    summary="The window accepts the committed materials or returns them with reasons",
)
@api_permission("affairs.accept_application")
def commitment_check(request, pk: int, payload: CommitmentCheckIn):
    application = get_object_or_404(_applications(request.auth), pk=pk)
    services.commitment_check(
        application=application, by=request.auth, accept=payload.accept, reasons=payload.reasons
    )
    return _applications(request.auth).get(pk=pk)


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


# --- the service desk -------------------------------------------------------------------------


class WindowOut(Schema):
    id: int
    number: str
    name: str
    department: int = Field(..., alias="department_id")
    location: str
    items: list[int]
    slot_minutes: int
    slot_capacity: int
    cancel_until_minutes: int

    @staticmethod
    def resolve_items(obj) -> list[int]:
        return [i.pk for i in obj.items.all()]


class SlotOut(Schema):
    id: int
    window: int = Field(..., alias="window_id")
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    booked: int
    off_hours: bool


@router.get("/windows", response=list[WindowOut], summary="Service windows")
@api_permission("affairs.view_window")
def list_windows(request):
    return Window.objects.filter(is_active=True).prefetch_related("items")


@router.get("/windows/{int:pk}/slots", response=list[SlotOut], summary="A window's slots on a day")
@api_permission("affairs.view_window")
def list_slots(request, pk: int, day: IsoDate):
    window = get_object_or_404(Window.objects.filter(is_active=True), pk=pk)
    return Slot.objects.filter(window=window, starts_at__date=day)


class AppointmentOut(Schema):
    id: int
    number: str
    slot: SlotOut
    enterprise: int = Field(..., alias="enterprise_id")
    item: int = Field(..., alias="item_id")
    booked_by: int = Field(..., alias="booked_by_id")
    authorization: int | None = Field(None, alias="authorization_id")
    state: str
    note: str


class AppointmentIn(Schema):
    slot: int
    enterprise: int
    item: int
    note: str = Field("", max_length=200)


class RescheduleIn(Schema):
    slot: int


def _appointments(user):
    return Appointment.objects.restrict(user).select_related("slot")


@router.get("/appointments", response=list[AppointmentOut], summary="Appointments (预约)")
@api_permission("affairs.view_appointment")
@paginate(Pagination, page_size=50)
def list_appointments(request, state: AppointmentState | None = None):
    queryset = _appointments(request.auth)
    return queryset.filter(state=state) if state else queryset


@router.post("/appointments", response={201: AppointmentOut}, summary="Book a place")
@api_permission("affairs.book_appointment")
def book(request, payload: AppointmentIn):
    from gaoxin.enterprises.models import Enterprise

    slot = get_object_or_404(Slot, pk=payload.slot)
    enterprise = get_object_or_404(Enterprise, pk=payload.enterprise)
    item = get_object_or_404(ServiceItem.objects.active(), pk=payload.item)
    appointment = services.appointment_book(
        slot=slot, enterprise=enterprise, item=item, by=request.auth, note=payload.note
    )
    return Status(201, _appointments(request.auth).get(pk=appointment.pk))


@router.post("/appointments/{int:pk}/cancel", response=AppointmentOut, summary="Cancel a booking")
@api_permission("affairs.view_appointment")
def cancel(request, pk: int):
    appointment = get_object_or_404(_appointments(request.auth), pk=pk)
    services.appointment_cancel(appointment=appointment, by=request.auth)
    return _appointments(request.auth).get(pk=pk)


@router.post(
    "/appointments/{int:pk}/reschedule",
    response=AppointmentOut,
    summary="Move a booking to another slot (the new booking is returned)",
)
@api_permission("affairs.view_appointment")
def reschedule(request, pk: int, payload: RescheduleIn):
    appointment = get_object_or_404(_appointments(request.auth), pk=pk)
    slot = get_object_or_404(Slot, pk=payload.slot)
    moved = services.appointment_reschedule(appointment=appointment, slot=slot, by=request.auth)
    return _appointments(request.auth).get(pk=moved.pk)


@router.post(
    "/appointments/{int:pk}/check-in", response=AppointmentOut, summary="Check in at the window"
)
@api_permission("affairs.manage_appointments")
def check_in(request, pk: int):
    appointment = get_object_or_404(_appointments(request.auth), pk=pk)
    services.appointment_check_in(appointment=appointment, by=request.auth)
    return _appointments(request.auth).get(pk=pk)


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
        return services.bundle_clock(obj)["used"]

    @staticmethod
    def resolve_within_promise(obj) -> bool:
        return services.bundle_clock(obj)["within"]

    @staticmethod
    def resolve_cases(obj) -> list[int]:
        return [a.pk for a in obj.cases.all()]


class BundleFileIn(Schema):
    enterprise: int


@router.get("/bundles", response=list[BundleOut], summary="Bundles (一件事)")
@api_permission("affairs.view_bundle")
def list_bundles(request):
    return Bundle.objects.filter(is_active=True).prefetch_related("steps__after")


@router.post("/bundles/{int:pk}/file", response={201: BundleCaseOut}, summary="File a bundle")
@api_permission("affairs.add_application")
def file_bundle(request, pk: int, payload: BundleFileIn):
    from gaoxin.enterprises.models import Enterprise

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


class AuthorizationOut(Schema):
    id: int
    number: str
    enterprise: int = Field(..., alias="enterprise_id")
    agent: int = Field(..., alias="agent_id")
    scope: str
    items: list[int]
    project: int | None = Field(None, alias="project_id")
    valid_from: dt.date
    valid_until: dt.date
    signatory: str
    revoked_at: dt.datetime | None

    @staticmethod
    def resolve_items(obj) -> list[int]:
        return [i.pk for i in obj.items.all()]


class AuthorizationIn(Schema):
    enterprise: int
    agent: int
    scope: str = Field(..., pattern="^(items|project)$")
    items: list[int] = Field(default_factory=list, max_length=300)
    project: int | None = None
    valid_from: IsoDate
    valid_until: IsoDate
    signatory: str = Field(..., max_length=50)


def _authorizations(user):
    return Authorization.objects.restrict(user).prefetch_related("items")


@router.get(
    "/authorizations", response=list[AuthorizationOut], summary="Agency authorisations (代办委托)"
)
@api_permission("affairs.view_authorization")
def list_authorizations(request):
    return _authorizations(request.auth)


@router.post("/authorizations", response={201: AuthorizationOut}, summary="Authorise an agent")
@api_permission("affairs.add_authorization")
def grant(request, payload: AuthorizationIn):
    from gaoxin.accounts.models import User
    from gaoxin.enterprises.models import Enterprise
    from gaoxin.projects.models import Project

    enterprise = get_object_or_404(Enterprise, pk=payload.enterprise)
    items = list(ServiceItem.objects.active().filter(pk__in=payload.items))
    if len(items) != len(set(payload.items)):
        raise ValidationError({"items": ["Not found."]})
    authorization = services.authorization_grant(
        enterprise=enterprise,
        agent=User.objects.filter(pk=payload.agent).first(),
        scope=payload.scope,
        items=items,
        project=Project.objects.filter(pk=payload.project).first() if payload.project else None,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
        signatory=payload.signatory,
        by=request.auth,
    )
    return Status(201, authorization)


@router.post("/authorizations/{int:pk}/revoke", response=AuthorizationOut, summary="Revoke")
@api_permission("affairs.view_authorization")
def revoke(request, pk: int):
    authorization = get_object_or_404(_authorizations(request.auth), pk=pk)
    return services.authorization_revoke(authorization=authorization, by=request.auth)


class RatingIn(Schema):
    level: int = Field(..., ge=1, le=5)
    reasons: str = Field("", max_length=2000)


class RemediationOut(Schema):
    id: int
    application: int
    level: int
    reasons: str
    department: int = Field(..., alias="department_id")
    due_on: dt.date
    reply: str
    replied_at: dt.datetime | None
    return_visit: str
    visited_at: dt.datetime | None

    @staticmethod
    def resolve_application(obj) -> int:
        return obj.rating.application_id

    @staticmethod
    def resolve_level(obj) -> int:
        return obj.rating.level

    @staticmethod
    def resolve_reasons(obj) -> str:
        return obj.rating.reasons


class RatingOut(Schema):
    application: int = Field(..., alias="application_id")
    level: int
    reasons: str
    defaulted: bool
    rated_at: dt.datetime
    remediation: int | None

    @staticmethod
    def resolve_remediation(obj) -> int | None:
        remediation = getattr(obj, "remediation", None)
        return remediation.pk if remediation else None


@router.post(
    "/applications/{int:pk}/rating",
    response={201: RatingOut},
    summary="Rate a closed case (好差评)",
)
@api_permission("affairs.rate_application")
def rate(request, pk: int, payload: RatingIn):
    application = get_object_or_404(_applications(request.auth), pk=pk)
    rating = services.rating_give(
        application=application, by=request.auth, level=payload.level, reasons=payload.reasons
    )
    return Status(201, rating)


class RemediationIn(Schema):
    text: str = Field(..., max_length=4000)


def _remediations(user):
    return Remediation.objects.restrict(user).select_related("rating")


@router.get("/remediations", response=list[RemediationOut], summary="Remediations of bad ratings")
@api_permission("affairs.view_remediation")
@paginate(Pagination, page_size=50)
def list_remediations(request):
    return _remediations(request.auth)


@router.post(
    "/remediations/{int:pk}/reply", response=RemediationOut, summary="The department's reply"
)
@api_permission("affairs.view_remediation")
def remediation_reply(request, pk: int, payload: RemediationIn):
    remediation = get_object_or_404(_remediations(request.auth), pk=pk)
    services.remediation_reply(remediation=remediation, by=request.auth, reply=payload.text)
    return _remediations(request.auth).get(pk=pk)


@router.post("/remediations/{int:pk}/visit", response=RemediationOut, summary="The return visit")
@api_permission("affairs.view_remediation")
def remediation_visit(request, pk: int, payload: RemediationIn):
    remediation = get_object_or_404(_remediations(request.auth), pk=pk)
    services.remediation_visit(remediation=remediation, by=request.auth, notes=payload.text)
    return _remediations(request.auth).get(pk=pk)
