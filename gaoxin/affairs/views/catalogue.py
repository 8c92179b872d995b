"""Pages of the catalogue: the items (searched, exported), an item with its materials and their
blank forms, keeping an item by hand, and the workbook import."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gaoxin.affairs import catalogue, services
from gaoxin.affairs.filters import ServiceItemFilter
from gaoxin.affairs.forms import (
    MaterialFormSet,
    MaterialTemplateForm,
    ServiceItemForm,
    materials_data,
    materials_initial,
)
from gaoxin.affairs.models import ServiceItem
from gaoxin.core import jobs
from gaoxin.core.attachments import attachments_of, download
from gaoxin.core.editing import (
    apply_service_errors,
    form_status,
    report_form_errors,
    submit_versioned,
)
from gaoxin.core.excel import xlsx_response
from gaoxin.core.models import BackgroundJob
from gaoxin.core.permissions import permission_required

__all__ = [
    "item_detail",
    "item_edit",
    "item_import",
    "item_list",
    "item_new",
    "material_template",
]


def _items(user):
    items = ServiceItem.objects.restrict(user).select_related("department")
    if not user.has_perm("affairs.change_serviceitem"):
        items = items.active()  # enterprises see the published catalogue
    return items


@permission_required("affairs.view_serviceitem")
def item_list(request):
    filterset = ServiceItemFilter(request.GET, queryset=_items(request.user))
    if request.GET.get("format") == "xlsx":
        return xlsx_response(_("catalogue"), catalogue.export_workbook(filterset.qs))
    page = Paginator(filterset.qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "affairs/item_list.html",
        {
            "filter": filterset,
            "page": page,
            "can_import": request.user.has_perm("affairs.import_serviceitem"),
            "can_add": request.user.has_perm("affairs.change_serviceitem"),
        },
    )


@permission_required("affairs.view_serviceitem")
def item_detail(request, pk: int):
    """An item with its materials; the window attaches each material's blank form."""
    item = get_object_or_404(_items(request.user), pk=pk)
    if request.method == "POST":
        form = MaterialTemplateForm(request.POST, request.FILES, item=item)
        if not form.is_valid():
            report_form_errors(request, form)
        else:
            try:
                services.material_template_attach(
                    material=form.cleaned_data["material"],
                    upload=form.cleaned_data["file"],
                    by=request.user,
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            except PermissionDenied:
                messages.error(request, _("You may not change the catalogue."))
            else:
                messages.success(request, _("Template saved."))
        return redirect("affairs:item", pk=pk)
    materials = list(item.materials.all())
    for material in materials:
        material.template = attachments_of(material).first()
    return render(
        request,
        "affairs/item_detail.html",
        {
            "item": item,
            "materials": materials,
            "reviewing": item.reviewing_departments.all(),
            "can_change": request.user.has_perm("affairs.change_serviceitem", item),
            "can_file": item.is_active
            and request.user.has_perm("affairs.add_application")
            and (item.online_allowed or request.user.role in ("clerk", "admin")),
        },
    )


def _item_form_page(request, item: ServiceItem | None):
    """Create or edit an item with its materials; a stale version is a conflict (409)."""
    user = request.user
    if item is not None and not user.has_perm("affairs.change_serviceitem", item):
        raise PermissionDenied
    form = ServiceItemForm(request.POST or None, instance=item, user=user)
    formset = MaterialFormSet(
        request.POST or None, initial=materials_initial(item), prefix="materials"
    )
    current = None
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in services.ITEM_FIELDS}
        data["unmet_commitment_terminates"] = form.cleaned_data["unmet_commitment_terminates"]
        departments = form.cleaned_data["reviewing_departments"]
        materials = materials_data(formset)
        try:
            if item is None:
                saved_item = services.item_create(
                    by=user, data=data, reviewing_departments=departments, materials=materials
                )
                saved = True
            else:
                saved_item = item
                saved, current = submit_versioned(
                    form,
                    lambda version: services.item_update(
                        item=item,
                        by=user,
                        data=data,
                        expected_version=version,
                        reviewing_departments=departments,
                        materials=materials,
                    ),
                )
        except ValidationError as error:
            apply_service_errors(form, error)
            saved = False
        if saved:
            messages.success(request, _("Item saved."))
            return redirect("affairs:item", pk=saved_item.pk)
    return render(
        request,
        "affairs/item_form.html",
        {"form": form, "formset": formset, "item": item, "current": current},
        status=400 if formset.total_error_count() else form_status(form, current),
    )


@permission_required("affairs.change_serviceitem")
def item_new(request):
    return _item_form_page(request, None)


@permission_required("affairs.change_serviceitem")
def item_edit(request, pk: int):
    return _item_form_page(request, get_object_or_404(_items(request.user), pk=pk))


@permission_required("affairs.view_serviceitem")
def material_template(request, pk: int, material_pk: int):
    """A material's blank form: public to everyone who may read the catalogue."""
    item = get_object_or_404(_items(request.user), pk=pk)
    material = get_object_or_404(item.materials, pk=material_pk)
    template = attachments_of(material).first()
    if template is None:
        raise Http404
    return download(template)


@permission_required("affairs.import_serviceitem")
def item_import(request):
    """Upload the catalogue workbook; the task worker checks every row and saves all or none,
    and the job's page reports every bad cell."""
    kind = "affairs.catalogue_import"
    error = None
    if request.method == "POST":
        try:
            # Parsed by the worker, never here: a workbook cannot tie up or exhaust the pages.
            job = jobs.start_import(
                upload=request.FILES.get("file"),
                kind=kind,
                runner="gaoxin.affairs.catalogue.import_workbook",
                by=request.user,
                missing=_("Choose the catalogue file to import."),
            )
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            return redirect("core:job", pk=job.pk)
    recent = BackgroundJob.objects.filter(user=request.user, kind=kind)[:10]
    return render(
        request,
        "affairs/item_import.html",
        {"error": error, "jobs": recent},
        status=400 if error else 200,
    )
