"""投产达效 in the API: agreements with each promise's state, amendments, the zone's promises
recorded as kept; the per-mu evaluation's rules, drafts, publication, results and land shares."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from gaoxin.core.api_types import Id, IsoDate, refuse_unknown_params
from gaoxin.core.excel import XLSX, xlsx_response
from gaoxin.core.permissions import api_permission
from gaoxin.delivery import exports, selectors, services
from gaoxin.delivery.models import (
    AgreementTerm,
    EvaluationYear,
    Figure,
    Klass,
    LandShare,
    TermKind,
    TermStatus,
)
from gaoxin.enterprises.models import Enterprise
from gaoxin.projects.models import Project
from gaoxin.spaces.models import Lease

router = Router(tags=["delivery"])
Money = Field(..., ge=0, max_digits=14, decimal_places=2)
XLSX_ANSWER = {
    "responses": {
        200: {
            "description": "The workbook (.xlsx)",
            "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


# --- agreements ----------------------------------------------------------------------------


class TermIn(Schema):
    kind: TermKind
    due_on: IsoDate
    target: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    depends_on: TermKind | None = None
    note: str = Field("", max_length=300)


class VersionIn(Schema):
    signed_on: IsoDate
    total_investment: Decimal = Money
    fixed_asset_investment: Decimal = Money
    land_area_mu: Decimal = Field(..., gt=0, max_digits=10, decimal_places=2)
    breach_clauses: str = Field("", max_length=5000)
    plots: list[Id] = Field(default_factory=list, max_length=50)
    leases: list[Id] = Field(default_factory=list, max_length=50)
    terms: list[TermIn] = Field(..., min_length=1, max_length=len(TermKind.values))


class AgreementIn(VersionIn):
    project: Id
    number: str = Field(..., min_length=1, max_length=50)
    title: str = Field(..., min_length=1, max_length=200)


class AmendIn(VersionIn):
    version: int = Field(
        ..., ge=1, le=2**31 - 1, description="The agreement's version you read (locking)."
    )
    reason: str = Field(..., min_length=1, max_length=300)


class FulfilIn(Schema):
    on: IsoDate
    note: str = Field("", max_length=300)


class TermOut(Schema):
    id: int
    kind: TermKind
    due_on: dt.date
    due: dt.date = Field(..., description="Effective date: a working day, after any excuse.")
    certain: bool
    excused_days: int
    target: Decimal | None
    actual: str | None
    gap: str | None
    status: TermStatus
    light: str
    reason: str
    missing: list[str]
    zones: bool
    depends_on: TermKind | None
    fulfilled_on: dt.date | None


class AgreementOut(Schema):
    id: int
    number: str
    title: str
    project: int
    project_name: str
    enterprise: int | None
    current_version: int
    version: int
    signed_on: dt.date
    total_investment: Decimal
    fixed_asset_investment: Decimal
    land_area_mu: Decimal
    status: TermStatus
    light: str
    zone_status: TermStatus
    terms: list[TermOut]


class AgreementFilters(Schema):
    on: IsoDate | None = None
    q: str = Field("", max_length=100)
    status: TermStatus | None = None
    project: int | None = Field(None, ge=1, le=2**31 - 1)


def _term_out(state) -> TermOut:
    term = state.term
    return TermOut(
        id=term.pk,
        kind=term.kind,
        due_on=term.due_on,
        due=state.due,
        certain=state.certain,
        excused_days=state.excused_days,
        target=term.target,
        actual=None if state.actual is None else str(state.actual),
        gap=None if state.gap is None else str(state.gap),
        status=state.status,
        light=state.light,
        reason=str(state.reason),
        missing=state.missing,
        zones=term.is_zones,
        depends_on=term.depends_on.kind if term.depends_on_id else None,
        fulfilled_on=term.fulfilled_on,
    )


def _agreement_out(item) -> AgreementOut:
    a, v = item.agreement, item.version
    return AgreementOut(
        id=a.pk,
        number=a.number,
        title=a.title,
        project=a.project_id,
        project_name=a.project.name,
        enterprise=a.project.enterprise_id,
        current_version=a.current_version,
        version=a.version,
        signed_on=v.signed_on,
        total_investment=v.total_investment,
        fixed_asset_investment=v.fixed_asset_investment,
        land_area_mu=v.land_area_mu,
        status=item.status,
        light=item.light,
        zone_status=item.zone_status,
        terms=[_term_out(s) for s in item.states],
    )


def _version_args(payload: VersionIn, user) -> dict:
    plot_model = LandShare._meta.get_field("plot").related_model
    plots = list(plot_model.objects.filter(pk__in=payload.plots))
    leases = list(Lease.objects.restrict(user).filter(pk__in=payload.leases))
    if len(plots) != len(set(payload.plots)) or len(leases) != len(set(payload.leases)):
        raise ValidationError({"plots": [_("Unknown plot or lease.")]})
    return {
        "version": payload.dict(
            include={
                "signed_on",
                "total_investment",
                "fixed_asset_investment",
                "land_area_mu",
                "breach_clauses",
            }
        ),
        "terms": [t.dict() | {"depends_on": t.depends_on or ""} for t in payload.terms],
        "plots": plots,
        "leases": leases,
    }


@router.get("/agreements", response=list[AgreementOut], summary="The 履约 list with lights")
@api_permission("delivery.view_agreement")
def list_agreements(request, filters: Query[AgreementFilters]):
    refuse_unknown_params(request, AgreementFilters)
    items = selectors.watched(
        request.auth,
        filters.on or timezone.localdate(),
        q=filters.q,
        status=filters.status or "",
        project=filters.project,
    )
    return [_agreement_out(i) for i in items[:1000]]


@router.get(
    "/agreements/export",
    summary="The 履约 list as a workbook, the list's filters (导出履约清单)",
    openapi_extra=XLSX_ANSWER,
)
@api_permission("delivery.view_agreement")
def export_agreements(request, filters: Query[AgreementFilters]):
    refuse_unknown_params(request, AgreementFilters)
    day = filters.on or timezone.localdate()
    items = selectors.watched(
        request.auth, day, q=filters.q, status=filters.status or "", project=filters.project
    )
    return xlsx_response(*exports.agreements_workbook(items, day))


def _one(request, pk: int, day: dt.date | None = None):
    agreement = get_object_or_404(selectors.agreements(request.auth), pk=pk)
    return selectors.watch_one(agreement, day or timezone.localdate())


@router.get("/agreements/{int:pk}", response=AgreementOut, summary="One agreement's promises")
@api_permission("delivery.view_agreement")
def get_agreement(request, pk: int, on: IsoDate | None = None):
    return _agreement_out(_one(request, pk, on))


@router.post("/agreements", response={201: AgreementOut}, summary="Record a signed agreement")
@api_permission("delivery.change_agreement")
def create_agreement(request, payload: AgreementIn):
    project = get_object_or_404(Project.objects.restrict(request.auth), pk=payload.project)
    agreement = services.agreement_create(
        project=project,
        number=payload.number,
        title=payload.title,
        by=request.auth,
        **_version_args(payload, request.auth),
    )
    return Status(201, _agreement_out(_one(request, agreement.pk)))


@router.post(
    "/agreements/{int:pk}/amend", response={201: AgreementOut}, summary="Amend (a new version)"
)
@api_permission("delivery.change_agreement")
def amend_agreement(request, pk: int, payload: AmendIn):
    agreement = get_object_or_404(selectors.agreements(request.auth), pk=pk)
    services.agreement_amend(
        agreement=agreement,
        expected_version=payload.version,
        reason=payload.reason,
        by=request.auth,
        **_version_args(payload, request.auth),
    )
    return Status(201, _agreement_out(_one(request, pk)))


@router.post(
    "/terms/{int:pk}/fulfil",
    response=AgreementOut,
    summary="Record the day a promise of the zone (or the construction's completion) was kept",
)
@api_permission("delivery.change_agreement")
def fulfil_term(request, pk: int, payload: FulfilIn):
    term = get_object_or_404(
        AgreementTerm.objects.restrict(request.auth).select_related("version"), pk=pk
    )
    services.term_fulfil(term=term, on=payload.on, note=payload.note, by=request.auth)
    return _agreement_out(_one(request, term.version.agreement_id))


# --- the per-mu evaluation -----------------------------------------------------------------


class IndicatorIO(Schema):
    code: str = Field(..., min_length=1, max_length=30, pattern=r"^[A-Za-z0-9_]+$")
    name: str = Field(..., min_length=1, max_length=60)
    numerator: Figure
    denominator: Figure
    scale: Decimal = Field(Decimal(1), gt=0, max_digits=8, decimal_places=2)
    unit: str = Field("", max_length=20)
    weight: Decimal = Field(..., gt=0, le=100, max_digits=5, decimal_places=2)
    benchmark: Decimal = Field(..., gt=0, max_digits=14, decimal_places=4)


class YearIn(Schema):
    cut_a: Decimal = Field(..., ge=0, max_digits=6, decimal_places=2)
    cut_b: Decimal = Field(..., ge=0, max_digits=6, decimal_places=2)
    cut_c: Decimal = Field(..., ge=0, max_digits=6, decimal_places=2)
    cap: Decimal = Field(Decimal(2), ge=1, le=10, max_digits=4, decimal_places=2)
    min_years: int = Field(2, ge=0, le=10)
    source: str = Field("", max_length=5000)
    indicators: list[IndicatorIO] = Field(..., min_length=1, max_length=30)
    version: int | None = Field(None, ge=1, le=2**31 - 1)


class YearOut(Schema):
    year: int
    version: int
    cut_a: Decimal
    cut_b: Decimal
    cut_c: Decimal
    cap: Decimal
    min_years: int
    source: str
    indicators: list[IndicatorIO]

    @staticmethod
    def resolve_indicators(obj):
        return list(obj.indicators.all())


class EvaluationOut(Schema):
    id: int
    year: int
    number: int
    status: str
    reason: str
    corrects: int | None = Field(None, alias="corrects_id")
    computed_at: dt.datetime | None
    published_at: dt.datetime | None
    frozen_at: dt.datetime | None
    classes: dict[str, int]

    @staticmethod
    def resolve_classes(obj):
        return selectors.distribution(obj)


class ComputeIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    reason: str = Field("", max_length=300)


class ScoreOut(Schema):
    enterprise: int = Field(..., alias="enterprise_id")
    enterprise_name: str = Field(..., alias="enterprise.name")
    klass: Klass
    score: Decimal | None
    land_mu: Decimal | None
    figures: dict
    values: list[dict]
    missing: list[str]


class ScoreFilters(Schema):
    klass: Klass | None = None
    q: str = Field("", max_length=100)


class SharesIn(Schema):
    shares: dict[int, Decimal] = Field(..., max_length=50)


class ShareOut(Schema):
    enterprise: int = Field(..., alias="enterprise_id")
    percent: Decimal


def _year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise Http404
    return year


@router.get("/evaluation/years/{int:year}", response=YearOut, summary="A year's indicators")
@api_permission("delivery.view_evaluation")
def get_year(request, year: int):
    return get_object_or_404(EvaluationYear, year=_year(year))


@router.put("/evaluation/years/{int:year}", response=YearOut, summary="Set a year's indicators")
@api_permission("delivery.change_evaluationyear")
def set_year(request, year: int, payload: YearIn):
    return services.evaluation_year_set(
        year=_year(year),
        cut_a=payload.cut_a,
        cut_b=payload.cut_b,
        cut_c=payload.cut_c,
        cap=payload.cap,
        min_years=payload.min_years,
        source=payload.source,
        indicators=[i.dict() for i in payload.indicators],
        expected_version=payload.version,
        by=request.auth,
    )


@router.get("/evaluations", response=list[EvaluationOut], summary="Evaluations by year")
@api_permission("delivery.view_evaluation")
def list_evaluations(request):
    return list(selectors.evaluations(request.auth)[:200])


@router.post(
    "/evaluations/compute",
    response={201: EvaluationOut},
    summary="Compute the year's draft (after publication: a correction, with its reason)",
)
@api_permission("delivery.change_evaluation")
def compute(request, payload: ComputeIn):
    return Status(
        201, services.evaluation_compute(year=payload.year, reason=payload.reason, by=request.auth)
    )


@router.post("/evaluations/{int:pk}/publish", response=EvaluationOut, summary="Publish (公示)")
@api_permission("delivery.change_evaluation")
def publish(request, pk: int):
    evaluation = get_object_or_404(selectors.evaluations(request.auth), pk=pk)
    return services.evaluation_publish(evaluation=evaluation, by=request.auth)


@router.post("/evaluations/{int:pk}/freeze", response=EvaluationOut, summary="Make final")
@api_permission("delivery.change_evaluation")
def freeze(request, pk: int):
    evaluation = get_object_or_404(selectors.evaluations(request.auth), pk=pk)
    return services.evaluation_freeze(evaluation=evaluation, by=request.auth)


@router.get(
    "/evaluations/{int:pk}/scores", response=list[ScoreOut], summary="Results, class by class"
)
@api_permission("delivery.view_evaluation")
def list_scores(request, pk: int, filters: Query[ScoreFilters]):
    refuse_unknown_params(request, ScoreFilters)
    evaluation = get_object_or_404(selectors.evaluations(request.auth), pk=pk)
    return list(
        selectors.scores(request.auth, evaluation, klass=filters.klass or "", q=filters.q)[:5000]
    )


@router.get(
    "/evaluations/{int:pk}/export",
    summary="An evaluation's results and indicators as a workbook (导出亩均评价)",
    openapi_extra=XLSX_ANSWER,
)
@api_permission("delivery.view_evaluation")
def export_evaluation(request, pk: int, filters: Query[ScoreFilters]):
    refuse_unknown_params(request, ScoreFilters)
    evaluation = get_object_or_404(selectors.evaluations(request.auth), pk=pk)
    rows = selectors.scores(request.auth, evaluation, klass=filters.klass or "", q=filters.q)
    return xlsx_response(*exports.evaluation_workbook(evaluation, rows))


@router.get(
    "/evaluations/{int:pk}/scores/{int:enterprise}",
    response=ScoreOut,
    summary="One enterprise's report",
)
@api_permission("delivery.view_evaluation")
def get_score(request, pk: int, enterprise: int):
    evaluation = get_object_or_404(selectors.evaluations(request.auth), pk=pk)
    return get_object_or_404(selectors.scores(request.auth, evaluation), enterprise_id=enterprise)


@router.put("/plots/{int:pk}/shares", response=list[ShareOut], summary="Shares of a shared plot")
@api_permission("delivery.change_landshare")
def set_shares(request, pk: int, payload: SharesIn):
    plot = get_object_or_404(LandShare._meta.get_field("plot").related_model, pk=pk)
    found = set(Enterprise.objects.filter(pk__in=list(payload.shares)).values_list("pk", flat=True))
    if found != set(payload.shares):
        raise ValidationError({"shares": [_("Unknown enterprise.")]})
    return services.land_shares_set(plot=plot, shares=payload.shares, by=request.auth)
