"""The case page (办件) that the topic pages share: the cases a user may read, the page itself
(with what each person may do on it, the rating included), and the one way an action of the
page runs — its form checked, its service called, errors and refusals shown as messages on the
page the user returns to. Below filing, intake, decisions, pauses and ratings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from gaoxin.affairs import clocks, services
from gaoxin.affairs.models import Application, ApplicationState, ExclusionKind, RatingLevel
from gaoxin.core.attachments import attachments_of
from gaoxin.core.editing import act_and_return

__all__ = ["act_on_case", "applications", "case_or_404", "rating_context", "render_case"]


def applications(user):
    """The cases the user may read. The clock of each row reads its extension: joined, not
    one query per row; the rows name their items."""
    return (
        Application.objects.restrict(user)
        .select_related("enterprise", "applicant", "extension")
        .prefetch_related("items")
    )


def case_or_404(request, pk: int) -> Application:
    return get_object_or_404(applications(request.user), pk=pk)


def act_on_case(
    request,
    application: Application,
    form: forms.Form | None,
    act: Callable[[dict[str, Any]], object],
):
    """Run one action of the case page: ``act(cleaned_data)`` calls the service once the form
    is valid; the form's errors and the service's refusal become messages on the case page."""
    return act_and_return(
        request, form, act, back=reverse("affairs:application", args=[application.pk])
    )


RATING_LEVELS = RatingLevel.choices


def rating_context(application: Application, user) -> dict:
    """What the case page needs for rating: the rating, or the form while it may be given."""
    rating = getattr(application, "rating", None)
    return {
        "rating": rating,
        "can_rate": rating is None
        and application.state == "closed"
        and user.has_perm("affairs.rate_application", application),
        "rating_due": services.rating_due(application),
        "rating_levels": RATING_LEVELS,
    }


def render_case(request, application, *, rating_form: dict | None = None, status: int = 200):
    """The case page; after a refused rating, with the rater's choice and words kept."""
    user = request.user
    reviews = list(application.reviews.select_related("department", "decided_by"))
    for review in reviews:
        review.mine = user.has_perm("affairs.review_application", review)
        review.clock = clocks.review_clock(review, application)
    items = list(application.items.select_related("department").prefetch_related("materials"))
    materials = [m for i in items for m in i.materials.all()]
    handed_in: dict[int, list] = {}
    for case_material in application.case_materials.select_related("attachment"):
        handed_in.setdefault(case_material.material_id, []).append(case_material.attachment)
    for material in materials:
        material.files = handed_in.get(material.pk, [])
    commitment = getattr(application, "commitment", None)
    is_applicant = user.has_perm("affairs.supply_application", application)
    is_window = user.has_perm("affairs.accept_application", application)
    commitment_open = (
        commitment is not None and commitment.fulfilled_at is None and commitment.unmet_at is None
    )
    open_supplements = list(
        application.supplements.filter(supplied_at__isnull=True).select_related(
            "review__department"
        )
    )
    return render(
        request,
        "affairs/application_detail.html",
        {
            **rating_context(application, user),
            "agent_id": application.authorization.agent_id if application.authorization else None,
            "case": application,
            "clock": clocks.clock(application),
            "legal_deadline": clocks.legal_deadline(application),
            "items": items,
            "reviews": reviews,
            "steps": application.steps.select_related("by__department"),
            "files": attachments_of(application),
            "exclusions": application.exclusions.all(),
            "exclusion_kinds": ExclusionKind.choices,
            "extension": getattr(application, "extension", None),
            "can_extend": application.state == ApplicationState.UNDER_REVIEW
            and not hasattr(application, "extension")
            and (
                user.role in ("admin", "leader")
                or any(i.department.head_id == user.pk for i in items)
            ),
            "can_exclude": application.state == ApplicationState.UNDER_REVIEW
            and (is_window or any(r.mine for r in reviews)),
            "materials": materials,
            "is_draft": application.state == ApplicationState.DRAFT,
            "can_submit": application.state == ApplicationState.DRAFT
            and user.has_perm("affairs.submit_application", application),
            "can_upload": is_applicant
            and application.state not in (ApplicationState.CLOSED, ApplicationState.REJECTED),
            "deficiency_requested": {m.pk for m in application.deficiency_requested.all()},
            "supplements": application.supplements.all(),
            "open_supplements": open_supplements,
            "commitment": commitment,
            "waivable": [m for m in materials if not m.essential],
            "can_accept": application.state == ApplicationState.SUBMITTED and is_window,
            "can_close": application.state in (ApplicationState.APPROVED, ApplicationState.REJECTED)
            and is_window,
            "can_supply": bool(open_supplements)
            and application.state in (ApplicationState.SUBMITTED, ApplicationState.UNDER_REVIEW)
            and is_applicant,
            "intake_notice_due": services.intake_notice_due(application.submitted_at)
            if application.state == ApplicationState.SUBMITTED
            else None,
            "intake_notice": application.supplements.filter(review__isnull=True).first(),
            "intake_open": application.supplements.filter(
                review__isnull=True, supplied_at__isnull=True
            ).exists(),
            # The applicant (or, for a case filed at the window, the clerk with the papers).
            "can_supply_commitment": commitment_open
            and not commitment.supplied_at
            and is_applicant,
            "can_check_commitment": commitment_open and commitment.supplied_at and is_window,
            "rating_form": rating_form or {},
            # Who in a department decided is the zone's business; the applicant sees the
            # department and its reasons.
            "show_reviewers": user.role not in ("enterprise", "agent"),
        },
        status=status,
    )
