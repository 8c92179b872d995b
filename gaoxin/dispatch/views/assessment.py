"""Pages of the assessment: the ranking, the records behind a number, the weights."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import Department, User
from gaoxin.core.editing import (
    apply_service_errors,
)
from gaoxin.core.params import int_or_none
from gaoxin.core.permissions import permission_required
from gaoxin.dispatch import selectors, services
from gaoxin.dispatch.forms import (
    WeightsForm,
)
from gaoxin.dispatch.models import (
    Indicator,
)
from gaoxin.projects.stats import Period

__all__ = [
    "assessment",
    "assessment_records",
    "assessment_weights",
]


def _period(request):
    """The period of the request (?start=&end=), this year to date by default."""

    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("start") or f"{today.year}-01-01")
        end = dt.date.fromisoformat(request.GET.get("end") or today.isoformat())
        return Period(start, end)
    except ValueError:
        return Period(dt.date(today.year, 1, 1), today)


@permission_required("dispatch.view_assessment")
def assessment(request):

    period = _period(request)
    by = "steward" if request.GET.get("by") == "steward" else "department"
    rows = selectors.assessment(period, by)
    for row in rows:
        row.cells = [(k, row.values[k]) for k in Indicator.values]
    weights = selectors.assessment_weights()
    return render(
        request,
        "dispatch/assessment.html",
        {
            "period": period,
            "by": by,
            "rows": rows,
            "indicators": [(v, label, weights[v]) for v, label in Indicator.choices],
            "can_weigh": request.user.has_perm("dispatch.change_assessmentweight"),
        },
    )


@permission_required("dispatch.view_assessment")
def assessment_records(request):
    """The records behind one number of the assessment."""

    period = _period(request)
    by = "steward" if request.GET.get("by") == "steward" else "department"
    indicator, key = request.GET.get("indicator"), int_or_none(request.GET.get("key"))
    if indicator not in Indicator.values or key is None:
        raise Http404
    return render(
        request,
        "dispatch/assessment_records.html",
        {
            "period": period,
            "by": by,
            "indicator": Indicator(indicator),
            "records": selectors.assessment_records(indicator, period, by, key),
            "unit": _unit_label(by, key),
        },
    )


def _unit_label(by, key):

    model = Department if by == "department" else User
    return model.objects.filter(pk=key).first() or "—"


@permission_required("dispatch.change_assessmentweight")
def assessment_weights(request):

    form = WeightsForm(request.POST or None, initial=selectors.assessment_weights())
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_weights_set(by=request.user, weights=form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Weights saved."))
            return redirect("dispatch:assessment")
    return render(
        request,
        "dispatch/simple_form.html",
        {
            "form": form,
            "title": _("Assessment weights"),
            "back": reverse("dispatch:assessment"),
        },
        status=400 if form.errors else 200,
    )
