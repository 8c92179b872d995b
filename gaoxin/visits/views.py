"""Pages of liaison and visits: my enterprises (no contact for N days, my plan), recording a
visit (and the appeal it raised), coverage per liaison and department, Excel."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.core.editing import apply_service_errors, refusal_page, report_form_errors
from gaoxin.core.excel import xlsx_response
from gaoxin.core.params import int_or_none
from gaoxin.core.permissions import permission_required
from gaoxin.enterprises.models import Enterprise
from gaoxin.visits import exports, selectors, services
from gaoxin.visits.forms import PlanForm, VisitForm
from gaoxin.visits.models import PlannedVisit

__all__ = ["coverage", "plan_generate", "visit_export", "visit_list", "visit_record"]


@permission_required("visits.view_visit")
def visit_list(request):
    user = request.user
    today = timezone.localdate()
    context = {"visits": selectors.visits_for(user)[:50], "today": today}
    if user.is_zone_staff:
        rules = selectors.visit_rules()
        # The home page's counts open this list filtered: ?days=N (no contact for N days) and
        # ?never=1 (never visited at all).
        days = int_or_none(request.GET.get("days"))
        days = days if days is not None and 1 <= days <= 3650 else rules.no_contact_days
        silent = selectors.no_contact(liaison=user, today=today, days=days)
        never = request.GET.get("never") == "1"
        context |= {
            "rules": rules,
            "days": days,
            "never": never,
            "no_contact": [e for e in silent if e.last_visit is None] if never else silent,
            "mine": Enterprise.objects.filter(liaison=user).order_by("name"),
            "plan": PlannedVisit.objects.filter(
                liaison=user, planned_on__year=today.year
            ).select_related("enterprise", "visit")[:200],
            "plan_form": PlanForm(initial={"year": today.year}),
        }
    return render(request, "visits/visit_list.html", context)


@permission_required("visits.add_visit")
def visit_record(request):
    pk = request.POST.get("enterprise") or request.GET.get("enterprise")
    enterprise = Enterprise.objects.filter(pk=pk).first() if str(pk or "").isdigit() else None
    if enterprise is None:
        return render(
            request,
            "dispatch/appeal_pick.html",
            {"enterprises": Enterprise.objects.order_by("name")[:200]},
        )
    form = VisitForm(
        request.POST or None,
        initial={"enterprise": enterprise.pk, "visited_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_record(
                enterprise=enterprise,
                by=request.user,
                visited_on=data["visited_on"],
                kind=data["kind"],
                notes=data["notes"],
                met=data["met"],
                appeals=form.appeals(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied as error:
            return refusal_page(request, error)
        else:
            messages.success(request, _("The visit was recorded."))
            return redirect("visits:list")
    return render(
        request,
        "visits/visit_form.html",
        {"form": form, "enterprise": enterprise},
        status=400 if form.errors else 200,
    )


@require_POST
@permission_required("visits.change_plan")
def plan_generate(request):
    form = PlanForm(request.POST)
    if form.is_valid():
        made = services.plan_generate(
            liaison=request.user, year=form.cleaned_data["year"], by=request.user
        )
        messages.success(request, _("%(n)d visits planned.") % {"n": made})
    else:
        report_form_errors(request, form)
    return redirect("visits:list")


@permission_required("visits.view_coverage")
def coverage(request):
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else timezone.localdate().year
    if request.GET.get("format") == "xlsx":
        return xlsx_response(*exports.coverage_workbook(year))
    by_liaison = selectors.coverage(year=year, by="liaison")
    by_department = selectors.coverage(year=year, by="department")
    return render(
        request,
        "visits/coverage.html",
        {
            "year": year,
            "by_liaison": by_liaison,
            "by_department": by_department,
            "rules": selectors.visit_rules(),
        },
    )


@permission_required("visits.export_visit")
def visit_export(request):
    return xlsx_response(*exports.visits_workbook(request.user))
