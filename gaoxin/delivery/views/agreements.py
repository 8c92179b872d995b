"""Pages of investment agreements: the 履约 list with lights and its Excel, an agreement with
every promise's state and its versions, recording, amending, the zone's promises kept."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.core.editing import (
    apply_service_errors,
    form_status,
    refusal_page,
    report_form_errors,
    submit_versioned,
)
from gaoxin.core.excel import xlsx_response
from gaoxin.core.permissions import permission_required
from gaoxin.delivery import exports, selectors, services
from gaoxin.delivery.forms import AgreementForm, AmendForm, FulfilForm, TermsForm, WatchFilterForm
from gaoxin.delivery.models import RECORDED_KINDS, AgreementTerm, TermStatus

PAGE_SIZE = 50


def _filtered(request):
    form = WatchFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    day = data.get("on") or timezone.localdate()
    items = selectors.watched(
        request.user, day, q=data.get("q") or "", status=data.get("status") or ""
    )
    return form, day, items


@permission_required("delivery.view_agreement")
def agreement_list(request):
    form, day, items = _filtered(request)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": {"form": form},
        "page": page,
        "day": day,
        "summary": selectors.watch_summary(items),
        "statuses": TermStatus,
        "can_change": request.user.has_perm("delivery.change_agreement"),
    }
    template = (
        "delivery/partials/agreement_rows.html" if request.htmx else "delivery/agreements.html"
    )
    return render(request, template, context)


@permission_required("delivery.view_agreement")
def agreement_export(request):
    _form, day, items = _filtered(request)
    return xlsx_response(*exports.agreements_workbook(items, day))


@permission_required("delivery.view_agreement")
def agreement_detail(request, pk: int):
    agreement = get_object_or_404(selectors.agreements(request.user), pk=pk)
    day = timezone.localdate()
    item = selectors.watch_one(agreement, day)
    return render(
        request,
        "delivery/agreement_detail.html",
        {
            "agreement": agreement,
            "item": item,
            "day": day,
            "versions": agreement.versions.order_by("-number").prefetch_related(
                "terms", "plots", "leases__unit__building"
            ),
            "recorded": RECORDED_KINDS,
            "fulfil_form": FulfilForm(),
            "can_change": request.user.has_perm("delivery.change_agreement"),
        },
    )


@permission_required("delivery.change_agreement")
def agreement_new(request):
    form = AgreementForm(request.POST or None, user=request.user)
    terms = TermsForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and terms.is_valid():
        d = form.cleaned_data
        try:
            agreement = services.agreement_create(
                project=d["project"],
                number=d["number"],
                title=d["title"],
                version=form.version_data(),
                terms=terms.terms(),
                plots=d["plots"],
                leases=d["leases"],
                by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Agreement recorded."))
            return redirect("delivery:agreement", pk=agreement.pk)
    return render(
        request,
        "delivery/agreement_form.html",
        {"form": form, "terms": terms, "amend": None},
        status=400 if form.errors or terms.errors else 200,
    )


@permission_required("delivery.change_agreement")
def agreement_amend(request, pk: int):
    agreement = get_object_or_404(selectors.agreements(request.user), pk=pk)
    current = agreement.versions.get(number=agreement.current_version)
    initial = {
        "signed_on": current.signed_on,
        "total_investment": current.total_investment,
        "fixed_asset_investment": current.fixed_asset_investment,
        "land_area_mu": current.land_area_mu,
        "breach_clauses": current.breach_clauses,
        "plots": list(current.plots.all()),
        "leases": list(current.leases.all()),
        "version": agreement.version,
    }
    form = AmendForm(request.POST or None, initial=initial, user=request.user)
    terms = TermsForm(request.POST or None, initial=TermsForm.initial_from(current))
    conflict = None
    if request.method == "POST" and form.is_valid() and terms.is_valid():
        d = form.cleaned_data
        saved, conflict = submit_versioned(
            form,
            lambda expected: services.agreement_amend(
                agreement=agreement,
                expected_version=expected,
                reason=d["reason"],
                version=form.version_data(),
                terms=terms.terms(),
                plots=d["plots"],
                leases=d["leases"],
                by=request.user,
            ),
        )
        if saved:
            messages.success(request, _("Amendment recorded as a new version."))
            return redirect("delivery:agreement", pk=pk)
    return render(
        request,
        "delivery/agreement_form.html",
        {"form": form, "terms": terms, "amend": agreement, "current": conflict},
        status=form_status(form, conflict) if not terms.errors else 400,
    )


@require_POST
@permission_required("delivery.change_agreement")
def term_fulfil(request, pk: int):
    term = get_object_or_404(
        AgreementTerm.objects.restrict(request.user).select_related("version"), pk=pk
    )
    form = FulfilForm(request.POST)
    if form.is_valid():
        try:
            services.term_fulfil(
                term=term,
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except PermissionDenied as error:
            return refusal_page(request, error)
        except ValidationError as error:
            report_form_errors(request, form, error)
        else:
            messages.success(request, _("Recorded as kept."))
    else:
        report_form_errors(request, form)
    return redirect("delivery:agreement", pk=term.version.agreement_id)
