"""API of the problem workflow (/api/v1/problems/): problems, their moves, supervision notices."""

import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from gaoxin.accounts.models import Department
from gaoxin.core.api_types import Id, Pagination
from gaoxin.core.permissions import api_permission
from gaoxin.dispatch import lights, services
from gaoxin.dispatch.filters import ProblemFilter
from gaoxin.dispatch.models import (
    AppealCategory,
    AppealChannel,
    Problem,
    ProblemKind,
    ProblemState,
    Supervision,
)
from gaoxin.projects.selectors import project_get

__all__ = ["router"]


router = Router(tags=["problems"])


class ProblemOut(Schema):
    id: int
    project: int | None = Field(None, alias="project_id")
    enterprise: int | None = Field(None, alias="enterprise_id")
    kind: ProblemKind | Literal[""]
    category: AppealCategory | Literal[""]
    channel: AppealChannel
    policy_feedback: bool
    satisfied: bool | None
    title: str
    description: str
    raised_by: int = Field(..., alias="raised_by_id")
    department: int | None = Field(None, alias="department_id")
    limit_days: int | None
    deadline: dt.date | None
    deadline_certain: bool
    state: ProblemState
    resolution: str
    light: str
    version: int
    created_at: dt.datetime

    @staticmethod
    def resolve_light(obj: Problem) -> str:
        return lights.problem_light(obj)


class ProblemIn(Schema):
    project: Id
    kind: ProblemKind
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field(..., min_length=1)
    department: Id | None = None


class MoveIn(Schema):
    to_state: ProblemState
    note: str = ""
    department: Id | None = None
    limit_days: int | None = Field(None, ge=1, le=120)


class ProblemFilters(FilterSchema):
    q: str | None = None
    state: ProblemState | None = None
    kind: ProblemKind | None = None
    department: Id | None = None
    overdue: bool | None = None
    is_open: bool | None = None


def _problems(user, action="view"):
    return Problem.objects.restrict(user, action).select_related(
        "project", "enterprise", "department"
    )


def _department(pk):

    if pk is None:
        return None
    department = Department.objects.filter(pk=pk, is_active=True).first()
    if department is None:
        raise ValidationError({"department": ["Not found."]})
    return department


@router.get("/", response=list[ProblemOut], summary="List problems")
@api_permission("dispatch.view_problem")
@paginate(Pagination, page_size=50)
def list_problems(request, filters: Query[ProblemFilters]):
    params = {k: v for k, v in filters.dict().items() if v is not None}
    return ProblemFilter(params, queryset=_problems(request.auth)).qs


@router.get("/{int:pk}", response=ProblemOut, summary="Get a problem")
@api_permission("dispatch.view_problem")
def get_problem(request, pk: int):
    return get_object_or_404(_problems(request.auth), pk=pk)


@router.post("/", response={201: ProblemOut}, summary="Raise a problem on a project")
@api_permission("dispatch.add_problem")
def raise_problem(request, payload: ProblemIn):
    data = payload.dict()
    project = project_get(user=request.auth, pk=data.pop("project"))
    data["department"] = _department(data["department"])
    return Status(201, services.problem_raise(project=project, by=request.auth, **data))


@router.post(
    "/{int:pk}/move",
    response=ProblemOut,
    summary="Move a problem to its next state",
    description="accepted (by the assigned department, with limit_days), in_progress, "
    "resolved (with note), confirmed, reopened (with note). Moving a problem to another "
    "department is /reassign (the coordinating office).",
)
@api_permission("dispatch.view_problem")
def move_problem(request, pk: int, payload: MoveIn):
    problem = get_object_or_404(_problems(request.auth), pk=pk)
    data = payload.dict()
    data["department"] = _department(data["department"])
    if problem.is_appeal:  # an appeal's answer is told to it; it is rated, not confirmed
        if data["to_state"] in (ProblemState.CONFIRMED, ProblemState.REOPENED):
            return services.appeal_evaluate(
                appeal=problem,
                by=request.auth,
                satisfied=data["to_state"] == ProblemState.CONFIRMED,
                reasons=data["note"],
            )
        del data["department"]
        return services.appeal_move(appeal=problem, by=request.auth, **data)
    return services.problem_move(problem=problem, by=request.auth, **data)


class HandBackIn(Schema):
    reason: str = Field(..., min_length=1)


class ReassignIn(Schema):
    department: Id
    reason: str = Field(..., min_length=1)


@router.post(
    "/{int:pk}/hand-back",
    response=ProblemOut,
    summary="Hand a problem back to the coordinating office (its assigned department only)",
)
@api_permission("dispatch.view_problem")
def hand_back_problem(request, pk: int, payload: HandBackIn):
    problem = get_object_or_404(_problems(request.auth), pk=pk)
    return services.problem_hand_back(problem=problem, by=request.auth, reason=payload.reason)


@router.post(
    "/{int:pk}/reassign",
    response=ProblemOut,
    summary="Move a problem to another department (the coordinating office only)",
)
@api_permission("dispatch.view_problem")
def reassign_problem(request, pk: int, payload: ReassignIn):
    problem = get_object_or_404(_problems(request.auth), pk=pk)
    return services.problem_reassign(
        problem=problem,
        by=request.auth,
        department=_department(payload.department),
        reason=payload.reason,
    )


class SupervisionOut(Schema):
    id: int
    problem: int = Field(..., alias="problem_id")
    number: str
    issued_by: int = Field(..., alias="issued_by_id")
    demand: str
    limit_days: int
    deadline: dt.date
    reply: str
    replied_at: dt.datetime | None
    light: str
    created_at: dt.datetime

    @staticmethod
    def resolve_light(obj) -> str:
        return lights.supervision_light(obj)


class SupervisionIn(Schema):
    demand: str = Field(..., min_length=1)
    limit_days: int = Field(..., ge=1, le=120)


class ReplyIn(Schema):
    reply: str = Field(..., min_length=1)


def _supervisions(user):

    return Supervision.objects.restrict(user, "view")


@router.get("/supervisions", response=list[SupervisionOut], summary="List supervision notices")
@api_permission("dispatch.view_supervision")
@paginate(Pagination, page_size=50)
def list_supervisions(request):
    return _supervisions(request.auth)


@router.post(
    "/{int:pk}/supervisions",
    response={201: SupervisionOut},
    summary="Issue a supervision notice (督办单) on a problem",
)
@api_permission("dispatch.add_supervision")
def issue_supervision(request, pk: int, payload: SupervisionIn):
    problem = get_object_or_404(_problems(request.auth), pk=pk)
    return Status(
        201, services.supervision_issue(problem=problem, by=request.auth, **payload.dict())
    )


@router.post(
    "/supervisions/{int:pk}/reply", response=SupervisionOut, summary="Answer a supervision notice"
)
@api_permission("dispatch.view_supervision")
def reply_supervision(request, pk: int, payload: ReplyIn):
    notice = get_object_or_404(_supervisions(request.auth), pk=pk)
    return services.supervision_reply(notice=notice, by=request.auth, reply=payload.reply)
