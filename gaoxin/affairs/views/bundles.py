"""Pages of bundles (一件事): the bundles offered and the runs, a bundle (filed for an
enterprise), and a run with each step's case and clock."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gaoxin.affairs import clocks, selectors, services
from gaoxin.affairs.forms import BundleFileForm
from gaoxin.affairs.models import Bundle, BundleCase
from gaoxin.core.editing import report_form_errors, report_refusal
from gaoxin.core.permissions import permission_required

__all__ = ["bundle_case_detail", "bundle_detail", "bundle_list"]


@permission_required("affairs.view_bundle")
def bundle_list(request):
    user = request.user
    runs = BundleCase.objects.restrict(user).select_related("bundle", "enterprise")
    runs = list(runs[:50]) if user.has_perm("affairs.view_bundlecase") else []
    for run in runs:
        run.timing = clocks.bundle_clock(run)
    return render(
        request,
        "affairs/bundle_list.html",
        {
            "bundles": Bundle.objects.filter(is_active=True).prefetch_related("steps__item"),
            "runs": runs,
        },
    )


@permission_required("affairs.view_bundle")
def bundle_detail(request, pk: int):
    bundle = get_object_or_404(Bundle.objects.filter(is_active=True), pk=pk)
    user = request.user
    enterprises = selectors.acting_for(user)
    if request.method == "POST":
        form = BundleFileForm(request.POST, enterprises=enterprises)
        if not form.is_valid():
            report_form_errors(request, form)
        else:
            try:
                run = services.bundle_file(
                    bundle=bundle, enterprise=form.cleaned_data["enterprise"], by=user
                )
            except (ValidationError, PermissionDenied) as error:
                report_refusal(request, error)
            else:
                messages.success(request, _("Filed: %(number)s") % {"number": run.number})
                return redirect("affairs:bundle_case", pk=run.pk)
        return redirect("affairs:bundle", pk=pk)
    steps = list(bundle.steps.select_related("item__department").prefetch_related("after"))
    return render(
        request,
        "affairs/bundle_detail.html",
        {
            "bundle": bundle,
            "steps": steps,
            "can_file": user.has_perm("affairs.add_application"),
            "enterprises": enterprises,
        },
    )


@permission_required("affairs.view_bundlecase")
def bundle_case_detail(request, pk: int):
    run = get_object_or_404(
        BundleCase.objects.restrict(request.user).select_related("bundle", "enterprise"), pk=pk
    )
    cases = {a.bundle_step_id: a for a in run.cases.all()}
    steps = list(run.bundle.steps.select_related("item").prefetch_related("after"))
    for step in steps:
        step.case = cases.get(step.pk)
        step.clock = clocks.clock(step.case) if step.case else None
    return render(
        request,
        "affairs/bundle_case_detail.html",
        {"run": run, "steps": steps, "timing": clocks.bundle_clock(run)},
    )
