"""The period report's workbook, one definition for the page and the API (issue 22): a sheet
per section, each figure with the same period a year earlier and its base period."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gaoxin.core.excel import build_sheets

__all__ = ["period_report_workbook"]


def period_report_workbook(period, sections) -> tuple[str, bytes]:
    """``sections`` from cockpit.selectors.period_report(period)."""
    columns = [
        (_("Figure"), lambda r: r.label),
        (_("This period"), lambda r: r.value),
        (_("Same period last year"), lambda r: r.last_year),
        (_("YoY / progress"), lambda r: r.growth),
        (_("Base period"), lambda r: r.base),
    ]
    sheets = [(s.title, columns, s.rows or []) for s in sections]
    name = _("period-report-%(start)s-%(end)s") % {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }
    return name, build_sheets(sheets)
