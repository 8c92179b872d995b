"""API of 1+N service matters (/api/v1/dispatch/matters…)."""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from gaoxin.accounts.models import Department
from gaoxin.core.api_types import Id, IsoDate, Pagination
from gaoxin.core.permissions import api_permission
from gaoxin.dispatch import lights, services
from gaoxin.dispatch.api.base import found, key_projects_for
from gaoxin.dispatch.models import (
    ServiceMatter,
)

__all__ = ["router"]


router = Router(tags=["dispatch"])


class MatterPartOut(Schema):
    id: int
    department: int = Field(..., alias="department_id")
    task: str
    done_on: dt.date | None


class MatterOut(Schema):
    id: int
    key_project: int = Field(..., alias="key_project_id")
    title: str
    mode: str
    description: str
    deadline: dt.date
    state: str
    done_on: dt.date | None
    parts: list[MatterPartOut]
    light: str

    @staticmethod
    def resolve_parts(obj):
        return list(obj.parts.all())

    @staticmethod
    def resolve_light(obj) -> str:

        return lights.matter_light(obj, timezone.localdate())


class MatterIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    mode: str = Field(..., pattern="^(escort|supervise|joint)$")
    deadline: IsoDate
    departments: list[Id] = Field(..., min_length=1, max_length=20)
    description: str = ""


def _matters(user):

    return ServiceMatter.objects.restrict(user, "view").prefetch_related("parts")


@router.get("/matters", response=list[MatterOut], summary="Service matters (1+N)")
@api_permission("dispatch.view_servicematter")
@paginate(Pagination, page_size=50)
def list_matters(request, key_project: Id | None = None, state: str | None = None):
    queryset = _matters(request.auth)
    if key_project is not None:
        queryset = queryset.filter(key_project_id=key_project)
    if state in ("open", "done"):
        queryset = queryset.filter(state=state)
    return queryset


@router.post(
    "/key-projects/{int:pk}/matters",
    response={201: MatterOut},
    summary="Open a service matter for a key project",
)
@api_permission("dispatch.view_keyproject")
def add_matter(request, pk: int, payload: MatterIn):

    key_project = get_object_or_404(key_projects_for(request.auth), pk=pk)
    active = Department.objects.filter(is_active=True)
    data = payload.dict()
    parts = [(found(active, d, "departments"), "") for d in data.pop("departments")]
    return Status(
        201, services.matter_add(key_project=key_project, by=request.auth, parts=parts, **data)
    )


class MatterActionIn(Schema):
    note: str = Field(..., min_length=1)
    part: Id | None = None
    part_done: bool = False


@router.post(
    "/matters/{int:pk}/actions",
    response=MatterOut,
    summary="Log an action on a matter (and mark a department's part done)",
)
@api_permission("dispatch.view_servicematter")
def act_on_matter(request, pk: int, payload: MatterActionIn):
    matter = get_object_or_404(_matters(request.auth), pk=pk)
    part = found(matter.parts.all(), payload.part, "part") if payload.part is not None else None
    return services.matter_act(
        matter=matter, by=request.auth, note=payload.note, part=part, part_done=payload.part_done
    )
