"""Decisions on the case page, one URL per action — a department's decision in the parallel
review, the committed materials handed in and checked, closing — and the review queue."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_POST

from gaoxin.affairs import clocks, selectors, services
from gaoxin.affairs.forms import CommitmentCheckForm, CommitmentSupplyForm, ReviewDecisionForm
from gaoxin.affairs.views.case_page import act_on_case, case_or_404
from gaoxin.core.permissions import permission_required

__all__ = [
    "application_close",
    "application_commitment_check",
    "application_commitment_supply",
    "application_review",
    "review_queue",
]


@require_POST
@permission_required("affairs.view_application")
def application_review(request, pk: int):
    """A department approves, rejects or asks for supplements."""
    application = case_or_404(request, pk)
    form = ReviewDecisionForm(request.POST, application=application)
    return act_on_case(
        request,
        application,
        form,
        lambda data: services.review_decide(
            review=data["review"],
            by=request.user,
            decision=data["decision"],
            reasons=data["reasons"],
        ),
    )


@require_POST
@permission_required("affairs.view_application")
def application_commitment_supply(request, pk: int):
    application = case_or_404(request, pk)
    form = CommitmentSupplyForm(request.POST)
    return act_on_case(
        request,
        application,
        form,
        lambda data: services.commitment_supply(
            application=application, by=request.user, note=data["note"]
        ),
    )


@require_POST
@permission_required("affairs.view_application")
def application_commitment_check(request, pk: int):
    application = case_or_404(request, pk)
    form = CommitmentCheckForm(request.POST)
    return act_on_case(
        request,
        application,
        form,
        lambda data: services.commitment_check(
            application=application,
            by=request.user,
            accept=data["verdict"] == "accept",
            reasons=data["reasons"],
        ),
    )


@require_POST
@permission_required("affairs.view_application")
def application_close(request, pk: int):
    application = case_or_404(request, pk)
    return act_on_case(
        request,
        application,
        None,
        lambda data: services.application_close(application=application, by=request.user),
    )


@permission_required("affairs.view_review_queue")
def review_queue(request):
    """Open reviews, soonest deadline first, each with its department's own clock: a
    department sees its own; the window, leaders and administrators every department's."""
    show = request.GET.get("show", "")
    show = show if show in selectors.REVIEW_VIEWS else ""
    everyone = request.user.role in ("admin", "leader", "clerk")
    reviews = list(
        selectors.review_queue_for(request.user, show=show)
        .select_related("application__enterprise", "application__extension", "department")
        .prefetch_related("application__items")
        .order_by("deadline")[:200]
    )
    for review in reviews:
        review.clock = clocks.review_clock(review, review.application)
    return render(
        request,
        "affairs/review_queue.html",
        {"reviews": reviews, "every_department": everyone, "show": show},
    )
