"""Events in the API: events with their signings, registering an event, its participants, and
recording an on-site signing (a project in the register or a new one)."""

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from gaoxin.core.api_forms import clean_with
from gaoxin.core.api_types import Id, IsoDate
from gaoxin.core.permissions import api_permission
from gaoxin.enterprises.models import Enterprise
from gaoxin.platforms import services
from gaoxin.platforms.forms import EventForm, ParticipantsForm
from gaoxin.platforms.models import Event, EventKind
from gaoxin.projects.models import Project

__all__ = ["router"]

router = Router(tags=["platforms and events"])


class SigningOut(Schema):
    project: int = Field(..., alias="project_id")
    signed_by: int = Field(..., alias="signed_by_id")


class PlatformEventOut(Schema):
    id: int
    name: str
    kind: str
    held_on: dt.date
    venue: str
    organiser: int = Field(..., alias="organiser_id")
    participants: list[int]
    signings: list[SigningOut]

    @staticmethod
    def resolve_participants(obj) -> list[int]:
        return [e.pk for e in obj.participants.all()]

    @staticmethod
    def resolve_signings(obj):
        return list(obj.signings.all())


class NewProjectIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    enterprise: Id | None = None
    prospective_investor: str = Field("", max_length=200)
    total_investment: Decimal = Field(Decimal(0), ge=0, max_digits=14, decimal_places=2)


class SigningIn(Schema):
    project: Id | None = None
    new_project: NewProjectIn | None = None


@router.get("/events", response=list[PlatformEventOut], summary="Events and their on-site signings")
@api_permission("platforms.view_event")
def list_events(request):
    return Event.objects.prefetch_related("participants", "signings")


@router.post(
    "/events/{int:pk}/signings",
    response={201: SigningOut},
    summary="Record an on-site signing (现场签约)",
)
@api_permission("platforms.add_signing")
def sign(request, pk: int, payload: SigningIn):
    event = get_object_or_404(Event, pk=pk)
    project = (
        get_object_or_404(Project.objects.restrict(request.auth), pk=payload.project)
        if payload.project
        else None
    )
    new_project = None
    if payload.new_project is not None:
        data = payload.new_project
        new_project = {
            "name": data.name,
            "prospective_investor": data.prospective_investor,
            "total_investment": data.total_investment,
            "enterprise": get_object_or_404(Enterprise, pk=data.enterprise)
            if data.enterprise
            else None,
        }
    signing = services.signing_record(
        event=event, by=request.auth, project=project, new_project=new_project
    )
    return Status(201, signing)


class EventIn(Schema):
    name: str = Field(..., max_length=150)
    kind: EventKind
    held_on: IsoDate
    venue: str = Field("", max_length=150)
    organiser: Id | None = Field(None, description="The organising department; yours if left out")


class ParticipantsIn(Schema):
    enterprises: list[Id] = Field(..., min_length=1, max_length=500)


@router.post("/events", response={201: PlatformEventOut}, summary="Register an event (登记活动)")
@api_permission("platforms.change_event")
def event_create(request, payload: EventIn):
    data = {**clean_with(EventForm, payload)}
    data["organiser"] = data["organiser"] or request.auth.department
    event = services.event_create(by=request.auth, data=data)
    return Status(201, event)


@router.post(
    "/events/{int:pk}/participants",
    response=PlatformEventOut,
    summary="Add participating enterprises to an event (添加参会企业)",
)
@api_permission("platforms.change_event")
def event_participants(request, pk: int, payload: ParticipantsIn):
    event = get_object_or_404(Event, pk=pk)
    data = clean_with(ParticipantsForm, payload)
    return services.participants_add(event=event, enterprises=data["enterprises"], by=request.auth)
