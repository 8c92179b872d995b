"""The dispatch workbooks, one definition for the page and the API (issue 22): the year's key
projects with their lights, and a month of the work ledger. Each returns the file's name and
its content, written by core.excel."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from gaoxin.core.excel import build_workbook

__all__ = [
    "appeal_figures_workbook",
    "appeals_workbook",
    "key_projects_workbook",
    "ledger_workbook",
]


def key_projects_workbook(year: int, rows) -> tuple[str, bytes]:
    """The key-project list as filtered (rows of selectors.key_project_lights)."""
    light_names = {"red": _("Red"), "yellow": _("Yellow"), "green": _("Green")}
    columns = [
        (_("Project name"), lambda r: r.key_project.project.name),
        (_("Stage"), lambda r: r.key_project.project.get_stage_display()),
        (_("Sponsor leader"), lambda r: str(r.key_project.sponsor)),
        (_("Lead department"), lambda r: str(r.key_project.lead_department)),
        (_("Total investment (10k CNY)"), lambda r: r.key_project.project.total_investment),
        (_("Light"), lambda r: light_names[r.light]),
        (_("Schedule: planned %"), lambda r: r.lag.planned_pct if r.lag else None),
        (_("Schedule: actual %"), lambda r: r.lag.actual_pct if r.lag else None),
        (_("Reasons"), lambda r: "；".join(r.reasons)),
    ]
    content = build_workbook(_("Key projects %(year)d") % {"year": year}, columns, rows)
    return _("key-projects-%(year)d") % {"year": year}, content


def ledger_workbook(month: dt.date, rows) -> tuple[str, bytes]:
    """A month of the ledger (rows of selectors.ledger_month), numbered."""
    numbered = list(enumerate(rows, start=1))
    e = lambda r: r[1].entry  # noqa: E731
    columns = [
        (_("No."), lambda r: r[0]),
        (_("Project name"), lambda r: r[1].project.name),
        (_("Enterprise"), lambda r: str(r[1].project.enterprise or "")),
        (_("Industrial cluster"), lambda r: str(r[1].project.cluster or "")),
        (_("Output value this month (10k CNY)"), lambda r: e(r).output_value if e(r) else None),
        (_("Output value this year (10k CNY)"), lambda r: r[1].year_output),
        (_("Tax this month (10k CNY)"), lambda r: e(r).tax if e(r) else None),
        (_("Tax this year (10k CNY)"), lambda r: r[1].year_tax),
        (_("Employees"), lambda r: e(r).employees if e(r) else None),
        (
            _("Investment this month (10k CNY)"),
            lambda r: e(r).investment_completed if e(r) else None,
        ),
        (_("Investment this year (10k CNY)"), lambda r: r[1].year_investment),
        (_("Energy used (tce)"), lambda r: e(r).energy_tce if e(r) else None),
        (_("R&D spending (10k CNY)"), lambda r: e(r).rd_spending if e(r) else None),
        (_("Entered"), lambda r: _("yes") if e(r) else _("missing")),
    ]
    title = _("Ledger %(month)s") % {"month": f"{month:%Y-%m}"}
    return _("ledger-%(month)s") % {"month": f"{month:%Y-%m}"}, build_workbook(
        title, columns, numbered
    )


def appeals_workbook(rows) -> tuple[str, bytes]:
    """The appeals list as filtered (rows of selectors.appeals_for)."""
    columns = [
        ("编号", lambda p: p.pk),
        ("企业", lambda p: str(p.enterprise)),
        ("类别", lambda p: p.get_category_display()),
        ("渠道", lambda p: p.get_channel_display()),
        ("12345工单号", lambda p: p.hotline_number),
        ("政策反馈", lambda p: "是" if p.policy_feedback else "否"),
        ("标题", lambda p: p.title),
        ("状态", lambda p: p.get_state_display()),
        ("承办部门", lambda p: str(p.department or "")),
        ("办理期限", lambda p: p.deadline),
        ("评价", lambda p: {True: "满意", False: "不满意", None: ""}[p.satisfied]),
        ("评价理由", lambda p: p.evaluation_reasons),
        ("提出时间", lambda p: p.created_at),
    ]
    return "诉求清单", build_workbook("诉求", columns, rows)


def appeal_figures_workbook(figures) -> tuple[str, bytes]:
    """The appeal figures (selectors.appeal_figures), per category then per department."""
    columns = [
        ("分组", lambda t: t.label),
        ("诉求数", lambda t: t.total),
        ("未办结", lambda t: t.open),
        ("按时答复", lambda t: t.on_time),
        ("超期", lambda t: t.late),
        ("按时答复率%", lambda t: t.on_time_rate),
        ("已评价", lambda t: t.evaluated),
        ("满意率%", lambda t: t.satisfaction),
    ]
    rows = [*figures.by_category, *figures.by_department]
    return "诉求统计", build_workbook("诉求统计", columns, rows)
