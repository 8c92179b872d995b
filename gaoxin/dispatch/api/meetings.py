"""API of dispatch meetings and decision tasks (/api/v1/dispatch/meetings…, /tasks…)."""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from gaoxin.accounts.models import Role, User
from gaoxin.core.api_types import Id, IsoDate, Pagination
from gaoxin.core.permissions import api_permission
from gaoxin.dispatch import lights, services
from gaoxin.dispatch.api.base import found, key_projects_for
from gaoxin.dispatch.models import (
    DecisionTask,
    DispatchMeeting,
)

__all__ = ["router"]


router = Router(tags=["dispatch"])


class MeetingOut(Schema):
    id: int
    title: str
    held_on: dt.date
    chaired_by: int = Field(..., alias="chaired_by_id")
    minutes: str


class MeetingIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    held_on: IsoDate
    chaired_by: Id
    attendees: list[Id] = Field(..., min_length=1, max_length=200)
    minutes: str = ""


class TaskOut(Schema):
    id: int
    meeting: int = Field(..., alias="meeting_id")
    key_project: int | None = Field(None, alias="key_project_id")
    decision: str
    owner: int = Field(..., alias="owner_id")
    department: int | None = Field(None, alias="department_id")
    deadline: dt.date
    done_on: dt.date | None
    result: str
    light: str

    @staticmethod
    def resolve_light(obj) -> str:

        return lights.task_light(obj, timezone.localdate())


class TaskIn(Schema):
    decision: str = Field(..., min_length=1)
    owner: Id
    deadline: IsoDate
    key_project: Id | None = None


class TaskDoneIn(Schema):
    result: str = Field(..., min_length=1)


def _meetings(user):

    return DispatchMeeting.objects.restrict(user)


@router.get("/meetings", response=list[MeetingOut], summary="Dispatch meetings")
@api_permission("dispatch.view_dispatchmeeting")
@paginate(Pagination, page_size=50)
def list_meetings(request):
    return _meetings(request.auth)


@router.post("/meetings", response={201: MeetingOut}, summary="Record a dispatch meeting")
@api_permission("dispatch.add_dispatchmeeting")
def record_meeting(request, payload: MeetingIn):

    staff = User.objects.filter(is_active=True).exclude(role=Role.ENTERPRISE)
    data = payload.dict()
    data["chaired_by"] = found(staff, data["chaired_by"], "chaired_by")
    data["attendees"] = [found(staff, pk, "attendees") for pk in data["attendees"]]
    return Status(201, services.meeting_record(by=request.auth, **data))


@router.post(
    "/meetings/{int:pk}/tasks",
    response={201: TaskOut},
    summary="Record a meeting's decision as a task",
)
@api_permission("dispatch.add_dispatchmeeting")
def add_task(request, pk: int, payload: TaskIn):

    meeting = get_object_or_404(_meetings(request.auth), pk=pk)
    data = payload.dict()
    data["owner"] = found(User.objects.all(), data["owner"], "owner")
    kp = data.pop("key_project")
    key_project = found(key_projects_for(request.auth), kp, "key_project") if kp else None
    return Status(
        201,
        services.decision_add(meeting=meeting, by=request.auth, key_project=key_project, **data),
    )


@router.get("/tasks", response=list[TaskOut], summary="Decision tasks")
@api_permission("dispatch.view_decisiontask")
@paginate(Pagination, page_size=50)
def list_tasks(request, open: bool | None = None, owner: Id | None = None):

    queryset = DecisionTask.objects.restrict(request.auth)
    if open is not None:
        queryset = queryset.filter(done_on__isnull=open)
    if owner is not None:
        queryset = queryset.filter(owner_id=owner)
    return queryset


@router.post("/tasks/{int:pk}/done", response=TaskOut, summary="Complete a task")
@api_permission("dispatch.view_decisiontask")
def complete_task(request, pk: int, payload: TaskDoneIn):

    task = get_object_or_404(DecisionTask.objects.restrict(request.auth), pk=pk)
    return services.decision_complete(task=task, by=request.auth, result=payload.result)
