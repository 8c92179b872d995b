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
# The rows of the demo map: one park per cluster, then incubators and services.
PARK_ROWS = {"equipment": "A", "it": "B", "health": "C"}


@transaction.atomic
def seed_zone_map(*, admin, today: dt.date) -> int:

    if ZoneMap.objects.exists():
        return 0
    services.zone_map_upload(raw=DEMO_MAP.read_bytes(), name="", by=admin)
    plots = {code: plot for code, plot in ((p.code, p) for p in Plot.objects.all())}
    used: dict[str, int] = {}
    placed = 0
    key_projects = KeyProject.objects.filter(year=today.year).select_related("project__cluster")
    for kp in key_projects.order_by("pk"):
        cluster = kp.project.cluster.code if kp.project.cluster else ""
        row = PARK_ROWS.get(cluster, "D")
        # The park's plots fill one project each first, then two, spilling into row E.
        candidates = [c for c in sorted(plots) if c.startswith(row)] + [
            c for c in sorted(plots) if c.startswith("E")
        ]
        code = min(candidates, key=lambda c: (used.get(c, 0), c))
        used[code] = used.get(code, 0) + 1
        services.project_place(project=kp.project, plot=plots[code], by=admin)
        placed += 1
    return placed
