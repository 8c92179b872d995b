"""The battle map: an uploaded GeoJSON of plots, projects placed on them, a plot's panel;
the Gantt schedule of key-project milestones."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from gaoxin.cockpit import services
from gaoxin.cockpit.demo import DEMO_MAP
from gaoxin.cockpit.models import Plot, ProjectPlot, ZoneMap
from gaoxin.core.models import AuditEntry
from gaoxin.dispatch import services as dispatch
from gaoxin.dispatch.models import PlanTemplate
from gaoxin.projects.services import project_create

pytestmark = pytest.mark.django_db


def _square(code, x=0.0):
    ring = [[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]
    return {
        "type": "Feature",
        "properties": {"code": code, "name": f"{code}地块", "area_mu": 120},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def _geojson(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def _road(name, coordinates, kind="LineString"):
    return {
        "type": "Feature",
        "properties": {"kind": "road", "name": name},
        "geometry": {"type": kind, "coordinates": coordinates},
    }


def _area(kind, name, x=0.0):
    feature = _square("", x)
    feature["properties"] = {"kind": kind, "name": name}
    return feature


def test_the_demo_map_is_a_valid_zone_map(admin_user):
    zone_map = services.zone_map_upload(raw=DEMO_MAP.read_bytes(), name="", by=admin_user)
    assert zone_map.name == "日照高新区产业用地（示意）"
    kinds = [services.feature_kind(f) for f in zone_map.geojson["features"]]
    assert kinds.count("boundary") == 1 and kinds.count("road") >= 8
    assert {"water", "green"} <= set(kinds)
    assert Plot.objects.count() == kinds.count("plot") == 37
    # Every park has its plots, and each plot's area is the area drawn (a plan's 亩 figures).
    parks = {f["properties"].get("cluster") for f in zone_map.geojson["features"]}
    assert {"equipment", "it", "health", "incubator", "service"} <= parks
    assert all(150 <= plot.area_mu <= 1000 for plot in Plot.objects.all())
    assert AuditEntry.objects.filter(action="create", content_type__model="zonemap").exists()


def test_boundary_roads_rivers_and_green_are_kept_for_drawing_and_are_not_plots(
    client, admin_user, staff
):
    raw = _geojson(
        _area("boundary", "规划范围", -1),
        _road("北京路", [[0.5, -1], [0.5, 2]]),
        _road("高新六路", [[[-1, 0.5], [3, 0.5]]], kind="MultiLineString"),
        _area("water", "傅疃河", 4),
        _area("green", "滨河绿带", 6),
        _square("A"),
        _square("B", 2),
    )
    zone_map = services.zone_map_upload(raw=raw, name="", by=admin_user)
    assert list(Plot.objects.values_list("code", flat=True)) == ["A", "B"]
    assert len(zone_map.geojson["features"]) == 7
    client.force_login(staff)
    page = client.get("/cockpit/map/?year=2026")
    series = page.context["chart"]["series"][0]
    names = [d["name"] for d in series["data"]]
    # Drawn first (beneath the plots), silent, and no link: a click on a road opens nothing.
    assert names == ["规划范围", "北京路", "高新六路", "傅疃河", "滨河绿带", "A", "B"]
    assert page.context["links"] == [
        [None] * 5 + [f"/cockpit/map/plots/{c}/?year=2026" for c in "AB"]
    ]
    base = {d["name"]: d for d in series["data"][:5]}
    assert all(d["emphasis"] == {"disabled": True} for d in base.values())
    assert base["北京路"]["label"]["show"] is True
    assert base["规划范围"]["itemStyle"]["borderType"] == "dashed"
    drawn = page.context["drawing"]["features"]
    assert [f["properties"]["_key"] for f in drawn] == names
    html = page.content.decode()
    assert html.count('data-testid="map-legend-base"') == 4
    for word in ("园区边界", "道路", "河流", "绿带"):
        assert word in html
    # A later map without the roads keeps the plots and draws no road.
    services.zone_map_upload(raw=_geojson(_square("A"), _square("B", 2)), name="", by=admin_user)
    page = client.get("/cockpit/map/?year=2026")
    assert [d["name"] for d in page.context["chart"]["series"][0]["data"]] == ["A", "B"]
    assert 'data-testid="map-legend-base"' not in page.content.decode()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"not json", "JSON"),
        (b'{"type": "Feature"}', "FeatureCollection"),
        (_geojson(), "no plots"),
        (_geojson(_square("A"), _square("A", 2)), "twice"),
        (_geojson({"type": "Feature", "properties": {}, "geometry": None}), "code"),
        (
            _geojson(
                {
                    "type": "Feature",
                    "properties": {"code": "P"},
                    "geometry": {"type": "Point", "coordinates": [0, 0]},
                }
            ),
            "polygon",
        ),
        (_geojson(_road("北京路", [[0, 0], [1, 1]])), "no plots"),
        (
            _geojson(_square("A"), _road("北京路", [[0, 0]])),
            "Road 北京路 (feature 2) must be a line",
        ),
        (
            _geojson(_square("A"), _road("北京路", [[0, 0], ["x", 1]])),
            "Road 北京路 (feature 2) must be a line",
        ),
        (
            _geojson(_square("A"), _road("高新六路", [0, 0], kind="Point")),
            "Road 高新六路 (feature 2) must be a line",
        ),
        (_geojson(_square("A"), _road("北京路", [[0, 0], [float("nan"), 1]])), "must be a line"),
        (
            _geojson(_square("A"), {**_road("界", []), "properties": {"kind": "boundary"}}),
            "must be a polygon",
        ),
        (_geojson(_area("lake", "湖", 2), _square("A")), "unknown kind “lake”"),
        (
            _geojson(
                {
                    "type": "Feature",
                    "properties": {"code": "A"},
                    "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]},
                }
            ),
            "polygon",
        ),
    ],
)
def test_a_bad_map_is_refused_and_changes_nothing(admin_user, raw, message, settings):
    settings.LANGUAGE_CODE = "en"

    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.zone_map_upload(raw=raw, name="坏图", by=admin_user)
    assert message in " ".join(error.value.messages)
    assert not ZoneMap.objects.exists()
    assert not Plot.objects.exists()


def test_only_admins_upload_and_plots_with_projects_stay(admin_user, staff, enterprise):
    with pytest.raises(PermissionDenied):
        services.zone_map_upload(raw=_geojson(_square("A")), name="", by=staff)
    services.zone_map_upload(raw=_geojson(_square("A"), _square("B", 2)), name="", by=admin_user)
    project = project_create(by=staff, data={"name": "落地项目", "enterprise": enterprise})
    services.project_place(project=project, plot=Plot.objects.get(code="A"), by=staff)
    with pytest.raises(ValidationError):
        services.zone_map_upload(raw=_geojson(_square("B", 2)), name="", by=admin_user)
    assert ZoneMap.objects.count() == 1
    # A new map keeping plot A renames it and drops the empty plot B.
    renamed = _square("A")
    renamed["properties"]["name"] = "A 新名"
    services.zone_map_upload(raw=_geojson(renamed), name="新图", by=admin_user)
    assert list(Plot.objects.values_list("code", "name")) == [("A", "A 新名")]
    assert ProjectPlot.objects.get().plot.code == "A"


def test_the_map_colours_plots_and_a_click_shows_projects_milestones_and_problems(
    client, admin_user, staff, leader, enterprise, enterprise_user, calendar
):
    services.zone_map_upload(raw=_geojson(_square("A"), _square("B", 2)), name="", by=admin_user)
    project = project_create(by=staff, data={"name": "落地项目", "enterprise": enterprise})
    key_project = dispatch.key_project_add(
        year=2026, project=project, sponsor=leader, lead_department=staff.department, by=staff
    )
    dispatch.problem_raise(
        project=project, by=enterprise_user, kind="blockage", title="道路未通", description="x"
    )
    client.force_login(staff)
    placed = client.post("/cockpit/map/?year=2026", {"project": project.pk, "plot": "A"})
    assert placed.status_code == 302
    assert ProjectPlot.objects.get().plot.code == "A"
    page = client.get("/cockpit/map/?year=2026&colour=stage")
    chart = page.context["chart"]["series"][0]["data"]
    colours = {d["name"]: d["itemStyle"]["areaColor"] for d in chart}
    assert colours["A"] == "#adb5bd"  # a lead
    assert colours["B"] == "#e9ecef"  # empty
    panel = client.get("/cockpit/map/plots/A/?year=2026")
    html = panel.content.decode()
    assert "落地项目" in html and "道路未通" in html
    assert f"/dispatch/key-projects/{key_project.pk}/" in html
    # Bad placements answer with a message and change nothing.
    client.post("/cockpit/map/?year=2026", {"project": project.pk, "plot": "NOPE"})
    assert ProjectPlot.objects.get().plot.code == "A"
    client.force_login(leader)
    client.post("/cockpit/map/?year=2026", {"project": project.pk, "plot": "B"})
    assert ProjectPlot.objects.get().plot.code == "A"  # leaders read the map


def test_the_schedule_shows_planned_and_actual_per_key_project(
    client, staff, leader, enterprise, calendar
):

    project = project_create(by=staff, data={"name": "排期项目", "enterprise": enterprise})
    key_project = dispatch.key_project_add(
        year=2026, project=project, sponsor=leader, lead_department=staff.department, by=staff
    )
    dispatch.plan_from_template(
        key_project=key_project,
        template=PlanTemplate.objects.get(name="工业项目标准节点"),
        start=dt.date(2026, 3, 2),
        by=staff,
    )
    first = key_project.milestones.get(order=1)
    dispatch.milestone_record(
        milestone=first,
        by=staff,
        actual_start=dt.date(2026, 3, 2),
        actual_end=dt.date(2026, 3, 31),
        expected_version=first.version,
    )
    client.force_login(leader)
    page = client.get("/cockpit/schedule/?year=2026&group=cluster")
    html = page.content.decode()
    assert html.count('data-testid="gantt-row"') == 1
    assert html.count("gantt-bar gantt-planned") == 9
    assert html.count("gantt-bar gantt-actual") == 1
    assert "土地摘牌 实际 2026-03-02–2026-03-31" in html
