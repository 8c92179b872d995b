"""Pages of pre-review (预审): the list with the request form, a pre-review with its
opinions, and one URL each for a department's opinion and the lead's conclusion."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.accounts.models import Department
from gaoxin.affairs import services
from gaoxin.affairs.forms import ConclusionForm, OpinionForm, PreReviewForm
from gaoxin.affairs.models import PreReview, ServiceItem
from gaoxin.core.editing import act_and_return
from gaoxin.core.permissions import permission_required
from gaoxin.enterprises.models import Enterprise

__all__ = ["pre_review_conclude", "pre_review_detail", "pre_review_list", "pre_review_opinion"]


@permission_required("affairs.view_prereview")
def pre_review_list(request):
    """Pre-reviews (预审) the user may see; the enterprise (or the window) asks for one."""
    user = request.user
    enterprises = (
        Enterprise.objects.filter(pk=user.enterprise_id)
        if user.role == "enterprise"
        else Enterprise.objects.order_by("name")
    )
    items = ServiceItem.objects.active().order_by("code")
    departments = Department.objects.filter(is_active=True)
    form = PreReviewForm(
        request.POST or None, enterprises=enterprises, items=items, departments=departments
    )
    error = None
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            data = form.cleaned_data
            pre_review = services.pre_review_request(
                enterprise=data["enterprise"],
                items=data["items"],
                departments=data["departments"],
                question=data["question"],
                by=user,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        except PermissionDenied:
            error = _("You may not ask for this enterprise.")
        else:
            return redirect("affairs:pre_review", pk=pre_review.pk)
    return render(
        request,
        "affairs/pre_review_list.html",
        {
            "pre_reviews": PreReview.objects.restrict(user).select_related(
                "enterprise", "lead_department"
            )[:100],
            "can_ask": user.has_perm("affairs.add_application"),
            "enterprises": enterprises,
            "items": items,
            "departments": departments,
            "error": error,
        },
        status=400 if error else 200,
    )


def _pre_review(request, pk: int) -> PreReview:
    return get_object_or_404(PreReview.objects.restrict(request.user), pk=pk)


@permission_required("affairs.view_prereview")
def pre_review_detail(request, pk: int):
    pre_review = _pre_review(request, pk)
    return render(
        request,
        "affairs/pre_review_detail.html",
        {
            "pre": pre_review,
            "opinions": pre_review.opinions.select_related("department", "by"),
            "consulted": pre_review.departments.all(),
            "items": pre_review.items.all(),
        },
    )


def _act(request, pre_review: PreReview, form, act):
    return act_and_return(
        request, form, act, back=reverse("affairs:pre_review", args=[pre_review.pk])
    )


@require_POST
@permission_required("affairs.view_prereview")
def pre_review_opinion(request, pk: int):
    """A consulted (or the lead) department's opinion."""
    pre_review = _pre_review(request, pk)
    return _act(
        request,
        pre_review,
        OpinionForm(request.POST),
        lambda data: services.pre_review_opinion(
            pre_review=pre_review, by=request.user, opinion=data["opinion"]
        ),
    )


@require_POST
@permission_required("affairs.view_prereview")
def pre_review_conclude(request, pk: int):
    """The lead department's conclusion, once every consulted department has spoken."""
    pre_review = _pre_review(request, pk)
    return _act(
        request,
        pre_review,
        ConclusionForm(request.POST),
        lambda data: services.pre_review_conclude(
            pre_review=pre_review, by=request.user, conclusion=data["conclusion"]
        ),
    )
