"""The cockpit's figures for other displays: the same numbers as the page; the period report
as the page's workbook."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from gaoxin.cockpit import exports, selectors
from gaoxin.core.api_types import XLSX_ANSWER, IsoDate
from gaoxin.core.excel import xlsx_response
from gaoxin.core.permissions import api_permission
from gaoxin.projects.stats import Period

router = Router(tags=["cockpit"])


class FigureOut(Schema):
    """A count of projects and the same count a year earlier (JSON integers)."""

    value: int = Field(description="number of projects")
    last_year: int = Field(description="number of projects a year earlier")
    growth: float | None = Field(description="year-on-year growth in percent; null when n/a")


class CockpitRollUpOut(Schema):
    key: int
    label: str
    red: int
    yellow: int
    green: int


class CockpitOut(Schema):
    start: dt.date
    end: dt.date
    counted_end: dt.date = Field(description="counted to this day (today when the period runs on)")
    base_start: dt.date = Field(
        description="the base of every growth: the same span a year earlier"
    )
    base_end: dt.date
    in_register: FigureOut
    entries: dict[str, FigureOut]
    funds_in_place: float = Field(description="funds in place in 万元 (10k CNY)")
    on_time_start: float | None
    investment_completion: float | None
    production_reached: float | None
    key_project_lights: dict[str, int]
    by_leader: list[CockpitRollUpOut]
    by_department: list[CockpitRollUpOut]
    problems_open: int
    problems_overdue: int
    trend: list[dict]


def _figure(comparison):
    growth = comparison.growth
    return {
        "value": float(comparison.value),
        "last_year": float(comparison.base),
        "growth": None if growth is None else float(growth),
    }


def _ratio(value):
    return None if value is None else float(value)


def _groups(groups):
    return [
        {
            "key": g.key,
            "label": g.label,
            "red": g.counts["red"],
            "yellow": g.counts["yellow"],
            "green": g.counts["green"],
        }
        for g in groups
    ]


@router.get("", response=CockpitOut, summary="The cockpit's figures for a period")
@api_permission("cockpit.view_cockpit")
def cockpit(request, start: IsoDate, end: IsoDate):

    if end < start:
        raise ValidationError({"end": [_("The period ends before it starts.")]})
    data = selectors.cockpit(Period(start, end))
    summary = data.summary
    return {
        "start": start,
        "end": end,
        "counted_end": data.period.end,
        "base_start": data.period.year_earlier().start,
        "base_end": data.period.year_earlier().end,
        "in_register": _figure(summary.in_register),
        "entries": {stage: _figure(c) for stage, c in summary.entries.items()},
        "funds_in_place": float(summary.rates.funds_in_place),
        "on_time_start": _ratio(summary.rates.on_time_start),
        "investment_completion": _ratio(summary.rates.investment_completion),
        "production_reached": _ratio(summary.rates.production_reached),
        "key_project_lights": {c: data.lights[c] for c in ("red", "yellow", "green")},
        "by_leader": _groups(data.by_leader),
        "by_department": _groups(data.by_department),
        "problems_open": data.problems_open,
        "problems_overdue": data.problems_overdue,
        "trend": [
            {"month": row["month"].isoformat(), **{s: n for s, n in row["counts"].items()}}
            for row in data.trend
        ],
    }


@router.get(
    "/report/export",
    summary="The period report as a workbook, a sheet per section (导出运行报告)",
    openapi_extra=XLSX_ANSWER,
)
@api_permission("cockpit.view_cockpit")
def report_export(request, start: IsoDate, end: IsoDate):
    """The report page's workbook: each figure of the period with the same period a year
    earlier and its base period."""
    if end < start:
        raise ValidationError({"end": [_("The period ends before it starts.")]})
    period = Period(start, end)
    return xlsx_response(*exports.period_report_workbook(period, selectors.period_report(period)))
