"""Writes behind the battle map: uploading the zone map, placing a project on a plot."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.cockpit.models import Plot, ProjectPlot, ZoneMap
from gaoxin.core import audit
from gaoxin.core.models import AuditAction

MAX_MAP_BYTES = 5 * 1024 * 1024
POLYGONS = {"Polygon", "MultiPolygon"}


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
        props = (feature or {}).get("properties") or {}
        geometry = (feature or {}).get("geometry") or {}
        code = str(props.get("code") or "").strip()
        if not code:
            raise ValidationError(_("Plot %(n)d has no “code” property.") % {"n": number})
        if len(code) > 30:
            raise ValidationError(_("Plot code %(code)s is too long.") % {"code": code[:40]})
        if code in seen:
            raise ValidationError(_("Plot code %(code)s appears twice.") % {"code": code})
        if geometry.get("type") not in POLYGONS or not geometry.get("coordinates"):
            raise ValidationError(_("Plot %(code)s is not a polygon.") % {"code": code})
        seen.add(code)
    return data


@transaction.atomic
def zone_map_upload(*, raw: bytes, name: str, by) -> ZoneMap:
    """Check a GeoJSON of plots and make it the zone map; plots are added or renamed by code.
    A plot that still holds projects cannot disappear from a new map."""
    if not by.has_perm("cockpit.add_zonemap"):
        raise PermissionDenied
    data = _parse(raw)
    codes = {}
    for feature in data["features"]:
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
