"""The project register's workbooks, one definition for the pages and the API (issue 22): the
project list as filtered, and a period's statistics (the figures with their base period, the
breakdown, the rates, the targets). Each returns the file's name and its content, written by
core.excel."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from gaoxin.core.excel import build_sheets, build_workbook
from gaoxin.projects.models import Channel

__all__ = ["BREAKDOWNS", "pivot", "projects_workbook", "stage_rows", "statistics_workbook"]

BREAKDOWNS = {
    "cluster": _lazy("Industrial cluster"),
    "channel": _lazy("Attraction channel"),
    "source_province": _lazy("Source province"),
    "department": _lazy("Responsible department"),
    "steward": _lazy("Steward"),
}


def projects_workbook(queryset) -> tuple[str, bytes]:
    """The register's list as its filters select it."""
    columns = [
        (_("Project name"), lambda p: p.name),
        (_("Investor"), lambda p: p.investor_name),
        (_("Stage"), lambda p: p.get_stage_display()),
        (_("In stage since"), lambda p: p.stage_since),
        (_("Industrial cluster"), lambda p: p.cluster.name if p.cluster else ""),
        (_("Industry (GB/T 4754)"), lambda p: str(p.industry) if p.industry else ""),
        (_("Attraction channel"), lambda p: p.get_channel_display()),
        (_("Source province"), lambda p: p.source_province),
        (_("Source city"), lambda p: p.source_city),
        (_("Total investment (10k CNY)"), lambda p: p.total_investment),
        (_("Fixed-asset investment (10k CNY)"), lambda p: p.fixed_asset_investment),
        (_("Foreign investment (10k CNY)"), lambda p: p.foreign_investment),
        (_("Expected annual output value (10k CNY)"), lambda p: p.expected_output_value),
        (_("Expected annual tax (10k CNY)"), lambda p: p.expected_tax),
        (_("Planned construction start"), lambda p: p.planned_start_on),
        (_("Responsible department"), lambda p: p.department.name if p.department else ""),
        (_("Steward"), lambda p: str(p.steward) if p.steward else ""),
    ]
    content = build_workbook(_("Projects"), columns, queryset.iterator(chunk_size=2000))
    return _("projects"), content


def stage_rows(summary) -> list[dict]:
    """The statistics' stage lines: entries in the period (with the base) and the stock."""
    return [
        {"stage": stage, "label": label, "entries": comparison, "stock": stock_n}
        for stage, label, comparison, stock_n in summary.pipeline
    ]


def pivot(rows: list[dict], by: str) -> list[dict]:
    """Rows of entries_by pivoted to one line per label with a count per stage."""
    table: dict = {}
    for r in rows:
        label = r["label"]
        if by == "channel" and label:
            label = Channel(label).label
        label = str(label or _("Not recorded"))
        line = table.setdefault(label, {"label": label})
        line[r["stage"]] = r["projects"]
    return sorted(table.values(), key=lambda line: line["label"])


def statistics_workbook(summary, by: str) -> tuple[str, bytes]:
    """The figures of the statistics page as a workbook: one sheet per table. ``summary`` is
    stats.summary(…, dimension=by); its period is the one counted (to today at the latest)."""
    period = summary.period
    rows = stage_rows(summary)
    breakdown_rows = pivot(summary.breakdown, by)

    def pct(value):
        return "n/a" if value is None else f"{value}%"

    stage_columns = [
        (_("Stage"), lambda r: r["label"]),
        (_("New in period"), lambda r: r["entries"].value),
        (_("Same period last year"), lambda r: r["entries"].base),
        (_("YoY"), lambda r: r["entries"].growth_display),
        (_("Base period"), lambda r: r["entries"].base_display),
        (_("At period end"), lambda r: r["stock"]),
    ]
    breakdown_columns = [(BREAKDOWNS[by], lambda line: line["label"])] + [
        (r["label"], lambda line, stage=r["stage"]: line.get(stage, 0)) for r in rows
    ]
    rates = summary.rates
    rate_rows = [
        (_("Projects in the register on %(d)s") % {"d": period.end}, summary.in_register.value),
        (_("a year earlier"), summary.in_register.base),
        (_("On-time construction starts"), pct(rates.on_time_start)),
        (_("Investment completion"), pct(rates.investment_completion)),
        (_("Production reached (at capacity)"), pct(rates.production_reached)),
        (_("Funds in place (10k CNY)"), rates.funds_in_place),
    ]
    target_columns = [
        (_("Figure"), lambda t: t.label),
        (_("Target"), lambda t: t.target),
        (_("Actual"), lambda t: t.actual),
        (_("Percent"), lambda t: pct(t.percent)),
        (_("Still needed"), lambda t: t.remaining),
    ]
    content = build_sheets(
        [
            (_("Stages"), stage_columns, rows),
            (_("Breakdown"), breakdown_columns, breakdown_rows),
            (_("Rates"), [(_("Figure"), lambda r: r[0]), (_("Value"), lambda r: r[1])], rate_rows),
            (_("Targets"), target_columns, summary.targets),
        ]
    )
    name = _("statistics-%(start)s-%(end)s") % {"start": period.start, "end": period.end}
    return name, content
