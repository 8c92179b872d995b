"""The 投产达效 workbooks, one definition for the page and the API (issue 22): the 履约 list as
filtered and an evaluation's results with its indicators. Each returns the file's name and its
content, written by core.excel."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from gaoxin.core.excel import build_sheets, build_workbook
from gaoxin.delivery.models import Evaluation, TermStatus

__all__ = ["agreements_workbook", "evaluation_workbook"]


def _term_text(state) -> str:
    text = f"{state.term.get_kind_display()}：{TermStatus(state.status).label}"
    if state.gap not in (None, 0):
        text += f"（{state.gap} {state.gap_unit}）"
    return text


def agreements_workbook(items, day: dt.date) -> tuple[str, bytes]:
    """The 履约 list as the user filtered it, each promise's state as of ``day``."""
    columns = [
        (_("Agreement number"), lambda i: i.agreement.number),
        (_("Title"), lambda i: i.agreement.title),
        (_("Project"), lambda i: i.agreement.project.name),
        (_("Enterprise"), lambda i: getattr(i.agreement.project.enterprise, "name", "")),
        (_("Version"), lambda i: i.version.number),
        (_("Signed on"), lambda i: i.version.signed_on),
        (_("Fixed-asset investment (10k CNY)"), lambda i: i.version.fixed_asset_investment),
        (_("Land (mu)"), lambda i: i.version.land_area_mu),
        (_("Enterprise's promises"), lambda i: TermStatus(i.status).label),
        (_("Zone's promises"), lambda i: TermStatus(i.zone_status).label),
        (_("As of"), lambda _i: day),
        (
            _("Each promise"),
            lambda i: "；".join(_term_text(s) for s in i.states),
        ),
    ]
    return _("agreements"), build_workbook(_("Agreements"), columns, items)


def evaluation_workbook(evaluation: Evaluation, rows) -> tuple[str, bytes]:
    """An evaluation's results (the rows the user may see, filtered) and its indicators."""
    indicators = evaluation.rules.get("indicators", [])

    def value_of(code, key):
        def read(score):
            for v in score.values:
                if v["code"] == code:
                    return float(v[key])
            return None

        return read

    columns = [
        (_("Enterprise"), lambda s: s.enterprise.name),
        (_("Unified social credit code"), lambda s: s.enterprise.uscc),
        (_("Class"), lambda s: s.klass),
        (_("Score"), lambda s: s.score),
        (_("Land (mu)"), lambda s: s.land_mu),
        (_("Output value (10k CNY)"), lambda s: s.figures.get("output")),
        (_("Tax paid (10k CNY)"), lambda s: s.figures.get("tax")),
        (_("Energy used (tce)"), lambda s: s.figures.get("energy")),
        (_("R&D spending (10k CNY)"), lambda s: s.figures.get("rd")),
        (_("Employees (monthly average)"), lambda s: s.figures.get("employees")),
    ]
    for i in indicators:
        columns.append((f"{i['name']}（{i['unit']}）", value_of(i["code"], "value")))
        columns.append((f"{i['name']} {_('score')}", value_of(i["code"], "score")))
    columns.append((_("What is missing"), lambda s: "；".join(s.missing)))
    rules = [
        (_("Indicator"), lambda i: i["name"]),
        (_("Unit"), lambda i: i["unit"]),
        (_("Weight (%)"), lambda i: float(i["weight"])),
        (_("Benchmark"), lambda i: float(i["benchmark"])),
    ]
    content = build_sheets(
        [
            (f"{evaluation.year} v{evaluation.number}", columns, rows.iterator(chunk_size=2000)),
            (_("Indicators"), rules, indicators),
        ]
    )
    return _("per-mu-evaluation"), content
