"""API of key projects and 五个一 (/api/v1/dispatch/key-projects…): the list with lights and its
workbook, the detail, listing a project, editing and removing it, reconciling the year's list,
the task force, plan templates and the plan, milestones."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from gaoxin.accounts.models import Department, User
from gaoxin.core.api_forms import clean_with
from gaoxin.core.api_types import XLSX_ANSWER, Id, IsoDate
from gaoxin.core.excel import xlsx_response
from gaoxin.core.permissions import api_permission
from gaoxin.dispatch import exports, selectors, services, visibility
from gaoxin.dispatch.api.base import found, key_projects_for
from gaoxin.dispatch.forms import KeyProjectForm
from gaoxin.dispatch.models import (
    Milestone,
    PlanTemplate,
)
from gaoxin.projects.selectors import project_base

__all__ = ["router"]


router = Router(tags=["dispatch"])


class TaskForceOut(Schema):
    id: int
    user: int = Field(..., alias="user_id")
    name: str = Field(..., alias="user.full_name")
    role: str
    duty: str


class MilestoneOut(Schema):
    id: int
    order: int
    name: str
    duration_days: int
    depends_on: list[int]
    marks_start: bool
    planned_start: dt.date
    planned_end: dt.date
    planned_certain: bool
    actual_start: dt.date | None
    actual_end: dt.date | None
    note: str
    version: int

    @staticmethod
    def resolve_depends_on(obj) -> list[int]:
        return [d.pk for d in obj.depends_on.all()]


class KeyProjectOut(Schema):
    id: int
    year: int
    project: int = Field(..., alias="project_id")
    project_name: str = Field(..., alias="project.name")
    sponsor: int = Field(..., alias="sponsor_id")
    lead_department: int = Field(..., alias="lead_department_id")
    plan_start: dt.date | None
    note: str
    version: int


class KeyProjectLightOut(KeyProjectOut):
    light: str
    reasons: list[str]
    planned_pct: int | None
    actual_pct: int | None


class KeyProjectDetailOut(KeyProjectLightOut):
    task_force: list[TaskForceOut]
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_task_force(obj):
        return list(obj.task_force.select_related("user"))

    @staticmethod
    def resolve_milestones(obj, context):
        return visibility.milestones(context["request"].auth, obj)


def _with_light(row, user):
    kp = visibility.redact_key_project(user, row.key_project)
    kp.light, kp.reasons = row.light, row.reasons
    kp.planned_pct = row.lag.planned_pct if row.lag else None
    kp.actual_pct = row.lag.actual_pct if row.lag else None
    return kp


class KeyProjectIn(Schema):
    year: int = Field(..., ge=2000, le=2999)
    project: Id
    sponsor: Id
    lead_department: Id


class KeyProjectPatchIn(Schema):
    """Only the fields sent change; ``version`` is the one read (a stale one is a 409)."""

    sponsor: Id | None = Field(None, description="a leader")
    lead_department: Id | None = None
    plan_start: IsoDate | None = Field(None, description="moves the plan's planned dates")
    note: str | None = Field(None, max_length=2000)
    version: int = Field(..., ge=0, le=2**31 - 1)


@router.get("/key-projects", response=list[KeyProjectLightOut], summary="The year's key projects")
@api_permission("dispatch.view_keyproject")
def list_key_projects(
    request,
    year: int = Query(..., ge=2000, le=2999),
    sponsor: Id | None = None,
    department: Id | None = None,
):
    rows = _lights_of(request.auth, year, sponsor, department)
    return [_with_light(r, request.auth) for r in rows]


def _lights_of(user, year, sponsor=None, department=None, light=None):
    """The year's key projects with their lights, filtered as the list page filters."""
    queryset = key_projects_for(user).filter(year=year)
    if sponsor is not None:
        queryset = queryset.filter(sponsor_id=sponsor)
    if department is not None:
        queryset = queryset.filter(lead_department_id=department)
    rows = visibility.key_project_lights(user, queryset)
    return [r for r in rows if r.light == light] if light else rows


