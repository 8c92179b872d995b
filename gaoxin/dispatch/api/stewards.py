"""API of stewards (/api/v1/dispatch/projects/{pk}/…): handing over, the service log."""

import datetime as dt

from ninja import Field, Router, Schema, Status

from gaoxin.accounts.models import User
from gaoxin.core.api_types import Id, IsoDate
from gaoxin.core.permissions import api_permission
from gaoxin.dispatch import services
from gaoxin.dispatch.api.base import found
from gaoxin.projects.selectors import project_get

__all__ = ["router"]


router = Router(tags=["dispatch"])


class HandoverIn(Schema):
    to_steward: Id
    note: str = Field(..., min_length=1)


class HandoverOut(Schema):
    id: int
    project: int = Field(..., alias="project_id")
    from_steward: int | None = Field(None, alias="from_steward_id")
    to_steward: int | None = Field(None, alias="to_steward_id")
    phase: str
    note: str
    at: dt.datetime


class ServiceLogIn(Schema):
    on: IsoDate
    note: str = Field(..., min_length=1)


class ServiceLogOut(Schema):
    id: int
    project: int = Field(..., alias="project_id")
    steward: int = Field(..., alias="steward_id")
    phase: str
    on: dt.date
    note: str


@router.post(
    "/projects/{int:pk}/steward",
    response={201: HandoverOut},
    summary="Hand a project over to another steward",
)
@api_permission("dispatch.add_stewardhandover")
def hand_over(request, pk: int, payload: HandoverIn):

    project = project_get(user=request.auth, pk=pk)
    to_steward = found(User.objects.all(), payload.to_steward, "to_steward")
    return Status(
        201,
        services.steward_change(
            project=project, to_steward=to_steward, by=request.auth, note=payload.note
        ),
    )


@router.get(
    "/projects/{int:pk}/service-log",
    response=list[ServiceLogOut],
    summary="A project's steward service log",
)
@api_permission("dispatch.view_stewardship")
def service_log(request, pk: int):
    return project_get(user=request.auth, pk=pk).service_log.all()[:500]


@router.post(
    "/projects/{int:pk}/service-log",
    response={201: ServiceLogOut},
    summary="Write the steward's service log",
)
@api_permission("dispatch.add_servicelogentry")
def add_service_log(request, pk: int, payload: ServiceLogIn):
    project = project_get(user=request.auth, pk=pk)
    return Status(201, services.service_log_add(project=project, by=request.auth, **payload.dict()))
