"""The demo zone's map: a plausible plan of the reference zone's industrial land, with the
year's key projects placed on the plots of their cluster's park."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction

from gaoxin.cockpit import services
from gaoxin.cockpit.models import Plot, ZoneMap
from gaoxin.dispatch.models import KeyProject

DEMO_MAP = Path(__file__).resolve().parent / "data" / "rizhao-zone.geojson"
# Each plot of the demo map names its park's cluster (property ``cluster``: equipment, it,
# health, or incubator / service for the parks that are not a cluster's). A project without a
# cluster goes to the incubators.
NO_CLUSTER_PARK = "incubator"


@transaction.atomic
def seed_zone_map(*, admin, today: dt.date) -> int:

    if ZoneMap.objects.exists():
        return 0
    zone_map = services.zone_map_upload(raw=DEMO_MAP.read_bytes(), name="", by=admin)
    plots = {p.code: p for p in Plot.objects.all()}
    parks: dict[str, list[str]] = {}
    for feature in zone_map.geojson["features"]:
        props = feature["properties"]
        if services.feature_kind(feature) == "plot":
            parks.setdefault(props.get("cluster") or NO_CLUSTER_PARK, []).append(props["code"])
    used: dict[str, int] = {}
    placed = 0
    key_projects = KeyProject.objects.filter(year=today.year).select_related("project__cluster")
    for kp in key_projects.order_by("pk"):
        cluster = kp.project.cluster.code if kp.project.cluster else ""
        # The park's plots fill one project each first, then two, and so on.
        candidates = sorted(parks.get(cluster) or parks[NO_CLUSTER_PARK])
        code = min(candidates, key=lambda c: (used.get(c, 0), c))
        used[code] = used.get(code, 0) + 1
        services.project_place(project=kp.project, plot=plots[code], by=admin)
        placed += 1
    return placed