@router.get(
    "/key-projects/export",
    summary="Export the year's key projects with their lights (导出年度重点项目)",
    openapi_extra=XLSX_ANSWER,
)
@api_permission("dispatch.view_keyproject")
def key_projects_export(
    request,
    year: int = Query(..., ge=2000, le=2999),
    sponsor: Id | None = None,
    department: Id | None = None,
    light: str | None = Query(None, pattern="^(red|yellow|green)$"),
):
    rows = _lights_of(request.auth, year, sponsor, department, light)
    return xlsx_response(*exports.key_projects_workbook(year, rows))


class ReconcileProjectOut(Schema):
    id: int
    name: str
    stage: str
    total_investment: Decimal | None = Field(None, description="10k CNY (万元)")
    department: int | None = Field(None, alias="department_id")


class ReconcileListedOut(KeyProjectOut):
    carried: bool = Field(False, description="last year's entry: on this year's list again")


class ReconcileOut(Schema):
    year: int
    listed: list[KeyProjectOut]
    last_year: list[ReconcileListedOut]
    candidates: list[ReconcileProjectOut]
    candidates_count: int
    page: int


@router.get(
    "/key-projects/reconcile",
    response=ReconcileOut,
    summary="Reconcile a year's list: listed, last year's, candidates (重点项目对账)",
)
@api_permission("dispatch.add_keyproject")
def reconcile(
    request,
    year: int = Query(..., ge=2000, le=2999),
    q: str = Query("", max_length=100),
    page: int = Query(1, ge=1, le=100_000),
):
    """What the reconcile page shows; a project is put on the list with POST
    /dispatch/key-projects and taken off with DELETE /dispatch/key-projects/{id}."""
    listed = list(key_projects_for(request.auth).filter(year=year))
    listed_ids = {kp.project_id for kp in listed}
    last_year = list(key_projects_for(request.auth).filter(year=year - 1))
    for kp in last_year:
        kp.carried = kp.project_id in listed_ids
    candidates = selectors.reconcile_candidates(listed_ids=listed_ids, q=q.strip())
    size = 20
    return {
        "year": year,
        "listed": listed,
        "last_year": last_year,
        "candidates": list(candidates[(page - 1) * size : page * size]),
        "candidates_count": candidates.count(),
        "page": page,
    }


@router.get(
    "/key-projects/{int:pk}", response=KeyProjectDetailOut, summary="A key project's 五个一"
)
@api_permission("dispatch.view_keyproject")
def get_key_project(request, pk: int):
    get_object_or_404(key_projects_for(request.auth), pk=pk)
    row = visibility.key_project_lights(request.auth, key_projects_for(request.auth).filter(pk=pk))[
        0
    ]
    return _with_light(row, request.auth)


@router.post(
    "/key-projects", response={201: KeyProjectOut}, summary="Put a project on a year's list"
)
@api_permission("dispatch.add_keyproject")
def add_key_project(request, payload: KeyProjectIn):

    return Status(
        201,
        services.key_project_add(
            year=payload.year,
            project=found(project_base(request.auth), payload.project, "project"),
            sponsor=found(User.objects.all(), payload.sponsor, "sponsor"),
            lead_department=found(
                Department.objects.filter(is_active=True),
                payload.lead_department,
                "lead_department",
            ),
            by=request.auth,
        ),
    )


@router.patch(
    "/key-projects/{int:pk}",
    response=KeyProjectOut,
    summary="Edit a key project: sponsor, department, plan start, note (编辑重点项目)",
)
@api_permission("dispatch.view_keyproject")
def update_key_project(request, pk: int, payload: KeyProjectPatchIn):
    """The edit page's form and service (dispatch.services.key_project_update), audited; a new
    plan start moves the plan's dates. A stale ``version`` is a 409 with ``current``."""
    key_project = get_object_or_404(key_projects_for(request.auth, "change"), pk=pk)
    if not request.auth.has_perm("dispatch.change_keyproject", key_project):
        raise PermissionDenied
    sent = payload.dict(exclude_unset=True, exclude={"version"})
    as_now = {
        "sponsor": key_project.sponsor_id,
        "lead_department": key_project.lead_department_id,
        "plan_start": key_project.plan_start,
        "note": key_project.note,
    }
    cleaned = clean_with(KeyProjectForm, {**as_now, **{k: v for k, v in sent.items()}})
    data = {field: cleaned[field] for field in sent if field in as_now}
    services.key_project_update(
        key_project=key_project, by=request.auth, data=data, expected_version=payload.version
    )
    return key_projects_for(request.auth).get(pk=pk)


