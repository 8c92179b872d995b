"""The cockpit page and its big-screen layout: figures and charts of a period, each element
linked to the list behind it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from gaoxin.cockpit import selectors
from gaoxin.core.permissions import permission_required
from gaoxin.projects.forms import period_from_request
from gaoxin.projects.stages import Stage

LIGHT_COLOURS = {"red": "#d63939", "yellow": "#f59f00", "green": "#2fb344"}


def _projects_url(**params) -> str:
    return f"{reverse('projects:list')}?{urlencode(params)}"


def _entered(stage, start, end, **extra) -> str:
    return _projects_url(entered=stage, start=start.isoformat(), end=end.isoformat(), **extra)


def context_for(period) -> dict:
    """Everything both layouts show: tiles, tables and chart options with their links."""
    data = selectors.cockpit(period)
    summary = data.summary
    start, end = period.start, period.end
    tiles = [
        {
            "label": _("In the register"),
            "value": summary.in_register.value,
            "growth": summary.in_register.growth_display,
            "url": None,
        }
    ]
    for stage in (
        Stage.NEGOTIATING,
        Stage.SIGNED,
        Stage.REGISTERED,
        Stage.UNDER_CONSTRUCTION,
        Stage.IN_PRODUCTION,
    ):
        comparison = summary.entries[stage]
        tiles.append(
            {
                "label": _("New: %(stage)s") % {"stage": Stage(stage).label},
                "value": comparison.value,
                "growth": comparison.growth_display,
                "url": _entered(stage, start, end),
                "stage": stage,
            }
        )
    pipeline = [s for s in selectors.pipeline_order() if s != Stage.DROPPED]
    pipeline_chart = {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [_("This period"), _("Same period last year")]},
        "grid": {"left": 40, "right": 10, "top": 40, "bottom": 30},
        "xAxis": {
            "type": "category",
            "data": [str(Stage(s).label) for s in pipeline],
            "axisLabel": {"interval": 0},
        },
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "name": _("This period"),
                "type": "bar",
                "data": [summary.entries[s].value for s in pipeline],
            },
            {
                "name": _("Same period last year"),
                "type": "bar",
                "data": [summary.entries[s].base for s in pipeline],
            },
        ],
    }
    earlier = period.year_earlier()
    pipeline_links = [
        [_entered(s, start, end) for s in pipeline],
        [_entered(s, earlier.start, earlier.end) for s in pipeline],
    ]
    months = [row["month"] for row in data.trend]
    trend_chart = {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [str(Stage(s).label) for s in selectors.TREND_STAGES]},
        "grid": {"left": 40, "right": 10, "top": 40, "bottom": 30},
        "xAxis": {"type": "category", "data": [f"{m:%Y-%m}" for m in months]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "name": str(Stage(s).label),
                "type": "line",
                "data": [row["counts"][s] for row in data.trend],
            }
            for s in selectors.TREND_STAGES
        ],
    }
    trend_links = [
        [_entered(s, max(m, start), min(selectors.month_end(m), end)) for m in months]
        for s in selectors.TREND_STAGES
    ]
    clusters = data.by_cluster
    cluster_chart = {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [str(Stage(s).label) for s in selectors.TREND_STAGES]},
        "grid": {"left": 40, "right": 10, "top": 40, "bottom": 30},
        "xAxis": {"type": "category", "data": [c["label"] for c in clusters]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "name": str(Stage(s).label),
                "type": "bar",
                "stack": "entries",
                "data": [c["counts"][s] for c in clusters],
            }
            for s in selectors.TREND_STAGES
        ],
    }
    cluster_links = [
        [_entered(s, start, end, **({"cluster": c["key"]} if c["key"] else {})) for c in clusters]
        for s in selectors.TREND_STAGES
    ]
    key_list = reverse("dispatch:key_projects")
    light_names = {"red": _("Red"), "yellow": _("Yellow"), "green": _("Green")}
    lights_chart = {
        "tooltip": {"trigger": "item"},
        "series": [
            {
                "type": "pie",
                "radius": ["45%", "70%"],
                "data": [
                    {
                        "name": str(light_names[c]),
                        "value": data.lights[c],
                        "itemStyle": {"color": LIGHT_COLOURS[c]},
                    }
                    for c in ("red", "yellow", "green")
                ],
            }
        ],
    }
    lights_links = [
        [f"{key_list}?{urlencode({'year': data.key_year, 'light': c})}" for c in light_names]
    ]
    return {
        "period": period,
        "data": data,
        "summary": summary,
        "tiles": tiles,
        "rates": summary.rates,
        "targets": summary.targets,
        "charts": {
            "pipeline": (pipeline_chart, pipeline_links),
            "trend": (trend_chart, trend_links),
            "clusters": (cluster_chart, cluster_links),
            "lights": (lights_chart, lights_links),
        },
        "light_counts": [(c, light_names[c], data.lights[c]) for c in ("red", "yellow", "green")],
        "key_list": key_list,
    }


def _render(request, template):
    form, period = period_from_request(request)
    context = {"form": form, "period": period}
    if period is not None:
        context.update(context_for(period))
    return render(request, template, context, status=200 if period else 400)


@permission_required("cockpit.view_cockpit")
def cockpit(request):
    return _render(request, "cockpit/cockpit.html")


@permission_required("cockpit.view_cockpit")
def screen(request):
    """The same cockpit for a wall display: dark, large, refreshing itself."""
    return _render(request, "cockpit/screen.html")
