"""Pages of ratings (好差评): rating a closed case (on its page), the ratings, and a bad
rating's remediation with one URL each for the department's reply and the return visit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.affairs import services
from gaoxin.affairs.forms import RatingForm, RemediationReplyForm, RemediationVisitForm
from gaoxin.affairs.models import Application, Rating, Remediation
from gaoxin.affairs.views.case_page import render_case
from gaoxin.core.editing import act_and_return, report_refusal
from gaoxin.core.permissions import permission_required

__all__ = [
    "application_rate",
    "rating_list",
    "remediation_detail",
    "remediation_reply",
    "remediation_visit",
]


@require_POST
@permission_required("affairs.rate_application")
def application_rate(request, pk: int):
    application = get_object_or_404(Application.objects.restrict(request.user), pk=pk)
    form = RatingForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        services.rating_give(
            application=application,
            by=request.user,
            level=form.cleaned_data["level"],
            reasons=form.cleaned_data["reasons"],
        )
    except ValidationError as error:
        # Shown again with what the rater chose and wrote, so nothing has to be redone.
        report_refusal(request, error)
        return render_case(
            request,
            application,
            rating_form={
                "level": form.cleaned_data.get("level"),
                "reasons": form.cleaned_data.get("reasons", ""),
            },
            status=400,
        )
    except PermissionDenied as error:
        report_refusal(request, error)
    else:
        messages.success(request, _("Thank you for your rating."))
    return redirect("affairs:application", pk=pk)


@permission_required("affairs.view_rating")
def rating_list(request):
    ratings = Rating.objects.select_related(
        "application__enterprise", "remediation__department"
    ).prefetch_related("application__items")
    if request.user.role == "enterprise":
        ratings = ratings.filter(application__enterprise_id=request.user.enterprise_id)
    if request.GET.get("bad"):
        ratings = ratings.filter(level__lte=2)
    page = Paginator(ratings, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "affairs/rating_list.html",
        {"page": page, "bad": bool(request.GET.get("bad")), "today": timezone.localdate()},
    )


def _remediation(request, pk: int) -> Remediation:
    return get_object_or_404(
        Remediation.objects.restrict(request.user).select_related(
            "rating__application__enterprise", "department", "replied_by", "visited_by"
        ),
        pk=pk,
    )


@permission_required("affairs.view_remediation")
def remediation_detail(request, pk: int):
    remediation = _remediation(request, pk)
    return render(
        request,
        "affairs/remediation_detail.html",
        {
            "r": remediation,
            "can_act": request.user.has_perm("affairs.remedy_rating", remediation),
            "today": timezone.localdate(),
        },
    )


def _act(request, remediation: Remediation, form, act):
    return act_and_return(
        request, form, act, back=reverse("affairs:remediation", args=[remediation.pk])
    )


@require_POST
@permission_required("affairs.view_remediation")
def remediation_reply(request, pk: int):
    """The department's reply and measures."""
    remediation = _remediation(request, pk)
    return _act(
        request,
        remediation,
        RemediationReplyForm(request.POST),
        lambda data: services.remediation_reply(
            remediation=remediation, by=request.user, reply=data["reply"]
        ),
    )


@require_POST
@permission_required("affairs.view_remediation")
def remediation_visit(request, pk: int):
    """The return visit after the reply."""
    remediation = _remediation(request, pk)
    return _act(
        request,
        remediation,
        RemediationVisitForm(request.POST),
        lambda data: services.remediation_visit(
            remediation=remediation, by=request.user, notes=data["return_visit"]
        ),
    )
