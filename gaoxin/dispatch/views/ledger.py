"""Pages of the work ledger (工作台账): the month across projects (and its export), a
project's months."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.editing import (
    apply_service_errors,
    submit_versioned,
)
from gaoxin.core.excel import xlsx_response
from gaoxin.core.params import int_or_none
from gaoxin.core.permissions import permission_required
from gaoxin.dispatch import exports, selectors, services
from gaoxin.dispatch.forms import (
    LedgerForm,
)
from gaoxin.dispatch.models import (
    LedgerEntry,
)
from gaoxin.projects.selectors import project_get

__all__ = [
    "ledger",
    "ledger_project",
]


def _month(request):

    today = timezone.localdate()
    try:
        month = dt.date.fromisoformat((request.GET.get("month") or "") + "-01")
    except ValueError:
        month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    return min(max(month, dt.date(2000, 1, 1)), today.replace(day=1))


@permission_required("dispatch.view_ledgerentry")
def ledger(request):
    """The month's ledger of projects in production, the months still missing, Excel."""

    month = _month(request)
    lines = selectors.ledger_projects(request.user)
    rows = selectors.ledger_month(request.user, month)
    if request.GET.get("format") == "xlsx":
        return _ledger_export(month, rows)
    missing = selectors.missing_months(lines, month)
    for row in rows:
        row.missing = missing.get(row.project.pk, [])
    return render(
        request,
        "dispatch/ledger.html",
        {
            "month": month,
            "rows": rows,
            "missing_count": sum(1 for r in rows if r.entry is None),
            "totals": {
                "output": sum(r.entry.output_value for r in rows if r.entry),
                "tax": sum(r.entry.tax for r in rows if r.entry),
                "employees": sum(r.entry.employees for r in rows if r.entry),
            },
        },
    )


def _ledger_export(month, rows):
    return xlsx_response(*exports.ledger_workbook(month, rows))


@permission_required("dispatch.view_ledgerentry")
def ledger_project(request, project_pk: int):
    """A project's ledger months; staff or the enterprise enter a month or correct one."""

    project = project_get(user=request.user, pk=project_pk)
    entries = LedgerEntry.objects.restrict(request.user).filter(project=project)
    edit = entries.filter(pk=int_or_none(request.GET.get("entry"))).first()
    initial = (
        {f: getattr(edit, f) for f in services.LEDGER_FIELDS}
        | {"month": edit.month, "version": edit.version}
        if edit
        else {"investment_completed": 0}
    )
    form = LedgerForm(request.POST or None, initial=initial)
    can_enter = request.user.has_perm("dispatch.add_ledgerentry", project)
    current = None
    if request.method == "POST":
        if not can_enter:
            raise PermissionDenied
        if form.is_valid():
            data = {f: form.cleaned_data[f] for f in services.LEDGER_FIELDS}
            month = form.cleaned_data["month"].replace(day=1)
            if edit:
                saved, current = submit_versioned(
                    form,
                    lambda version: services.ledger_correct(
                        entry=edit, by=request.user, data=data, expected_version=version
                    ),
                )
            else:
                try:
                    services.ledger_enter(project=project, month=month, by=request.user, data=data)
                    saved = True
                except ValidationError as error:
                    apply_service_errors(form, error)
                    saved = False
            if saved:
                messages.success(request, _("Ledger month saved."))
                return redirect("dispatch:ledger_project", project_pk=project.pk)
    missing = selectors.missing_months([project], timezone.localdate()).get(project.pk, [])
    return render(
        request,
        "dispatch/ledger_project.html",
        {
            "project": project,
            "entries": entries.select_related("entered_by"),
            "form": form,
            "edit": edit,
            "missing": missing,
            "can_enter": can_enter and project.stage in ("in_production", "at_capacity"),
        },
        status=409 if current is not None else 400 if form.errors else 200,
    )
