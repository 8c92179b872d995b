"""The visit workbooks, one definition for the page and the API (issue 22): the year's
coverage and the visits. Each returns the file's name and its content, written by core.excel."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gaoxin.core.excel import build_sheets, build_workbook
from gaoxin.visits import selectors

__all__ = ["coverage_workbook", "visits_workbook"]


def coverage_workbook(year: int) -> tuple[str, bytes]:
    """The year's coverage, per liaison and per department."""
    columns = [
        (_("Group"), lambda c: c.label),
        (_("Enterprises looked after"), lambda c: c.enterprises),
        (_("Visited"), lambda c: c.visited),
        (_("Visit coverage %"), lambda c: c.visited_pct),
        (_("Met the yearly number of visits"), lambda c: c.met_plan),
        (_("Share meeting the plan %"), lambda c: c.met_plan_pct),
        (_("Visits made"), lambda c: c.visits),
    ]
    content = build_sheets(
        [
            (_("By liaison officer"), columns, selectors.coverage(year=year, by="liaison")),
            (_("By department"), columns, selectors.coverage(year=year, by="department")),
        ]
    )
    return _("Visit coverage %(year)s") % {"year": year}, content


def visits_workbook(user) -> tuple[str, bytes]:
    """The visits the user may see."""
    columns = [
        (_("Enterprise"), lambda v: v.enterprise.name),
        (_("Date"), lambda v: v.visited_on),
        (_("Way of visit"), lambda v: v.get_kind_display()),
        (_("Visited by"), lambda v: str(v.visited_by)),
        (_("Department"), lambda v: str(v.department or "")),
        (_("Met"), lambda v: v.met),
        (_("What was discussed"), lambda v: v.notes),
    ]
    title = _("Visit records")
    return title, build_workbook(title, columns, selectors.visits_for(user))
