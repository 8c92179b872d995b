"""Pages of the lights: the year's red/yellow/green board, the published monthly lists,
the thresholds."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.editing import (
    form_status,
    submit_versioned,
)
from gaoxin.core.permissions import permission_required
from gaoxin.dispatch import lights as rules
from gaoxin.dispatch import selectors, services
from gaoxin.dispatch.forms import (
    LightSettingsForm,
)
from gaoxin.dispatch.models import (
    LightListEntry,
)
from gaoxin.dispatch.views.base import key_projects_for, year_param

__all__ = [
    "light_board",
    "light_settings",
    "lights_monthly",
]


@permission_required("dispatch.view_lights")
def light_board(request):
    """Key projects by light, rolled up per lead department and per sponsor leader."""

    year = year_param(request)
    rows = selectors.key_project_lights(key_projects_for(request.user).filter(year=year))
    return render(
        request,
        "dispatch/lights.html",
        {
            "year": year,
            "rows": [r for r in rows if r.light != "green"],
            "by_department": rules.roll_up(rows, "department"),
            "by_leader": rules.roll_up(rows, "leader"),
            "total": len(rows),
            "settings": rules.light_settings(),
        },
    )


@permission_required("dispatch.view_lights")
def lights_monthly(request):
    """The monthly red/yellow list: published (frozen) for past months, live for this one."""

    today = timezone.localdate()
    try:
        month = dt.date.fromisoformat((request.GET.get("month") or "") + "-01")
    except ValueError:
        month = today.replace(day=1)
    month = min(max(month, dt.date(2000, 1, 1)), today.replace(day=1))
    published = list(
        LightListEntry.objects.filter(month=month).select_related(
            "key_project__project", "key_project__sponsor", "key_project__lead_department"
        )
    )
    live = []
    if month == today.replace(day=1):
        live = [
            r
            for r in selectors.key_project_lights(
                key_projects_for(request.user).filter(year=month.year)
            )
            if r.light != "green"
        ]
    months = LightListEntry.objects.dates("month", "month", order="DESC")[:24]
    return render(
        request,
        "dispatch/lights_monthly.html",
        {"month": month, "published": published, "live": live, "months": months},
    )


@permission_required("dispatch.change_lightsettings")
def light_settings(request):

    current_row = rules.light_settings()
    fields = [
        "yellow_within_days",
        "lag_yellow_points",
        "lag_red_points",
        "not_started_red_months",
        "overdue_problem_light",
        "open_supervision_light",
    ]
    initial = {f: getattr(current_row, f) for f in fields} | {"version": current_row.version}
    form = LightSettingsForm(request.POST or None, initial=initial)
    current = None
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in fields}
        saved, current = submit_versioned(
            form,
            lambda version: services.light_settings_update(
                by=request.user, data=data, expected_version=version
            ),
        )
        if saved:
            messages.success(request, _("Thresholds saved."))
            return redirect("dispatch:lights")
    return render(
        request,
        "dispatch/simple_form.html",
        {"form": form, "title": _("Light thresholds"), "back": reverse("dispatch:lights")},
        status=form_status(form, current),
    )