@router.delete(
    "/key-projects/{int:pk}",
    response={204: None},
    summary="Take a project off the year's list (移出重点项目)",
)
@api_permission("dispatch.add_keyproject")
def remove_key_project(request, pk: int):
    """Only while no report or service matter is recorded for it (a 400 says so), audited."""
    key_project = get_object_or_404(key_projects_for(request.auth), pk=pk)
    services.key_project_remove(key_project=key_project, by=request.auth)
    return Status(204, None)


class TaskForceIn(Schema):
    user: Id
    role: str = Field(..., pattern="^(lead|deputy|member|liaison)$")
    duty: str = Field("", max_length=200)


@router.post(
    "/key-projects/{int:pk}/task-force",
    response={201: TaskForceOut},
    summary="Add a member to the task force",
)
@api_permission("dispatch.view_keyproject")
def add_task_force_member(request, pk: int, payload: TaskForceIn):

    key_project = get_object_or_404(key_projects_for(request.auth), pk=pk)
    member = services.task_force_add(
        key_project=key_project,
        user=found(User.objects.all(), payload.user, "user"),
        role=payload.role,
        duty=payload.duty,
        by=request.auth,
    )
    return Status(201, member)


@router.delete(
    "/key-projects/{int:pk}/task-force/{int:member_pk}",
    response={204: None},
    summary="Remove a member from the task force (移出专班成员)",
)
@api_permission("dispatch.view_keyproject")
def remove_task_force_member(request, pk: int, member_pk: int):
    key_project = get_object_or_404(key_projects_for(request.auth), pk=pk)
    member = get_object_or_404(key_project.task_force, pk=member_pk)
    services.task_force_remove(member=member, by=request.auth)
    return Status(204, None)


class PlanIn(Schema):
    template: Id
    start: IsoDate


class PlanTemplateOut(Schema):
    id: int
    name: str
    description: str


@router.get("/plan-templates", response=list[PlanTemplateOut], summary="Templates of the node flow")
@api_permission("dispatch.view_keyproject")
def list_plan_templates(request):

    return PlanTemplate.objects.all()


@router.post(
    "/key-projects/{int:pk}/plan",
    response=list[MilestoneOut],
    summary="Lay out the implementation plan from a template",
)
@api_permission("dispatch.view_keyproject")
def lay_out_plan(request, pk: int, payload: PlanIn):

    key_project = get_object_or_404(key_projects_for(request.auth), pk=pk)
    services.plan_from_template(
        key_project=key_project,
        template=found(PlanTemplate.objects.all(), payload.template, "template"),
        start=payload.start,
        by=request.auth,
    )
    return key_project.milestones.prefetch_related("depends_on")


class MilestoneIn(Schema):
    actual_start: IsoDate | None = None
    actual_end: IsoDate | None = None
    note: str = Field("", max_length=300)
    version: int = Field(..., ge=0, le=2**31 - 1)


@router.post(
    "/milestones/{int:pk}", response=MilestoneOut, summary="Record a milestone's actual dates"
)
@api_permission("dispatch.view_keyproject")
def record_milestone(request, pk: int, payload: MilestoneIn):

    milestone = get_object_or_404(
        Milestone.objects.filter(key_project__in=key_projects_for(request.auth)), pk=pk
    )
    data = payload.dict()
    return services.milestone_record(
        milestone=milestone, by=request.auth, expected_version=data.pop("version"), **data
    )
