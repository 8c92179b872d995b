"""Platforms and events in the API: platforms with deals, events with their signings, and
recording an on-site signing."""

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from gaoxin.core.permissions import api_permission
from gaoxin.enterprises.models import Enterprise
from gaoxin.platforms import services
from gaoxin.platforms.models import Event, Platform
from gaoxin.projects.models import Project

router = Router(tags=["platforms and events"])


class PlatformOut(Schema):
    id: int
    name: str
    kind: str
    partners: str
    opened_on: dt.date | None
    enterprises_served: list[int]

    @staticmethod
    def resolve_enterprises_served(obj) -> list[int]:
        return [e.pk for e in obj.enterprises_served.all()]


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
    enterprise: int | None = None
    prospective_investor: str = Field("", max_length=200)
    total_investment: Decimal = Field(Decimal(0), ge=0, max_digits=14, decimal_places=2)


class SigningIn(Schema):
    project: int | None = None
    new_project: NewProjectIn | None = None


@router.get("/", response=list[PlatformOut], summary="Innovation platforms")
@api_permission("platforms.view_platform")
def list_platforms(request):
    return Platform.objects.prefetch_related("enterprises_served")


@router.get("/events", response=list[PlatformEventOut], summary="Events and their on-site signings")
@api_permission("platforms.view_event")
def list_events(request):
    return Event.objects.prefetch_related("participants", "signings")


@router.post(
    "/events/{int:pk}/signings", response={201: SigningOut}, summary="Record an on-site signing"
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
