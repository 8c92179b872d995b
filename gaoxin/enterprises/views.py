"""Pages of the enterprise register: list, detail, create, edit, history, export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.core import audit, jobs
from gaoxin.core.editing import (
    apply_service_errors,
    form_status,
    refusal_page,
    report_form_errors,
    submit_versioned,
)
from gaoxin.core.excel import xlsx_response
from gaoxin.core.models import BackgroundJob
from gaoxin.core.permissions import permission_required
from gaoxin.enterprises import importer, services
from gaoxin.enterprises.exports import register_workbook
from gaoxin.enterprises.forms import ContactForm, EnterpriseForm, LiaisonForm, QualificationForm
from gaoxin.enterprises.models import EnterpriseContact, Qualification
from gaoxin.enterprises.selectors import enterprise_get, enterprise_list

PAGE_SIZE = 25


@permission_required("enterprises.view_enterprise")
def enterprise_list_view(request):
    filterset, queryset = enterprise_list(user=request.user, params=request.GET)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "can_add": request.user.has_perm("enterprises.add_enterprise"),
        "can_export": request.user.has_perm("enterprises.export_enterprise"),
    }
    template = (
        "enterprises/partials/enterprise_rows.html"
        if request.htmx
        else "enterprises/enterprise_list.html"
    )
    return render(request, template, context)


@permission_required("enterprises.export_enterprise")
def enterprise_export(request):
    _filterset, queryset = enterprise_list(user=request.user, params=request.GET)
    return xlsx_response(*register_workbook(queryset))


@permission_required("enterprises.view_enterprise")
def enterprise_detail(request, pk: int):
    enterprise = enterprise_get(user=request.user, pk=pk)
    return render(
        request,
        "enterprises/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "contacts": enterprise.contacts.all(),
            "can_change": request.user.has_perm("enterprises.change_enterprise", enterprise),
            "can_view_history": request.user.is_zone_staff,
            "contact_form": ContactForm(),
        },
    )


@permission_required("enterprises.add_enterprise")
def enterprise_create(request):
    form = EnterpriseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            enterprise = services.enterprise_create(by=request.user, data=data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Enterprise %(name)s was registered.") % {"name": enterprise.name}
            )
            return redirect("enterprises:detail", pk=enterprise.pk)
    status = 400 if form.errors else 200
    return render(
        request, "enterprises/enterprise_form.html", {"form": form, "creating": True}, status=status
    )


@permission_required("enterprises.change_enterprise")
def enterprise_edit(request, pk: int):
    enterprise = enterprise_get(user=request.user, pk=pk, action="change")
    form = EnterpriseForm(request.POST or None, instance=enterprise, user=request.user)
    current = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        saved, current = submit_versioned(
            form,
            lambda version: services.enterprise_update(
                enterprise=enterprise, by=request.user, data=data, expected_version=version
            ),
        )
        if saved:
            messages.success(request, _("Changes saved."))
            return redirect("enterprises:detail", pk=enterprise.pk)
    status = form_status(form, current)
    return render(
        request,
        "enterprises/enterprise_form.html",
        {
            "form": form,
            "enterprise": enterprise,
            "current": current,
            "current_values": _display_values(form, current),
        },
        status=status,
    )


def _display_values(form, current):
    if current is None:
        return []
    rows = []
    for name, field in form.fields.items():
        if name == "version":
            continue
        value = getattr(current, name, "")
        if hasattr(current, f"get_{name}_display"):
            value = getattr(current, f"get_{name}_display")()
        rows.append((field.label, value))
    return rows


@permission_required("enterprises.view_enterprise")
def enterprise_history(request, pk: int):
    enterprise = enterprise_get(user=request.user, pk=pk)
    entries = audit.history_for(enterprise)
    if not request.user.is_zone_staff:  # an enterprise sees what its own people changed
        entries = entries.filter(user__enterprise=enterprise)
    return audit.history_page(
        request,
        enterprise,
        entries=entries,
        back_url=reverse("enterprises:detail", args=[enterprise.pk]),
    )


@require_POST
@permission_required("enterprises.change_enterprise")
def contact_add(request, pk: int):
    enterprise = enterprise_get(user=request.user, pk=pk, action="change")
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            services.contact_add(enterprise=enterprise, by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            report_form_errors(request, form, error)
        else:
            messages.success(request, _("Contact added."))
    else:
        report_form_errors(request, form)
    return redirect("enterprises:detail", pk=enterprise.pk)


@require_POST
@permission_required("enterprises.change_enterprise")
def contact_remove(request, pk: int, contact_pk: int):
    enterprise = enterprise_get(user=request.user, pk=pk, action="change")
    contact = get_object_or_404(EnterpriseContact, pk=contact_pk, enterprise=enterprise)
    services.contact_remove(contact=contact, by=request.user)
    messages.success(request, _("Contact removed."))
    return redirect("enterprises:detail", pk=enterprise.pk)


# --- the register at scale (issue 20) --------------------------------------------------------


@permission_required("enterprises.import_enterprise")
def enterprise_import(request):
    """Upload the register workbook; the task worker checks every row and saves all or none,
    and the job's page reports every bad cell."""
    kind = "enterprises.import"
    error = None
    if request.method == "POST":
        try:
            job = jobs.start_import(
                upload=request.FILES.get("file"),
                kind=kind,
                runner="gaoxin.enterprises.importer.import_workbook",
                by=request.user,
                missing=_("Choose the file to import."),
            )
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            return redirect("core:job", pk=job.pk)
    recent = BackgroundJob.objects.filter(user=request.user, kind=kind)[:10]
    return render(
        request,
        "enterprises/enterprise_import.html",
        {"error": error, "jobs": recent, "columns": importer.COLUMNS},
        status=400 if error else 200,
    )


@permission_required("enterprises.import_enterprise")
def enterprise_import_template(request):
    return xlsx_response("企业名录导入模板.xlsx", importer.template_workbook())


@require_POST
@permission_required("enterprises.change_qualification")
def qualification_add(request, pk: int):
    enterprise = enterprise_get(user=request.user, pk=pk)
    form = QualificationForm(request.POST)
    if form.is_valid():
        try:
            services.qualification_add(enterprise=enterprise, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            report_form_errors(request, form, error)
        except PermissionDenied as error:
            return refusal_page(request, error)
        else:
            messages.success(request, _("The qualification was recorded."))
    else:
        report_form_errors(request, form)
    return redirect("enterprise_profile", pk=enterprise.pk)


@require_POST
@permission_required("enterprises.change_qualification")
def qualification_remove(request, pk: int, qualification_pk: int):
    enterprise = enterprise_get(user=request.user, pk=pk)
    held = get_object_or_404(Qualification, pk=qualification_pk, enterprise=enterprise)
    try:
        services.qualification_remove(qualification=held, by=request.user)
    except PermissionDenied as error:
        return refusal_page(request, error)
    messages.success(request, _("The qualification was removed."))
    return redirect("enterprise_profile", pk=enterprise.pk)


@require_POST
@permission_required("enterprises.assign_liaison")
def liaison_assign(request, pk: int):
    enterprise = enterprise_get(user=request.user, pk=pk)
    form = LiaisonForm(request.POST)
    if form.is_valid():
        try:
            services.liaison_assign(
                enterprise=enterprise, liaison=form.cleaned_data["liaison"], by=request.user
            )
        except ValidationError as error:
            report_form_errors(request, form, error)
        except PermissionDenied as error:
            return refusal_page(request, error)
        else:
            messages.success(request, _("The liaison officer was assigned."))
    else:
        report_form_errors(request, form)
    return redirect("enterprise_profile", pk=enterprise.pk)
