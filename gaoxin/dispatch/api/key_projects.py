"""API of key projects and 五个一 (/api/v1/dispatch/key-projects…): the list with lights, the
detail, listing a project, the task force, plan templates and the plan, milestones."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from gaoxin.accounts.models import Department, User
from gaoxin.core.api_types import IsoDate
from gaoxin.core.permissions import api_permission
from gaoxin.dispatch import services, visibility
from gaoxin.dispatch.api.base import found, key_projects_for
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
    project: int
    sponsor: int
    lead_department: int


@router.get("/key-projects", response=list[KeyProjectLightOut], summary="The year's key projects")
@api_permission("dispatch.view_keyproject")
def list_key_projects(
    request,
    year: int = Query(..., ge=2000, le=2999),
    sponsor: int | None = None,
    department: int | None = None,
):
    queryset = key_projects_for(request.auth).filter(year=year)
    if sponsor is not None:
        queryset = queryset.filter(sponsor_id=sponsor)
    if department is not None:
        queryset = queryset.filter(lead_department_id=department)
    return [
        _with_light(r, request.auth) for r in visibility.key_project_lights(request.auth, queryset)
    ]


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


class TaskForceIn(Schema):
    user: int
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


class PlanIn(Schema):
    template: int
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
    version: int = Field(..., ge=0)


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
