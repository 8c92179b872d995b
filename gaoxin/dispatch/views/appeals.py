"""Pages of appeals (诉求直达): the list with its figures and export, raising one (an
enterprise on its phone, staff recording a call, a visit or a 12345 transfer), and the
enterprise's evaluation. An appeal's page is the problem page (``dispatch:problem``): one
workflow for both."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.core.editing import apply_service_errors, refusal_page, report_form_errors
from gaoxin.core.excel import xlsx_response
from gaoxin.core.params import date_or_none
from gaoxin.core.permissions import permission_required
from gaoxin.dispatch import exports, lights, selectors, services
from gaoxin.dispatch.appeal_forms import AppealFilter, AppealForm, EvaluateForm, StaffAppealForm
from gaoxin.dispatch.models import Problem
from gaoxin.enterprises.models import Enterprise

__all__ = ["appeal_evaluate", "appeal_export", "appeal_figures", "appeal_list", "appeal_raise"]


@permission_required("dispatch.view_problem")
def appeal_list(request):
    filterset = AppealFilter(request.GET, queryset=selectors.appeals_for(request.user))
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    for appeal in page:
        appeal.light = lights.problem_light(appeal)
    return render(
        request,
        "dispatch/appeal_list.html",
        {
            "filter": filterset,
            "page": page,
            "can_raise": request.user.has_perm("dispatch.add_appeal"),
            "figures": selectors.appeal_figures(filterset.qs)
            if request.user.is_zone_staff
            else None,
        },
    )


@permission_required("dispatch.view_internal")
def appeal_export(request):
    rows = AppealFilter(request.GET, queryset=selectors.appeals_for(request.user)).qs
    return xlsx_response(*exports.appeals_workbook(rows))


@permission_required("dispatch.view_internal")
def appeal_figures(request):
    start, end = date_or_none(request.GET.get("start")), date_or_none(request.GET.get("end"))
    figures = selectors.appeal_figures(start=start, end=end)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(*exports.appeal_figures_workbook(figures))
    return render(
        request, "dispatch/appeal_figures.html", {"figures": figures, "start": start, "end": end}
    )


@permission_required("dispatch.add_appeal")
def appeal_raise(request):
    user = request.user
    staff = user.enterprise_id is None
    form_class = StaffAppealForm if staff else AppealForm
    initial = {"enterprise": request.GET.get("enterprise")} if staff else {}
    form = form_class(request.POST or None, initial=initial)
    enterprise = None
    if staff:
        pk = form.data.get("enterprise") or request.GET.get("enterprise")
        enterprise = Enterprise.objects.filter(pk=pk).first() if str(pk or "").isdigit() else None
        if enterprise is None:
            return render(
                request,
                "dispatch/appeal_pick.html",
                {"enterprises": Enterprise.objects.order_by("name")[:200]},
            )
    else:
        enterprise = user.enterprise
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "enterprise"}
        try:
            appeal = services.appeal_raise(enterprise=enterprise, by=user, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied as error:
            return refusal_page(request, error)
        else:
            messages.success(request, _("Your appeal was submitted."))
            return redirect("dispatch:problem", pk=appeal.pk)
    return render(
        request,
        "dispatch/appeal_form.html",
        {"form": form, "enterprise": enterprise},
        status=400 if form.errors else 200,
    )


@require_POST
@permission_required("dispatch.view_problem")
def appeal_evaluate(request, pk: int):
    appeal = get_object_or_404(
        Problem.objects.restrict(request.user, "view").filter(project__isnull=True), pk=pk
    )
    form = EvaluateForm(request.POST)
    if form.is_valid():
        try:
            services.appeal_evaluate(appeal=appeal, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            report_form_errors(request, form, error)
        except PermissionDenied as error:
            return refusal_page(request, error)
        else:
            messages.success(request, _("Thank you for your evaluation."))
    else:
        report_form_errors(request, form)
    return redirect("dispatch:problem", pk=appeal.pk)
