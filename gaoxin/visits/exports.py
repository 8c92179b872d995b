"""The visit workbooks, one definition for the page and the API (issue 22): the year's
coverage and the visits. Each returns the file's name and its content, written by core.excel."""

from __future__ import annotations

from gaoxin.core.excel import build_sheets, build_workbook
from gaoxin.visits import selectors

__all__ = ["coverage_workbook", "visits_workbook"]


def coverage_workbook(year: int) -> tuple[str, bytes]:
    """The year's coverage, per liaison and per department."""
    columns = [
        ("分组", lambda c: c.label),
        ("包联企业", lambda c: c.enterprises),
        ("已走访", lambda c: c.visited),
        ("走访覆盖率%", lambda c: c.visited_pct),
        ("达到年度次数", lambda c: c.met_plan),
        ("达标率%", lambda c: c.met_plan_pct),
        ("走访次数", lambda c: c.visits),
    ]
    content = build_sheets(
        [
            ("按包联干部", columns, selectors.coverage(year=year, by="liaison")),
            ("按部门", columns, selectors.coverage(year=year, by="department")),
        ]
    )
    return f"走访覆盖-{year}", content


def visits_workbook(user) -> tuple[str, bytes]:
    """The visits the user may see."""
    columns = [
        ("企业", lambda v: v.enterprise.name),
        ("日期", lambda v: v.visited_on),
        ("方式", lambda v: v.get_kind_display()),
        ("走访人", lambda v: str(v.visited_by)),
        ("部门", lambda v: str(v.department or "")),
        ("接待人", lambda v: v.met),
        ("内容", lambda v: v.notes),
    ]
    return "走访记录", build_workbook("走访记录", columns, selectors.visits_for(user))
