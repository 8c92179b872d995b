"""Pages of progress dispatch: periods, who has reported, filing a report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.editing import (
    apply_service_errors,
)
from gaoxin.core.permissions import permission_required
from gaoxin.dispatch import selectors, services
from gaoxin.dispatch.forms import (
    PeriodForm,
    ReportForm,
)
from gaoxin.dispatch.models import (
    DispatchPeriod,
    KeyProject,
)
from gaoxin.dispatch.views.base import key_projects_for

__all__ = [
    "period_detail",
    "period_list",
    "report_file",
]


@permission_required("dispatch.view_dispatchperiod")
def period_list(request):

    form = PeriodForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("dispatch.add_dispatchperiod"):
            raise PermissionDenied
        if form.is_valid():
            try:
                period = services.period_open(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Period opened; the departments have been told."))
                return redirect("dispatch:period", pk=period.pk)
    periods = list(
        DispatchPeriod.objects.restrict(request.user)
        .annotate(filed=Count("reports"))
        .order_by("-start")[:60]
    )
    per_year = dict(
        KeyProject.objects.values("year").annotate(n=Count("id")).values_list("year", "n")
    )
    for period in periods:
        period.expected = per_year.get(period.start.year, 0)
    return render(
        request,
        "dispatch/period_list.html",
        {
            "periods": periods,
            "form": form,
            "can_open": request.user.has_perm("dispatch.add_dispatchperiod"),
        },
        status=400 if form.errors else 200,
    )


@permission_required("dispatch.view_dispatchperiod")
def period_detail(request, pk: int):

    period = get_object_or_404(DispatchPeriod.objects.restrict(request.user), pk=pk)
    reports, missing = selectors.reporting_status(period)
    for kp in missing:
        kp.can_report = request.user.has_perm("dispatch.add_progressreport", kp)
    return render(
        request,
        "dispatch/period_detail.html",
        {"period": period, "reports": reports, "missing": missing, "today": timezone.localdate()},
    )


@permission_required("dispatch.view_dispatchperiod")
def report_file(request, pk: int, key_project_pk: int):

    period = get_object_or_404(DispatchPeriod.objects.restrict(request.user), pk=pk)
    key_project = get_object_or_404(key_projects_for(request.user), pk=key_project_pk)
    if not request.user.has_perm("dispatch.add_progressreport", key_project):
        raise PermissionDenied
    existing = key_project.reports.filter(period=period).first()
    initial = (
        {"done": existing.done, "next": existing.next, "problems": existing.problems}
        if existing
        else {}
    )
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_file(
                period=period, key_project=key_project, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Progress report filed."))
            return redirect("dispatch:period", pk=period.pk)
    return render(
        request,
        "dispatch/simple_form.html",
        {
            "form": form,
            "title": _("Progress report %(period)s") % {"period": period},
            "pretitle": key_project.project.name,
            "back": reverse("dispatch:period", args=[period.pk]),
        },
        status=400 if form.errors else 200,
    )
