"""Ratings (好差评) in the API: rating a closed case, the remediations of bad ratings with
the department's reply and the return visit."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from gaoxin.affairs import services
from gaoxin.affairs.api.filing import applications
from gaoxin.affairs.models import Remediation
from gaoxin.core.api_types import Pagination
from gaoxin.core.permissions import api_permission

__all__ = [
    "RatingIn",
    "RatingOut",
    "RemediationIn",
    "RemediationOut",
    "router",
]

router = Router(tags=["government services"])


class RatingIn(Schema):
    level: int = Field(..., ge=1, le=5)
    reasons: str = Field("", max_length=2000)


class RemediationOut(Schema):
    id: int
    application: int
    level: int
    reasons: str
    department: int = Field(..., alias="department_id")
    due_on: dt.date
    reply: str
    replied_at: dt.datetime | None
    return_visit: str
    visited_at: dt.datetime | None

    @staticmethod
    def resolve_application(obj) -> int:
        return obj.rating.application_id

    @staticmethod
    def resolve_level(obj) -> int:
        return obj.rating.level

    @staticmethod
    def resolve_reasons(obj) -> str:
        return obj.rating.reasons


class RatingOut(Schema):
    application: int = Field(..., alias="application_id")
    level: int
    reasons: str
    defaulted: bool
    rated_at: dt.datetime
    remediation: int | None

    @staticmethod
    def resolve_remediation(obj) -> int | None:
        remediation = getattr(obj, "remediation", None)
        return remediation.pk if remediation else None


@router.post(
    "/applications/{int:pk}/rating",
    response={201: RatingOut},
    summary="Rate a closed case (好差评)",
)
@api_permission("affairs.rate_application")
def rate(request, pk: int, payload: RatingIn):
    application = get_object_or_404(applications(request.auth), pk=pk)
    rating = services.rating_give(
        application=application, by=request.auth, level=payload.level, reasons=payload.reasons
    )
    return Status(201, rating)


class RemediationIn(Schema):
    text: str = Field(..., max_length=4000)


def _remediations(user):
    return Remediation.objects.restrict(user).select_related("rating")


@router.get("/remediations", response=list[RemediationOut], summary="Remediations of bad ratings")
@api_permission("affairs.view_remediation")
@paginate(Pagination, page_size=50)
def list_remediations(request):
    return _remediations(request.auth)


@router.post(
    "/remediations/{int:pk}/reply", response=RemediationOut, summary="The department's reply"
)
@api_permission("affairs.view_remediation")
def remediation_reply(request, pk: int, payload: RemediationIn):
    remediation = get_object_or_404(_remediations(request.auth), pk=pk)
    services.remediation_reply(remediation=remediation, by=request.auth, reply=payload.text)
    return _remediations(request.auth).get(pk=pk)


@router.post("/remediations/{int:pk}/visit", response=RemediationOut, summary="The return visit")
@api_permission("affairs.view_remediation")
def remediation_visit(request, pk: int, payload: RemediationIn):
    remediation = get_object_or_404(_remediations(request.auth), pk=pk)
    services.remediation_visit(remediation=remediation, by=request.auth, notes=payload.text)
    return _remediations(request.auth).get(pk=pk)
