"""The register's workbook, one definition for the page and the API (issue 22): the file's
name and its content, written by core.excel."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from gaoxin.core.excel import build_workbook
from gaoxin.enterprises.models import Enterprise

__all__ = ["register_workbook"]


def register_workbook(queryset: QuerySet[Enterprise]) -> tuple[str, bytes]:
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
    content = build_workbook(_("Enterprises"), columns, queryset.iterator(chunk_size=2000))
    return _("enterprises"), content
