"""Decisions in the API: a department's decision in the parallel review, the committed
(容缺) materials handed in and checked."""

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from gaoxin.affairs import services
from gaoxin.affairs.api.filing import ApplicationOut, applications
from gaoxin.affairs.models import Review
from gaoxin.core.permissions import api_permission

__all__ = [
    "CommitmentCheckIn",
    "DecisionIn",
    "router",
]

router = Router(tags=["government services"])


class DecisionIn(Schema):
    decision: str = Field(..., pattern="^(approved|rejected|supplement)$")
    reasons: str = ""


class CommitmentCheckIn(Schema):
    accept: bool
    reasons: str = Field("", max_length=2000)


@router.post(
    "/applications/{int:pk}/reviews/{int:review_pk}",
    response=ApplicationOut,
    summary="A department's decision in the parallel review",
)
@api_permission("affairs.view_application")
def decide_review(request, pk: int, review_pk: int, payload: DecisionIn):
    application = get_object_or_404(applications(request.auth), pk=pk)
    review = get_object_or_404(Review.objects.filter(application=application), pk=review_pk)
    services.review_decide(
        review=review, by=request.auth, decision=payload.decision, reasons=payload.reasons
    )
    return applications(request.auth).get(pk=pk)


@router.post(
    "/applications/{int:pk}/commitment/supply",
    response=ApplicationOut,
    summary="The committed (容缺) materials are handed in, for the window to check",
)
@api_permission("affairs.supply_application")
def commitment_supply(request, pk: int):
    application = get_object_or_404(applications(request.auth), pk=pk)
    services.commitment_supply(application=application, by=request.auth)
    return applications(request.auth).get(pk=pk)


@router.post(
    "/applications/{int:pk}/commitment/check",
    response=ApplicationOut,
    summary="The window accepts the committed materials or returns them with reasons",
)
@api_permission("affairs.accept_application")
def commitment_check(request, pk: int, payload: CommitmentCheckIn):
    application = get_object_or_404(applications(request.auth), pk=pk)
    services.commitment_check(
        application=application, by=request.auth, accept=payload.accept, reasons=payload.reasons
    )
    return applications(request.auth).get(pk=pk)
