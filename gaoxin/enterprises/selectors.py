"""Reads of the enterprise register, always narrowed to what the user may see."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from gaoxin.core.excel import build_workbook
from gaoxin.enterprises.filters import EnterpriseFilter
from gaoxin.enterprises.models import Enterprise


def enterprise_list(*, user, params=None) -> tuple[EnterpriseFilter, QuerySet[Enterprise]]:
    base = (
        Enterprise.objects.restrict(user, "view")
        .select_related("cluster", "industry", "industry__parent")
        .order_by("name", "pk")
    )
    filterset = EnterpriseFilter(params, queryset=base)
    return filterset, filterset.qs


def enterprise_get(*, user, pk: int, action: str = "view") -> Enterprise:
    return get_object_or_404(
        Enterprise.objects.restrict(user, action).select_related("cluster", "industry"), pk=pk
    )


def register_workbook(queryset: QuerySet[Enterprise]) -> bytes:
    """The register's Excel export of what the list selects (the page and the API)."""
    columns = [
        (_("Name"), lambda e: e.name),
        (_("Unified social credit code"), lambda e: e.uscc),
        (_("Legal representative"), lambda e: e.legal_representative),
        (_("Industry (GB/T 4754)"), lambda e: str(e.industry) if e.industry else ""),
        (_("Industrial cluster"), lambda e: e.cluster.name if e.cluster else ""),
        (_("Origin region"), lambda e: e.origin_region),
        (_("Address"), lambda e: e.address),
        (_("Registered capital (10k CNY)"), lambda e: e.registered_capital),
        (_("Established on"), lambda e: e.established_on),
        (_("On the dishonesty list"), lambda e: _("Yes") if e.is_dishonest else _("No")),
    ]
    return build_workbook(_("Enterprises"), columns, queryset.iterator(chunk_size=2000))
