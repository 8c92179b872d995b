"""Pages of the space module: the overview as of a date, buildings with their units and
tenants, a unit's leases, and matching a project's needs to vacant units."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.core.editing import apply_service_errors, refusal_page, report_form_errors
from gaoxin.core.locking import ConflictError
from gaoxin.core.params import date_or_none, int_or_none
from gaoxin.core.permissions import permission_required
from gaoxin.projects.models import Project
from gaoxin.spaces import selectors, services
from gaoxin.spaces.forms import BuildingForm, LeaseEndForm, LeaseForm, MatchForm, UnitForm
from gaoxin.spaces.models import Building, BuildingKind, Lease, Unit


def _day(request) -> dt.date:
    return date_or_none(request.GET.get("on")) or timezone.localdate()


@permission_required("spaces.view_building")
def overview(request):
    day = _day(request)
    buildings = (
        Building.objects.filter(units__is_active=True)
        .annotate(units_n=Count("units"), area=Sum("units__area_m2"))
        .order_by("kind", "name")
    )
    staff = request.user.has_perm("spaces.view_rent")
    return render(
        request,
        "spaces/overview.html",
        {
            "day": day,
            "rows": selectors.occupancy(day),
            "buildings": buildings,
            "expiring": selectors.expiring(day)[:50] if staff else [],
            "can_change": request.user.has_perm("spaces.change_building"),
        },
    )


@permission_required("spaces.change_building")
def building_new(request):
    form = BuildingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            building = services.building_create(by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("spaces:building", pk=building.pk)
    return render(
        request, "spaces/building_form.html", {"form": form}, status=400 if form.errors else 200
    )


@permission_required("spaces.view_building")
def building_detail(request, pk: int):
    """A building with its units and their tenants as of a date; units are added here."""
    building = get_object_or_404(Building.objects.select_related("plot"), pk=pk)
    day = _day(request)
    user = request.user
    unit_form = UnitForm(request.POST or None)
    if request.method == "POST":
        if not user.has_perm("spaces.change_building"):
            return refusal_page(request, PermissionDenied())
        if unit_form.is_valid():
            try:
                services.unit_create(building=building, by=user, data=unit_form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(unit_form, error)
            except PermissionDenied as error:
                return refusal_page(request, error)
            else:
                messages.success(request, _("Unit added."))
                return redirect("spaces:building", pk=pk)
    units = selectors.units_with_tenants(building.units.all(), day)
    incubator = building.kind == BuildingKind.INCUBATOR
    year_start = day.replace(month=1, day=1)
    return render(
        request,
        "spaces/building_detail.html",
        {
            "building": building,
            "day": day,
            "units": units,
            "staff": user.has_perm("spaces.view_rent"),
            "can_change": user.has_perm("spaces.change_building"),
            "unit_form": unit_form,
            "graduates": selectors.graduates(building, year_start, day) if incubator else [],
            "incubator": incubator,
        },
        status=400 if unit_form.errors else 200,
    )


@permission_required("spaces.view_unit")
def unit_detail(request, pk: int):
    unit = get_object_or_404(Unit.objects.select_related("building"), pk=pk)
    user = request.user
    form = LeaseForm(request.POST or None)
    if request.method == "POST":
        try:
            services.check_lease_power(user, unit)
        except PermissionDenied as error:
            return refusal_page(request, error)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.lease_create(
                    unit=unit,
                    enterprise=data["enterprise"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    rent_m2_month=data["rent_m2_month"],
                    notes=data["notes"],
                    by=user,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            except PermissionDenied as error:
                return refusal_page(request, error)
            else:
                messages.success(request, _("Lease recorded."))
                return redirect("spaces:unit", pk=pk)
    leases = Lease.objects.restrict(user).filter(unit=unit).select_related("enterprise")
    current = Lease.objects.on(timezone.localdate()).filter(unit=unit).exists()
    return render(
        request,
        "spaces/unit_detail.html",
        {
            "unit": unit,
            "leases": leases,
            "let_now": current,
            "staff": user.has_perm("spaces.view_rent"),
            "can_let": user.has_perm("spaces.change_lease", unit),
            "form": form,
            "today": timezone.localdate(),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@permission_required("spaces.change_lease")
def lease_terminate(request, pk: int):
    lease = get_object_or_404(Lease.objects.select_related("unit__building"), pk=pk)
    form = LeaseEndForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("spaces:unit", pk=lease.unit_id)
    data = form.cleaned_data
    try:
        services.lease_terminate(
            lease=lease,
            on=data["on"],
            by=request.user,
            graduated=data["graduated"],
            expected_version=data["version"] or 0,
        )
    except ValidationError as error:
        report_form_errors(request, form, error)
    except PermissionDenied as error:
        return refusal_page(request, error)
    except ConflictError as conflict:  # someone changed the lease meanwhile
        messages.error(request, str(conflict.message))
    else:
        messages.success(request, _("Lease ended."))
    return redirect("spaces:unit", pk=lease.unit_id)


@permission_required("spaces.view_building")
def match(request):
    """Vacant units that fit a need — typed in, or taken from a project's register entry."""
    initial = {}
    project = None
    if request.GET.get("project"):
        project = (
            Project.objects.restrict(request.user)
            .filter(pk=int_or_none(request.GET.get("project")))
            .first()
        )
        if project is not None:
            initial = {"kind": "factory", "area_m2": project.space_need_m2 or None}
    form = MatchForm(request.GET if "kind" in request.GET else None, initial=initial)
    units = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        need = selectors.Need(
            kind=data["kind"],
            area_m2=data["area_m2"],
            floor_load_kn_m2=data["floor_load_kn_m2"],
            power_kva=data["power_kva"],
            clear_height_m=data["clear_height_m"],
            features=data["features"],
        )
        units = list(selectors.matching_units(need, data["on"] or timezone.localdate())[:50])
    return render(
        request,
        "spaces/match.html",
        {"form": form, "units": units, "project": project},
        status=400 if form.errors else 200,
    )
