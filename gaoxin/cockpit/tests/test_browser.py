"""The cockpit and the big screen on the demo zone, rendered offline, drilling down."""

import re

import pytest
from django.core.management import call_command

from tests.browser import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cockpit_and_big_screen_on_the_demo_zone(page, live_server, leader):
    call_command("seed_demo", verbosity=0)
    # The page fixture fails the test on any request leaving the server.
    sign_in(page, live_server, leader.username)
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{live_server.url}/cockpit/?year=2026&span=h1")
    for name in ("pipeline", "trend", "clusters", "lights"):
        chart = page.locator(f"[data-chart='chart-{name}']")
        assert chart.get_attribute("data-chart-ready") == "true"
        assert chart.locator("canvas").count() == 1
    signed = int(page.get_by_test_id("tile-signed").inner_text())
    assert signed > 0
    shot(page, "cockpit-demo-h1")

    page.get_by_test_id("tile-signed").click()
    page.wait_for_url(re.compile(r".*/projects/\?entered=signed.*"))
    # The list behind the figure holds exactly the projects counted.
    assert f"共 {signed} 条" in page.inner_text("body")

    page.goto(f"{live_server.url}/cockpit/screen/?year=2026&span=h1")
    assert page.locator("body.cockpit-screen").count() == 1
    assert page.locator("[data-chart='chart-lights'] canvas").count() == 1
    shot(page, "cockpit-big-screen")

    # The period report of the demo zone's first half-year, printable and exported.
    page.goto(f"{live_server.url}/cockpit/report/?year=2026&span=h1")
    for key in ("projects", "implementation", "environment", "talent"):
        assert page.get_by_test_id(f"report-{key}").is_visible()
    assert "招商引资" in page.get_by_test_id("report-projects").inner_text()
    shot(page, "period-report-2026-h1")
    with page.expect_download() as download:
        page.get_by_test_id("report-export").click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_battle_map_on_the_demo_zone_shows_a_plots_projects(page, live_server, leader):
    call_command("seed_demo", verbosity=0)
    sign_in(page, live_server, leader.username)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/cockpit/map/?colour=light")
    chart = page.locator("[data-chart='map-chart']")
    assert chart.get_attribute("data-chart-ready") == "true"
    # Click the middle of plot A-01 (the mean of its ring's corners, inside on the demo map).
    x, y = page.evaluate(
        """() => {
        const el = document.querySelector("[data-chart='map-chart']");
        const chart = window.echarts.getInstanceByDom(el);
        const drawing = JSON.parse(document.getElementById("map-geojson").textContent);
        const plot = drawing.features.find((f) => f.properties.code === "A-01");
        const ring = plot.geometry.coordinates[0].slice(1);
        const mean = (i) => ring.reduce((sum, p) => sum + p[i], 0) / ring.length;
        return chart.convertToPixel({seriesIndex: 0}, [mean(0), mean(1)]);
    }"""
    )
    box = chart.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    panel = page.get_by_test_id("plot-panel")
    panel.get_by_test_id("plot-name").wait_for()
    assert panel.get_by_test_id("plot-name").inner_text().startswith("A-01")
    assert panel.get_by_test_id("plot-project").count() >= 1
    shot(page, "battle-map-by-light")
    # The zone's boundary, roads, river and green belt are drawn beneath and named in the legend.
    legend = page.get_by_test_id("map-legend").inner_text()
    assert all(word in legend for word in ("园区边界", "道路", "河流", "绿带"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/cockpit/map/?colour=stage")
    assert chart.get_attribute("data-chart-ready") == "true"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "battle-map-by-stage-phone")
    page.goto(f"{live_server.url}/cockpit/schedule/?group=leader")
    assert page.get_by_test_id("gantt-row").count() == 61
    shot(page, "key-project-schedule")
