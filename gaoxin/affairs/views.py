"""Pages of government services. This first part: the catalogue, its Excel import/export."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from gaoxin.affairs import catalogue
from gaoxin.affairs.filters import ServiceItemFilter
from gaoxin.affairs.models import ServiceItem
from gaoxin.core.excel import xlsx_response
from gaoxin.core.permissions import permission_required


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
        },
    )


@permission_required("affairs.view_serviceitem")
def item_detail(request, pk: int):
    item = get_object_or_404(_items(request.user), pk=pk)
    return render(
        request,
        "affairs/item_detail.html",
        {
            "item": item,
            "materials": item.materials.all(),
            "reviewing": item.reviewing_departments.all(),
        },
    )


@permission_required("affairs.import_serviceitem")
def item_import(request):
    """Upload the catalogue workbook: all rows or none, with a report of every bad cell."""
    from django.core.exceptions import ValidationError

    from gaoxin.core.uploads import check_spreadsheet

    result = None
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ValidationError(_("Choose the catalogue file to import."))
            check_spreadsheet(upload)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            # A catalogue is a few hundred rows: checked and saved while the user waits.
            result = catalogue.import_workbook(upload.read(), by=request.user)
    status = 400 if error or (result and not result.ok) else 200
    return render(
        request, "affairs/item_import.html", {"result": result, "error": error}, status=status
    )
