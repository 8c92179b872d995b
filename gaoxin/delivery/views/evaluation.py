"""Pages of the per-mu evaluation: the years and their versions, computing a draft or a
correction, publishing and freezing, the results with Excel, the printable per-enterprise
report, the admin's rules of a year, and the shares of a shared plot."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.core.editing import apply_service_errors, refusal_page, report_refusal
from gaoxin.core.excel import xlsx_response
from gaoxin.core.permissions import permission_required
from gaoxin.delivery import exports, scoring, selectors, services
from gaoxin.delivery.forms import (
    ComputeForm,
    IndicatorFormSet,
    ScoreFilterForm,
    SharesForm,
    YearForm,
    plot_model,
)
from gaoxin.delivery.models import EvaluationStatus, EvaluationYear, Klass, LandShare

PAGE_SIZE = 50


@permission_required("delivery.view_evaluation")
def evaluation_home(request):
    user = request.user
    last_year = timezone.localdate().year - 1
    return render(
        request,
        "delivery/evaluations.html",
        {
            "evaluations": selectors.evaluations(user),
            "years": EvaluationYear.objects.all()[:10],
            "compute_form": ComputeForm(initial={"year": last_year}),
            "can_change": user.has_perm("delivery.change_evaluation"),
            "can_set": user.has_perm("delivery.change_evaluationyear"),
            "last_year": last_year,
        },
    )


@require_POST
@permission_required("delivery.change_evaluation")
def evaluation_compute(request):
    form = ComputeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a year between 2000 and 2100."))
        return redirect("delivery:evaluations")
    try:
        evaluation = services.evaluation_compute(
            year=form.cleaned_data["year"], reason=form.cleaned_data["reason"], by=request.user
        )
    except (ValidationError, PermissionDenied) as error:
        report_refusal(request, error)
        return redirect("delivery:evaluations")
    messages.success(request, _("Draft computed."))
    return redirect("delivery:evaluation", pk=evaluation.pk)


def _scores(request, evaluation):
    form = ScoreFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = selectors.scores(
        request.user, evaluation, klass=data.get("klass") or "", q=data.get("q") or ""
    )
    return form, qs


@permission_required("delivery.view_evaluation")
def evaluation_detail(request, pk: int):
    evaluation = get_object_or_404(selectors.evaluations(request.user), pk=pk)
    form, qs = _scores(request, evaluation)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    staff = request.user.is_zone_staff
    context = {
        "evaluation": evaluation,
        "filter": {"form": form},
        "page": page,
        "distribution": selectors.distribution(evaluation) if staff else None,
        "tax_per_mu": selectors.tax_per_mu(evaluation) if staff else None,
        "versions": selectors.corrections(evaluation) if staff else [],
        "can_change": request.user.has_perm("delivery.change_evaluation"),
        "statuses": EvaluationStatus,
    }
    template = (
        "delivery/partials/score_rows.html" if request.htmx else "delivery/evaluation_detail.html"
    )
    return render(request, template, context)


@require_POST
@permission_required("delivery.change_evaluation")
def evaluation_act(request, pk: int, action: str):
    evaluation = get_object_or_404(selectors.evaluations(request.user), pk=pk)
    act = {"publish": services.evaluation_publish, "freeze": services.evaluation_freeze}.get(action)
    if act is None:
        raise Http404
    try:
        act(evaluation=evaluation, by=request.user)
    except PermissionDenied as error:
        return refusal_page(request, error)
    except ValidationError as error:
        report_refusal(request, error)
    else:
        messages.success(request, _("Done."))
    return redirect("delivery:evaluation", pk=pk)


@permission_required("delivery.view_evaluation")
def evaluation_export(request, pk: int):
    evaluation = get_object_or_404(selectors.evaluations(request.user), pk=pk)
    _form, qs = _scores(request, evaluation)
    return xlsx_response(*exports.evaluation_workbook(evaluation, qs))


@permission_required("delivery.view_evaluation")
def evaluation_report(request, pk: int, enterprise: int):
    evaluation = get_object_or_404(selectors.evaluations(request.user), pk=pk)
    score = get_object_or_404(selectors.scores(request.user, evaluation), enterprise_id=enterprise)
    return render(
        request,
        "delivery/report.html",
        {
            "evaluation": evaluation,
            "score": score,
            "rules": evaluation.rules,
            "history": selectors.class_history(request.user, score.enterprise),
            "klass": Klass,
        },
    )


def _indicator_initial(setting):
    return [
        {
            "code": i.code,
            "name": i.name,
            "numerator": i.numerator,
            "denominator": i.denominator,
            "scale": i.scale,
            "unit": i.unit,
            "weight": i.weight,
            "benchmark": i.benchmark,
        }
        for i in setting.indicators.all()
    ]


RULE_FIELDS = ("cut_a", "cut_b", "cut_c", "cap", "min_years", "source")
INDICATOR_FIELDS = (
    "code",
    "name",
    "numerator",
    "denominator",
    "scale",
    "unit",
    "weight",
    "benchmark",
)


def _rules_initial(year: int):
    """What the rules form starts from: the year as set, else the year before, else the
    documented defaults (shown, not saved, until the admin saves)."""
    setting = EvaluationYear.objects.filter(year__lte=year).order_by("-year").first()
    if setting is not None:
        return {k: getattr(setting, k) for k in RULE_FIELDS}, _indicator_initial(setting)
    initial = {**scoring.DEFAULT_CUTS, "cap": 2, "min_years": 2, "source": scoring.DEFAULT_SOURCE}
    indicators = [
        dict(zip(INDICATOR_FIELDS, row, strict=True)) for row in scoring.DEFAULT_INDICATORS
    ]
    return initial, indicators


@permission_required("delivery.change_evaluationyear")
def evaluation_rules(request, year: int):
    if not 2000 <= year <= 2100:
        raise Http404
    setting = EvaluationYear.objects.filter(year=year).first()
    initial, indicators = _rules_initial(year)
    form = YearForm(request.POST or None, initial=initial)
    formset = IndicatorFormSet(request.POST or None, initial=indicators, prefix="ind")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = [
            f.cleaned_data
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            services.evaluation_year_set(
                year=year,
                indicators=[{k: v for k, v in r.items() if k != "DELETE"} for r in rows],
                by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The year's rules are saved."))
            return redirect("delivery:evaluations")
    return render(
        request,
        "delivery/rules.html",
        {"form": form, "formset": formset, "year": year, "setting": setting},
        status=400 if form.errors or formset.total_error_count() else 200,
    )


@permission_required("delivery.change_landshare")
def plot_shares(request, pk: int):
    plot = get_object_or_404(plot_model(), pk=pk)
    current = list(LandShare.objects.filter(plot=plot).select_related("enterprise"))
    initial = {}
    for i, share in enumerate(current):
        initial[f"enterprise_{i}"] = share.enterprise
        initial[f"percent_{i}"] = share.percent
    form = SharesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.land_shares_set(plot=plot, shares=form.shares(), by=request.user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Shares saved."))
            return redirect("delivery:plot_shares", pk=pk)
    return render(
        request,
        "delivery/shares.html",
        {"form": form, "plot": plot, "current": current},
        status=400 if form.errors else 200,
    )
