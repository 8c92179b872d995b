"""Writes behind the battle map: uploading the zone map, placing a project on a plot."""

from __future__ import annotations

import json
import math

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.cockpit.models import Plot, ProjectPlot, ZoneMap
from gaoxin.core import audit
from gaoxin.core.models import AuditAction

MAX_MAP_BYTES = 5 * 1024 * 1024
POLYGONS = {"Polygon", "MultiPolygon"}
LINES = {"LineString", "MultiLineString"}
# Features that are drawn beneath the plots but are not plots (property ``kind``): the zone's
# boundary, its roads (lines, or thin polygons), rivers and green belts.
BASE_KINDS = {"boundary": POLYGONS, "road": LINES | POLYGONS, "water": POLYGONS, "green": POLYGONS}


def feature_kind(feature: dict) -> str:
    """``plot`` unless the feature's ``kind`` property names a drawn-only feature."""
    kind = str(((feature or {}).get("properties") or {}).get("kind") or "plot").strip()
    return kind or "plot"


def _is_position(value) -> bool:
    """Two finite numbers (longitude/latitude or any planar system's x/y)."""
    return (
        isinstance(value, list)
        and len(value) >= 2
        and all(
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
            for v in value[:2]
        )
    )


def _line_ok(line) -> bool:
    return isinstance(line, list) and len(line) >= 2 and all(_is_position(p) for p in line)


def _polygon_ok(rings) -> bool:
    return (
        isinstance(rings, list)
        and bool(rings)
        and all(_line_ok(ring) and len(ring) >= 4 for ring in rings)
    )


def _geometry_ok(geometry: dict) -> bool:
    """The coordinates have the shape their type promises: positions of two finite numbers,
    lines of at least two positions, rings of at least four."""
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if not isinstance(coordinates, list) or not coordinates:
        return False
    if kind == "LineString":
        return _line_ok(coordinates)
    if kind == "MultiLineString":
        return all(_line_ok(line) for line in coordinates)
    if kind == "Polygon":
        return _polygon_ok(coordinates)
    if kind == "MultiPolygon":
        return all(_polygon_ok(polygon) for polygon in coordinates)
    return False


def _check_base_feature(number: int, kind: str, props: dict, geometry: dict) -> None:
    label = str(props.get("name") or props.get("code") or number)[:40]
    if kind not in BASE_KINDS:
        raise ValidationError(
            _(
                "Feature %(n)d has an unknown kind “%(kind)s”: use plot, boundary, road, "
                "water or green."
            )
            % {"n": number, "kind": kind[:30]}
        )
    if geometry.get("type") not in BASE_KINDS[kind] or not _geometry_ok(geometry):
        if kind == "road":
            message = _(
                "Road %(name)s (feature %(n)d) must be a line of at least two points "
                "(LineString) or a polygon."
            )
        else:
            message = _("Feature %(name)s (feature %(n)d) must be a polygon.")
        raise ValidationError(message % {"name": label, "n": number})


def _parse(raw: bytes) -> dict:
    if len(raw) > MAX_MAP_BYTES:
        raise ValidationError(_("The map file is larger than 5 MB."))
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValidationError(_("The file is not GeoJSON (JSON could not be read).")) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValidationError(_("The GeoJSON must be a FeatureCollection of plots."))
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise ValidationError(_("The map has no plots."))
    seen = set()
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            raise ValidationError(_("Plot %(n)d has no “code” property.") % {"n": number})
        props = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        kind = feature_kind(feature)
        if kind != "plot":
            _check_base_feature(number, kind, props, geometry)
            continue
        code = str(props.get("code") or "").strip()
        if not code:
            raise ValidationError(_("Plot %(n)d has no “code” property.") % {"n": number})
        if len(code) > 30:
            raise ValidationError(_("Plot code %(code)s is too long.") % {"code": code[:40]})
        if code in seen:
            raise ValidationError(_("Plot code %(code)s appears twice.") % {"code": code})
        if geometry.get("type") not in POLYGONS or not _geometry_ok(geometry):
            raise ValidationError(_("Plot %(code)s is not a polygon.") % {"code": code})
        seen.add(code)
    if not seen:
        raise ValidationError(_("The map has no plots."))
    return data


@transaction.atomic
def zone_map_upload(*, raw: bytes, name: str, by) -> ZoneMap:
    """Check a GeoJSON of plots and make it the zone map; plots are added or renamed by code.
    Features with a ``kind`` (boundary, road, water, green) are kept for drawing, not plots.
    A plot that still holds projects cannot disappear from a new map."""
    if not by.has_perm("cockpit.add_zonemap"):
        raise PermissionDenied
    data = _parse(raw)
    codes = {}
    for feature in data["features"]:
        if feature_kind(feature) != "plot":
            continue  # drawn beneath the plots from the stored GeoJSON, never a plot
        props = feature["properties"]
        area = props.get("area_mu")
        codes[str(props["code"]).strip()] = (
            str(props.get("name") or props["code"])[:100],
            area if isinstance(area, int | float) and 0 <= area < 10**8 else None,
        )
    orphaned = ProjectPlot.objects.exclude(plot__code__in=codes).values_list(
        "plot__code", flat=True
    )
    if orphaned:
        raise ValidationError(
            _("Plots with projects are missing from the new map: %(codes)s.")
            % {"codes": "、".join(sorted(set(orphaned)))}
        )
    for code, (plot_name, area) in codes.items():
        Plot.objects.update_or_create(code=code, defaults={"name": plot_name, "area_mu": area})
    Plot.objects.exclude(code__in=codes).delete()
    zone_map = ZoneMap.objects.create(
        name=(name or data.get("name") or _("Zone map"))[:100], geojson=data, uploaded_by=by
    )
    audit.record(
        action=AuditAction.CREATE,
        obj=zone_map,
        by=by,
        after={"name": zone_map.name, "plots": len(codes)},
    )
    return zone_map


@transaction.atomic
def project_place(*, project, plot, by) -> ProjectPlot | None:
    """Put a project on a plot (or take it off the map with ``plot=None``)."""
    if not by.has_perm("cockpit.change_projectplot"):
        raise PermissionDenied
    current = ProjectPlot.objects.filter(project=project).first()
    before = {"plot": current.plot.code} if current else None
    if plot is None:
        if current:
            current.delete()
            audit.record(action=AuditAction.DELETE, obj=project, by=by, before=before)
        return None
    placement, _created = ProjectPlot.objects.update_or_create(
        project=project, defaults={"plot": plot}
    )
    audit.record(
        action=AuditAction.UPDATE, obj=project, by=by, before=before, after={"plot": plot.code}
    )
    return placement


def current_map() -> ZoneMap | None:
    return ZoneMap.objects.order_by("-created_at", "-id").first()
