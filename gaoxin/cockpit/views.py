"""The cockpit page and its big-screen layout: figures and charts of a period, each element
linked to the list behind it."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.cockpit import exports, selectors, services
from gaoxin.cockpit.models import Plot, ProjectPlot
from gaoxin.core.excel import xlsx_response
from gaoxin.core.params import int_or_none
from gaoxin.core.permissions import permission_required
from gaoxin.delivery import selectors as delivery
from gaoxin.delivery.models import Klass
from gaoxin.dispatch import lights as light_rules
from gaoxin.dispatch import selectors as dispatch
from gaoxin.dispatch.models import KeyProject, Milestone, Problem
from gaoxin.projects.forms import period_from_request
from gaoxin.projects.selectors import project_base
from gaoxin.projects.stages import PIPELINE, Stage

LIGHT_COLOURS = {"red": "#d63939", "yellow": "#f59f00", "green": "#2fb344"}


def _projects_url(**params) -> str:
    return f"{reverse('projects:list')}?{urlencode(params)}"


def _entered(stage, start, end, **extra) -> str:
    return _projects_url(entered=stage, start=start.isoformat(), end=end.isoformat(), **extra)


def context_for(period) -> dict:
    """Everything both layouts show: tiles, tables and chart options with their links."""
    data = selectors.cockpit(period)
    summary = data.summary
    period = data.period  # counted to today: the lists behind the figures hold the same span
    start, end = period.start, period.end
    tiles = [
        {
            "label": _("In the register"),
            "value": summary.in_register.value,
            "growth": summary.in_register.growth_display,
            "base": summary.in_register.base_display,
            "url": _projects_url(basis="register", as_of=end.isoformat()),
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
                "base": comparison.base_display,
                "url": _entered(stage, start, end),
                "stage": stage,
            }
        )
    rate_tiles = _rate_tiles(summary, period)
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
        "rate_tiles": rate_tiles,
        "targets": summary.targets,
        "charts": {
            "pipeline": (pipeline_chart, pipeline_links),
            "trend": (trend_chart, trend_links),
            "clusters": (cluster_chart, cluster_links),
            "lights": (lights_chart, lights_links),
        },
        "light_counts": [(c, light_names[c], data.lights[c]) for c in ("red", "yellow", "green")],
        "key_list": key_list,
        "per_mu": _per_mu(),
    }


def _rate_tiles(summary, period) -> list[dict]:
    """The rates and funds in place, each with the lists behind its numerator and denominator
    (the engine's own lists: stats.start_kept_projects, landed_projects, …)."""
    rates, start, end = summary.rates, period.start, period.end
    span = {"start": start.isoformat(), "end": end.isoformat()}
    day = {"as_of": end.isoformat()}
    money = reverse("projects:money")

    def pct(value):
        return "n/a" if value is None else f"{value}%"

    return [
        {
            "key": "on_time_start",
            "label": _("On-time construction starts"),
            "value": pct(rates.on_time_start),
            "numerator": (rates.on_time_start_kept, _projects_url(basis="start_kept", **span)),
            "denominator": (rates.on_time_start_base, _projects_url(basis="start_due", **span)),
            "note": _("started on time / planned to start in the period"),
        },
        {
            "key": "investment_completion",
            "label": _("Investment completion"),
            "value": pct(rates.investment_completion),
            "numerator": (
                rates.landed_done,
                f"{money}?{urlencode({'kind': 'investment_completed', **day})}",
            ),
            "denominator": (rates.landed_fixed, _projects_url(basis="landed", **day)),
            "note": _("investment completed / planned fixed-asset investment (10k CNY)"),
        },
        {
            "key": "production_reached",
            "label": _("Production reached (at capacity)"),
            "value": pct(rates.production_reached),
            "numerator": (
                summary.stock[Stage.AT_CAPACITY],
                _projects_url(stage_on=Stage.AT_CAPACITY, **day),
            ),
            "denominator": (rates.producing, _projects_url(basis="producing", **day)),
            "note": _("at capacity / in production or at capacity"),
        },
        {
            "key": "funds",
            "label": _("Funds in place"),
            "value": rates.funds_in_place,
            "numerator": (
                rates.funds_in_place,
                f"{money}?{urlencode({'kind': 'funds_in_place', **span})}",
            ),
            "denominator": None,
            "note": _("10k CNY"),
        },
    ]


def _per_mu() -> dict | None:
    """The latest published per-mu evaluation: the zone's 亩均税收 and the class distribution,
    each opening its list (delivery's selectors, the one place they are computed)."""
    evaluation = delivery.current_evaluation()
    if evaluation is None:
        return None
    url = reverse("delivery:evaluation", args=[evaluation.pk])
    return {
        "evaluation": evaluation,
        "tax_per_mu": delivery.tax_per_mu(evaluation),
        "url": url,
        "classes": [
            (klass, n, f"{url}?{urlencode({'klass': klass})}")
            for klass, n in delivery.distribution(evaluation).items()
        ],
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


# --- battle map and schedule (挂图作战) -----------------------------------------------------

STAGE_COLOURS = {
    "lead": "#adb5bd",
    "negotiating": "#74a7f7",
    "signed": "#6366f1",
    "registered": "#8b5cf6",
    "under_construction": "#f59f00",
    "in_production": "#2fb344",
    "at_capacity": "#0ca678",
    "dropped": "#e03131",
}
EMPTY_PLOT = "#e9ecef"
# How the features that are not plots are drawn beneath them (the zone's boundary, roads,
# rivers, green belts): style in the chart, swatch in the legend, tooltip or not.
BASE_STYLES = {
    "boundary": {
        "itemStyle": {
            "areaColor": "#f8f9fa",
            "borderColor": "#c92a2a",
            "borderWidth": 2,
            "borderType": "dashed",
        },
        "tooltip": {"show": False},
    },
    "green": {"itemStyle": {"areaColor": "#d3f9d8", "borderColor": "#b2f2bb", "borderWidth": 1}},
    "water": {
        "itemStyle": {"areaColor": "#a5d8ff", "borderColor": "#74c0fc", "borderWidth": 1},
        "label": {"show": True, "fontSize": 10, "color": "#1971c2"},
    },
    "road": {
        "itemStyle": {"areaColor": "#dee2e6", "borderColor": "#6b7785", "borderWidth": 3},
        "label": {"show": True, "fontSize": 10, "color": "#495057"},
    },
}
BASE_LEGEND = {
    "boundary": (
        "background: transparent; border: 2px dashed #c92a2a",
        gettext_lazy("Zone boundary"),
    ),
    "road": ("background: #6b7785", gettext_lazy("Road")),
    "water": ("background: #a5d8ff", gettext_lazy("River")),
    "green": ("background: #d3f9d8", gettext_lazy("Green belt")),
}


def _along(geometry: dict, fraction: float) -> list[float]:
    """The point ``fraction`` of the way along a (Multi)LineString's first line."""
    points = [p[:2] for p in geometry["coordinates"]]
    if geometry["type"] == "MultiLineString":
        points = [p[:2] for p in geometry["coordinates"][0]]
    segments = [(a, b, math.dist(a, b)) for a, b in itertools.pairwise(points)]
    left = sum(step for _a, _b, step in segments) * fraction
    for a, b, step in segments:
        if step and left <= step:
            return [a[0] + (b[0] - a[0]) * left / step, a[1] + (b[1] - a[1]) * left / step]
        left -= step
    return list(points[-1])


def _map_drawing(zone_map) -> tuple[dict, list[dict], list[tuple[str, str]]]:
    """The zone map as the chart draws it: every feature named by a key (a plot by its code, a
    road or river by its name) and the features that are not plots as styled, silent regions
    (their data items come first, so they lie beneath the plots), with their legend entries."""
    features, items, kinds = [], [], []
    if zone_map is None:
        return {"type": "FeatureCollection", "features": []}, items, []
    plot_codes = {
        str((f.get("properties") or {}).get("code") or "").strip()
        for f in zone_map.geojson.get("features", [])
        if services.feature_kind(f) == "plot"
    }
    keys = set(plot_codes)
    for number, feature in enumerate(zone_map.geojson.get("features", []), start=1):
        props = dict(feature.get("properties") or {})
        kind = services.feature_kind(feature)
        if kind == "plot":
            props["_key"] = str(props.get("code") or "").strip()
        else:
            key = str(props.get("name") or "").strip() or f"{kind}-{number}"
            props["_key"] = key if key not in keys else f"{key} ({number})"
            keys.add(props["_key"])
            style = BASE_STYLES.get(kind, {})
            line = feature["geometry"].get("type") in services.LINES
            if line and "cp" not in props:
                # A road's name near its start, not at its middle among the plots' codes.
                props["cp"] = _along(feature["geometry"], 0.1)
            item_style = dict(style.get("itemStyle", {}))
            if kind == "road" and line and props.get("class") == "main":
                item_style["borderWidth"] = 5
            items.append(
                {
                    "name": props["_key"],
                    "value": None,
                    "itemStyle": item_style,
                    "label": style.get("label", {"show": False}),
                    "emphasis": {"disabled": True},
                    "tooltip": style.get("tooltip", {"formatter": "{b}"}),
                }
            )
            if kind not in kinds:
                kinds.append(kind)
        features.append({**feature, "properties": props})
    legend = [BASE_LEGEND[k] for k in BASE_LEGEND if k in kinds]
    return {"type": "FeatureCollection", "features": features}, items, legend


def _map_year(request) -> int:

    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2999 else timezone.localdate().year


@permission_required("cockpit.view_zonemap")
def battle_map(request):
    """The zone's plots coloured by the stage of their projects or by the key projects' light;
    a click shows the plot's projects, milestones and open problems."""

    year = _map_year(request)
    colour_by = request.GET.get("colour")
    colour_by = colour_by if colour_by in ("light", "class") else "stage"
    if request.method == "POST":
        try:
            if "geojson" in request.FILES:
                upload = request.FILES["geojson"]
                services.zone_map_upload(
                    raw=upload.read(services.MAX_MAP_BYTES + 1),
                    name=request.POST.get("name", ""),
                    by=request.user,
                )
                messages.success(request, _("The zone map was replaced."))
            else:
                project = (
                    project_base(request.user)
                    .filter(pk=int_or_none(request.POST.get("project")))
                    .first()
                )
                code = request.POST.get("plot", "")
                plot = Plot.objects.filter(code=code).first() if code else None
                if project is None or (code and plot is None):
                    raise ValidationError(_("Choose a project and a plot from the lists."))
                services.project_place(project=project, plot=plot, by=request.user)
                messages.success(request, _("Placement saved."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied:
            messages.error(request, _("You may not change the map."))
        return redirect(f"{request.path}?year={year}&colour={colour_by}")

    zone_map = services.current_map()
    placements = list(ProjectPlot.objects.select_related("project", "plot"))
    key_projects = KeyProject.objects.filter(year=year)
    lights = {
        row.key_project.project_id: row.light for row in dispatch.key_project_lights(key_projects)
    }
    rank = {s: i for i, s in enumerate([*PIPELINE, "dropped"])}
    plots: dict[str, dict] = {}
    for placement in placements:
        entry = plots.setdefault(placement.plot.code, {"stages": [], "lights": []})
        entry["stages"].append(placement.project.stage)
        if placement.project_id in lights:
            entry["lights"].append(lights[placement.project_id])
    evaluation = delivery.current_evaluation() if colour_by == "class" else None
    classes = delivery.plot_classes(evaluation)
    drawing, base_items, base_legend = _map_drawing(zone_map)
    data, links = list(base_items), [None] * len(base_items)
    for plot in Plot.objects.all():
        entry = plots.get(plot.code)
        if colour_by == "class":
            colour = delivery.CLASS_COLOURS.get(classes.get(plot.code), EMPTY_PLOT)
        elif entry and colour_by == "stage":
            stage = max(entry["stages"], key=lambda s: rank.get(s, 0))
            colour = STAGE_COLOURS.get(stage, EMPTY_PLOT)
        elif entry and entry["lights"]:
            colour = LIGHT_COLOURS[light_rules.worst(*entry["lights"])]
        else:
            colour = EMPTY_PLOT
        data.append(
            {
                "name": plot.code,
                "value": len(entry["stages"]) if entry else 0,
                "itemStyle": {"areaColor": colour},
            }
        )
        links.append(reverse("cockpit:plot", args=[plot.code]) + f"?year={year}")
    chart = {
        "tooltip": {"trigger": "item", "formatter": "{b}: {c}"},
        "series": [
            {
                "type": "map",
                "map": "zone",
                "nameProperty": "_key",
                "roam": True,
                "label": {"show": True, "fontSize": 10},
                # Where a road's name would cover a plot's code (a phone), one gives way.
                "labelLayout": {"hideOverlap": True},
                "layoutCenter": ["50%", "50%"],
                "layoutSize": "98%",
                "itemStyle": {"borderColor": "#495057", "borderWidth": 1},
                "emphasis": {"itemStyle": {"areaColor": "#ffd43b"}},
                "select": {"disabled": True},
                "data": data,
            }
        ],
    }

    legend = (
        [(STAGE_COLOURS[s], Stage(s).label) for s in [*PIPELINE, "dropped"]]
        if colour_by == "stage"
        else [(delivery.CLASS_COLOURS[k], label) for k, label in Klass.choices]
        if colour_by == "class"
        else [
            (LIGHT_COLOURS[c], label)
            for c, label in (("red", _("Red")), ("yellow", _("Yellow")), ("green", _("Green")))
        ]
    )
    placed = {p.project_id for p in placements}
    return render(
        request,
        "cockpit/battle_map.html",
        {
            "zone_map": zone_map,
            "drawing": drawing,
            "base_legend": base_legend,
            "chart": chart,
            "links": [links],
            "legend": [*legend, (EMPTY_PLOT, _("No project"))],
            "colour_by": colour_by,
            "evaluation": evaluation,
            "year": year,
            "plots": Plot.objects.all(),
            "unplaced": key_projects.exclude(project_id__in=placed).select_related("project"),
            "can_place": request.user.has_perm("cockpit.change_projectplot"),
            "can_upload": request.user.has_perm("cockpit.add_zonemap"),
            "placed_count": len(placements),
        },
    )


@permission_required("cockpit.view_zonemap")
def plot_detail(request, code: str):
    """The panel of one plot: its projects, their milestones and open problems."""

    plot = get_object_or_404(Plot, code=code)
    year = _map_year(request)
    today = timezone.localdate()
    projects = list(
        project_base(request.user)
        .filter(plot_placement__plot=plot)
        .select_related("enterprise", "steward")
    )
    listings = {
        row.key_project.project_id: row
        for row in dispatch.key_project_lights(
            KeyProject.objects.filter(year=year, project__in=projects)
        )
    }
    problems = {}
    for problem in Problem.objects.open().filter(project__in=projects):
        problem.light = light_rules.problem_light(problem, today)
        problems.setdefault(problem.project_id, []).append(problem)
    for project in projects:
        project.listing = listings.get(project.pk)
        project.open_problems = problems.get(project.pk, [])
        if project.listing:
            milestones = list(project.listing.key_project.milestones.all())
            for m in milestones:
                m.light = light_rules.milestone_light(m, today)
            project.milestones = milestones
    return render(
        request,
        "cockpit/partials/plot.html",
        {"plot": plot, "projects": projects, "year": year},
    )


@permission_required("cockpit.view_cockpit")
def schedule(request):
    """The Gantt of key-project milestones, planned against actual, grouped by sponsor leader
    or by cluster."""

    year = _map_year(request)
    group_by = "cluster" if request.GET.get("group") == "cluster" else "leader"
    today = timezone.localdate()
    key_projects = list(
        KeyProject.objects.filter(year=year)
        .select_related("project__cluster", "sponsor")
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("order")))
    )
    dates = [
        d
        for kp in key_projects
        for m in kp.milestones.all()
        for d in (m.planned_start, m.planned_end, m.actual_start, m.actual_end)
        if d
    ]
    start = min(dates, default=dt.date(year, 1, 1)).replace(day=1)
    end = max(dates, default=dt.date(year, 12, 31))
    span = max((end - start).days + 1, 1)

    def pct(day):
        return round(100 * (day - start).days / span, 2)

    groups: dict[str, list] = {}
    for kp in key_projects:
        label = (
            str(kp.sponsor)
            if group_by == "leader"
            else (kp.project.cluster.name if kp.project.cluster else "—")
        )
        bars = []
        for m in kp.milestones.all():
            bar = {
                "name": m.name,
                "light": light_rules.milestone_light(m, today),
                "planned_left": pct(m.planned_start),
                "planned_width": max(
                    pct(m.planned_end + dt.timedelta(days=1)) - pct(m.planned_start), 0.3
                ),
                "planned": f"{m.planned_start:%Y-%m-%d}–{m.planned_end:%Y-%m-%d}",
                "actual": "",
            }
            if m.actual_start:
                actual_end = m.actual_end or today
                bar.update(
                    actual_left=pct(m.actual_start),
                    actual_width=max(
                        pct(actual_end + dt.timedelta(days=1)) - pct(m.actual_start), 0.3
                    ),
                    actual=f"{m.actual_start:%Y-%m-%d}–{m.actual_end:%Y-%m-%d}"
                    if m.actual_end
                    else f"{m.actual_start:%Y-%m-%d}–",
                )
            bars.append(bar)
        groups.setdefault(label, []).append({"kp": kp, "bars": bars})
    months = []
    month = start
    long_span = (end - start).days > 430  # over ~14 months, label the quarters only
    while month <= end:
        if not long_span or month.month in (1, 4, 7, 10):
            months.append({"label": f"{month:%Y-%m}", "left": pct(month)})
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return render(
        request,
        "cockpit/schedule.html",
        {
            "year": year,
            "group_by": group_by,
            "groups": sorted(groups.items()),
            "months": months,
            "today_left": pct(today) if start <= today <= end else None,
        },
    )


@permission_required("cockpit.view_cockpit")
def period_report(request):
    """The period written up as a report: printable, and an Excel workbook per section."""

    form, period = period_from_request(request)
    context = {"form": form, "period": period}
    if period is not None:
        sections = selectors.period_report(period)
        if request.GET.get("export") == "xlsx":
            return xlsx_response(*exports.period_report_workbook(period, sections))
        context["sections"] = sections
    return render(request, "cockpit/report.html", context, status=200 if period else 400)
