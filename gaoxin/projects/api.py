"""Project register API: projects, stage transitions, engagements, money, statistics, targets."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import BaseModel, ConfigDict, WithJsonSchema

from gaoxin.accounts.models import Department, User
from gaoxin.core.api_types import Id, IsoDate, Pagination
from gaoxin.core.permissions import api_permission
from gaoxin.enterprises.models import Cluster, Enterprise, IndustryCode
from gaoxin.projects import services, stats
from gaoxin.projects.models import (
    ChainLink,
    Channel,
    EngagementKind,
    Figure,
    MoneyKind,
    Project,
    StageEvent,
)
from gaoxin.projects.selectors import project_base, project_get, project_list
from gaoxin.projects.stages import Stage

router = Router(tags=["projects"])
MoneyField = Field(Decimal(0), ge=0, max_digits=14, decimal_places=2)


# A plain pydantic model rather than ninja's Schema: ninja's Schema wraps every row it validates
# in a DjangoGetter (a Python call per field, 3 of the list's 13 ms at 50 rows); this validates
# the list's and the detail's plain rows in pydantic's core. It reads model instances too
# (from_attributes), for the writes that answer with the project. (No docstring: it would
# become the type's description in the API document.)
class ProjectOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    enterprise: int | None = Field(None, alias="enterprise_id")
    prospective_investor: str
    cluster: int | None = Field(None, alias="cluster_id")
    industry: str | None = Field(None, alias="industry_id")
    chain_link: int | None = Field(None, alias="chain_link_id")
    source_province: str
    source_city: str
    channel: Channel
    total_investment: Decimal
    fixed_asset_investment: Decimal
    foreign_investment: Decimal
    expected_output_value: Decimal
    expected_tax: Decimal
    land_need_mu: Decimal
    space_need_m2: Decimal
    planned_start_on: IsoDate | None
    steward: int | None = Field(None, alias="steward_id")
    department: int | None = Field(None, alias="department_id")
    stage: Stage
    stage_since: IsoDate | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class ProjectFields(Schema):
    enterprise: Id | None = None
    prospective_investor: str = Field("", max_length=200)
    cluster: Id | None = None
    industry: str | None = None
    chain_link: Id | None = None
    source_province: str = Field("", max_length=20)
    source_city: str = Field("", max_length=30)
    channel: Channel = Channel.DIRECT
    total_investment: Decimal = MoneyField
    fixed_asset_investment: Decimal = MoneyField
    foreign_investment: Decimal = MoneyField
    expected_output_value: Decimal = MoneyField
    expected_tax: Decimal = MoneyField
    land_need_mu: Decimal = Field(Decimal(0), ge=0, max_digits=10, decimal_places=2)
    space_need_m2: Decimal = Field(Decimal(0), ge=0, max_digits=12, decimal_places=2)
    planned_start_on: IsoDate | None = None
    steward: Id | None = None
    department: Id | None = None
    contact_name: str = Field("", max_length=50)
    contact_phone: str = Field("", max_length=20)
    description: str = ""


class ProjectIn(ProjectFields):
    name: str = Field(..., min_length=1, max_length=200)
    stage: Stage = Field(Stage.LEAD, description="lead or negotiating")
    on: IsoDate | None = Field(None, description="Date of the first step; today if omitted.")


class ProjectPatch(ProjectFields):
    version: int = Field(
        ..., ge=1, le=2**31 - 1, description="The version you read; a stale one gets 409."
    )
    name: str | None = Field(None, min_length=1, max_length=200)


class AdvanceIn(Schema):
    to_stage: Stage
    on: IsoDate
    note: str = ""
    evidence: str = Field("", max_length=200)


class EventOut(Schema):
    id: int
    stage: Stage
    from_stage: str
    on: IsoDate
    note: str
    evidence: str
    recorded_by: int | None = Field(None, alias="recorded_by_id")
    recorded_at: dt.datetime
    voided: bool
    void_reason: str | None

    @staticmethod
    def resolve_voided(obj: StageEvent) -> bool:
        return hasattr(obj, "correction")

    @staticmethod
    def resolve_void_reason(obj: StageEvent) -> str | None:
        return obj.correction.reason if hasattr(obj, "correction") else None


class CorrectionIn(Schema):
    reason: str = Field(..., min_length=1, max_length=200)


class EngagementIn(Schema):
    kind: EngagementKind
    on: IsoDate
    people: str = Field("", max_length=300)
    summary: str = Field(..., min_length=1)
    next_step: str = Field("", max_length=300)


class EngagementOut(EngagementIn):
    id: int


class MoneyIn(Schema):
    kind: MoneyKind
    on: IsoDate
    amount: Decimal = Field(..., max_digits=14, decimal_places=2)
    note: str = Field("", max_length=200)


class MoneyOut(MoneyIn):
    id: int


class ProjectFilters(FilterSchema):
    q: str | None = None
    stage: list[Stage] | None = None
    cluster: Id | None = None
    channel: Channel | None = None
    department: Id | None = None
    steward: Id | None = None
    source_province: str | None = None
    entered: Stage | None = Field(None, description="with start/end: entered this stage")
    start: IsoDate | None = None
    end: IsoDate | None = None
    stage_on: Stage | None = Field(None, description="with as_of: in this stage on that date")
    as_of: IsoDate | None = None
    ordering: str | None = None


# Inlined in the document: the enum's class name (Figure) is also 投产达效's, and two schemas of
# one name would silently share one definition in the OpenAPI components.
TargetFigure = Annotated[
    Figure,
    WithJsonSchema({"type": "string", "enum": list(Figure.values), "title": "TargetFigure"}),
]


class ComparisonOut(Schema):
    """A count of projects in the period and the same period a year earlier (JSON integers)."""

    value: int = Field(description="number of projects in the period")
    base: int = Field(description="number of projects in the same period a year earlier")
    growth: Decimal | None = Field(
        description="year-on-year growth in percent (a decimal); null when the base is zero (n/a)"
    )


class TargetOut(Schema):
    figure: TargetFigure
    label: str
    target: Decimal = Field(
        description="a number of projects, or 万元 (10k CNY) for funds_in_place (a decimal)"
    )
    actual: Decimal = Field(description="in the unit of the target (a decimal)")
    percent: Decimal | None = Field(description="actual of target in percent (a decimal)")
    remaining: Decimal = Field(description="in the unit of the target (a decimal)")


class RatesOut(Schema):
    on_time_start: Decimal | None
    on_time_start_base: int
    investment_completion: Decimal | None
    production_reached: Decimal | None
    funds_in_place: Decimal
    funds_target: Decimal | None
    funds_percent: Decimal | None


class StatisticsOut(Schema):
    start: IsoDate
    end: IsoDate
    counted_end: IsoDate = Field(
        description="the period is counted to this day (today when it runs past today)"
    )
    base_start: IsoDate = Field(
        description="the base of every growth: the same span a year earlier"
    )
    base_end: IsoDate
    in_register: ComparisonOut
    entries: dict[str, ComparisonOut]
    stock_at_end: dict[str, int]
    rates: RatesOut
    targets: list[TargetOut]


class StockOut(Schema):
    as_of: IsoDate
    stock: dict[str, int]
    in_register: int


class TargetIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    figure: TargetFigure
    value: Decimal = Field(..., gt=0, max_digits=14, decimal_places=2)


def _resolve(data: dict) -> dict:
    """Turn ids into objects, with a field error for each unknown one."""

    lookups = {
        "enterprise": Enterprise,
        "cluster": Cluster,
        "chain_link": ChainLink,
        "steward": User,
        "department": Department,
    }
    errors = {}
    for name, model in lookups.items():
        if data.get(name) is not None:
            obj = model.objects.filter(pk=data[name]).first()
            if obj is None:
                errors[name] = [_("Not found.")]
            data[name] = obj
    if data.get("industry") == "":
        data["industry"] = None
    if data.get("industry"):
        data["industry"] = IndustryCode.objects.filter(
            code=data["industry"], level="division"
        ).first()
        if data["industry"] is None:
            errors["industry"] = [_("Unknown GB/T 4754 division code.")]
    if errors:
        raise ValidationError(errors)
    return data


# The columns ProjectOut sends. The list and the detail read only these, as plain rows: no join
# to the enterprise, cluster, department, steward and industry (the answer carries their ids),
# no model instances and no decryption of the contact phone, which the API does not send —
# under load this was most of a request's time (docs/performance.md).
PROJECT_OUT_COLUMNS = [field.alias or name for name, field in ProjectOut.model_fields.items()]


# The detail's rows with their columns resolved once, not on every request (a tenth of a
# one-query read's time); restrict() still applies the reader's visibility each time.
PROJECT_ROWS = Project.objects.values(*PROJECT_OUT_COLUMNS)


def _project_rows(queryset):
    return queryset.select_related(None).values(*PROJECT_OUT_COLUMNS)


@router.get("/", response=list[ProjectOut], summary="List projects")
@api_permission("projects.view_project")
@paginate(Pagination, page_size=50)
def list_projects(request, filters: Query[ProjectFilters]):
    params = {k: v for k, v in filters.dict().items() if v not in (None, [])}
    filterset, queryset = project_list(user=request.auth, params=_querydict(params))
    refuse_invalid_filters(filterset)
    return _project_rows(queryset)


def refuse_invalid_filters(filterset) -> None:
    """The page's filter form drops a value it cannot use (an unknown cluster) and lists
    everything; a client asked a narrower question, so it gets a 400 naming the filter."""
    if filterset.errors:
        raise ValidationError({name: list(errors) for name, errors in filterset.errors.items()})


def _querydict(params: dict):

    query = QueryDict(mutable=True)
    for key, value in params.items():
        if isinstance(value, list):
            query.setlist(key, [str(v) for v in value])
        else:
            query[key] = str(value)
    return query


@router.post("/", response={201: ProjectOut}, summary="Register a project")
@api_permission("projects.add_project")
def create_project(request, payload: ProjectIn):
    data = payload.dict()
    stage, on = data.pop("stage"), data.pop("on") or timezone.localdate()
    project = services.project_create(by=request.auth, data=_resolve(data), stage=stage, on=on)
    return Status(201, project)


@router.get("/statistics", response=StatisticsOut, summary="Figures for a period, with YoY")
@api_permission("projects.view_statistics")
def statistics(request, start: IsoDate, end: IsoDate):
    if end < start:
        raise ValidationError({"end": [_("The period ends before it starts.")]})
    summary = stats.summary(stats.Period(start, end), project_base(request.auth))

    def comparison(c):
        return {"value": c.value, "base": c.base, "growth": c.growth}

    counted = summary.period
    return {
        "start": start,
        "end": end,
        "counted_end": counted.end,
        "base_start": counted.year_earlier().start,
        "base_end": counted.year_earlier().end,
        "in_register": comparison(summary.in_register),
        "entries": {k: comparison(v) for k, v in summary.entries.items()},
        "stock_at_end": summary.stock,
        "rates": summary.rates.__dict__,
        "targets": [
            {
                "figure": t.figure,
                "label": t.label,
                "target": t.target,
                "actual": t.actual,
                "percent": t.percent,
                "remaining": t.remaining,
            }
            for t in summary.targets
        ],
    }


@router.get("/stock", response=StockOut, summary="Projects in each stage on a date")
@api_permission("projects.view_statistics")
def stock(request, as_of: IsoDate):
    projects = project_base(request.auth)
    return {
        "as_of": as_of,
        "stock": stats.stock(as_of, projects),
        "in_register": stats.in_register(as_of, projects),
    }


@router.get("/targets", response=list[TargetOut], summary="Targets of a year against actuals")
@api_permission("projects.view_target")
def list_targets(request, year: int = Query(..., ge=2000, le=2100)):
    as_of = min(timezone.localdate(), dt.date(year, 12, 31))
    return [
        {
            "figure": t.figure,
            "label": t.label,
            "target": t.target,
            "actual": t.actual,
            "percent": t.percent,
            "remaining": t.remaining,
        }
        for t in stats.target_progress(year, as_of, project_base(request.auth))
    ]


@router.put("/targets", response=TargetOut, summary="Set a target")
@api_permission("projects.change_target")
def set_target(request, payload: TargetIn):
    services.target_set(by=request.auth, **payload.dict())
    as_of = min(timezone.localdate(), dt.date(payload.year, 12, 31))
    progress = {t.figure: t for t in stats.target_progress(payload.year, as_of)}
    t = progress[payload.figure]
    return {
        "figure": t.figure,
        "label": t.label,
        "target": t.target,
        "actual": t.actual,
        "percent": t.percent,
        "remaining": t.remaining,
    }


@router.get("/{int:pk}", response=ProjectOut, summary="Get a project")
@api_permission("projects.view_project")
def get_project(request, pk: int):
    return get_object_or_404(PROJECT_ROWS.restrict(request.auth), pk=pk)


@router.patch(
    "/{int:pk}",
    response=ProjectOut,
    summary="Change a project's particulars",
    description="Send the `version` you read; a stale one answers 409 with the "
    "current record. The stage changes only through /advance.",
)
@api_permission("projects.change_project")
def update_project(request, pk: int, payload: ProjectPatch):
    project = project_get(user=request.auth, pk=pk, action="change")
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    services.project_update(
        project=project, by=request.auth, data=_resolve(data), expected_version=version
    )
    return project


@router.get("/{int:pk}/events", response=list[EventOut], summary="Stage history")
@api_permission("projects.view_stageevent")
def list_events(request, pk: int):
    project = project_get(user=request.auth, pk=pk)
    return project.events.select_related("correction")


@router.post("/{int:pk}/advance", response={201: EventOut}, summary="Record the next stage")
@api_permission("projects.advance_project")
def advance(request, pk: int, payload: AdvanceIn):
    project = project_get(user=request.auth, pk=pk)
    event = services.project_advance(project=project, by=request.auth, **payload.dict())
    return Status(201, event)


@router.post(
    "/{int:pk}/events/{int:event_pk}/correct",
    response={201: EventOut},
    summary="Void a mistaken latest step (kept in the record)",
)
@api_permission("projects.correct_stageevent")
def correct(request, pk: int, event_pk: int, payload: CorrectionIn):
    project = project_get(user=request.auth, pk=pk)
    event = get_object_or_404(StageEvent, pk=event_pk, project=project)
    services.event_correct(event=event, by=request.auth, reason=payload.reason)
    return Status(201, StageEvent.objects.select_related("correction").get(pk=event.pk))


@router.get("/{int:pk}/engagements", response=list[EngagementOut], summary="Engagements")
@api_permission("projects.view_engagement")
def list_engagements(request, pk: int):
    return project_get(user=request.auth, pk=pk).engagements.all()


@router.post("/{int:pk}/engagements", response={201: EngagementOut}, summary="Record an engagement")
@api_permission("projects.add_engagement")
def add_engagement(request, pk: int, payload: EngagementIn):
    # The project without its related records (the engagement needs none of them).
    project = get_object_or_404(project_base(request.auth).select_related(None), pk=pk)
    return Status(
        201, services.engagement_add(project=project, by=request.auth, data=payload.dict())
    )


@router.get(
    "/{int:pk}/money", response=list[MoneyOut], summary="Funds in place and investment completed"
)
@api_permission("projects.view_moneyentry")
def list_money(request, pk: int):
    return project_get(user=request.auth, pk=pk).money_entries.all()


@router.post("/{int:pk}/money", response={201: MoneyOut}, summary="Record an amount")
@api_permission("projects.add_moneyentry")
def add_money(request, pk: int, payload: MoneyIn):
    project = project_get(user=request.auth, pk=pk)
    return Status(201, services.money_add(project=project, by=request.auth, **payload.dict()))
