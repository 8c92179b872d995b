"""The cockpit shows the statistics engine's figures for the period, and a newly recorded
event shows at once (the cache follows the data)."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from gaoxin.cockpit import selectors
from gaoxin.cockpit.selectors import period_report
from gaoxin.dispatch import selectors as dispatch_selectors
from gaoxin.dispatch import services as dispatch
from gaoxin.dispatch.models import KeyProject
from gaoxin.platforms import services as platform_services
from gaoxin.projects import stats
from gaoxin.projects.models import StageEvent
from gaoxin.projects.services import event_correct, money_add, project_advance, project_create
from gaoxin.spaces import services as space_services
from gaoxin.talent import services as talent_services

pytestmark = pytest.mark.django_db
D = dt.date
H1 = stats.Period(D(2026, 1, 1), D(2026, 6, 30))


@pytest.fixture
def register(staff, leader, enterprise, calendar):
    """Projects at several stages in 2025 and 2026, one of them a key project."""
    made = []
    for i, steps in enumerate(
        [
            [("negotiating", D(2025, 3, 1))],
            [("negotiating", D(2026, 1, 10)), ("signed", D(2026, 2, 1))],
            [
                ("negotiating", D(2026, 1, 5)),
                ("signed", D(2026, 3, 1)),
                ("under_construction", D(2026, 5, 20)),
            ],
            [("negotiating", D(2026, 4, 1))],
        ]
    ):
        project = project_create(
            by=staff,
            data={"name": f"项目{i}", "enterprise": enterprise},
            stage="lead",
            on=D(2025, 1, 2),
        )
        for stage, on in steps:
            project_advance(project=project, to_stage=stage, on=on, by=staff)
        made.append(project)
    money_add(project=made[2], by=staff, kind="funds_in_place", on=D(2026, 5, 1), amount=500)
    dispatch.key_project_add(
        year=2026, project=made[2], sponsor=leader, lead_department=staff.department, by=staff
    )
    return made


def test_the_cockpit_numbers_are_the_statistics_engines(register):
    data = selectors.cockpit(H1, today=D(2026, 7, 1))
    summary = stats.summary(H1)
    assert {s: c.value for s, c in data.summary.entries.items()} == {
        s: c.value for s, c in summary.entries.items()
    }
    assert data.summary.entries["negotiating"].value == 3
    assert data.summary.entries["signed"].value == 2
    assert data.summary.in_register.value == summary.in_register.value == 4
    assert data.summary.rates.funds_in_place == 500
    # The month-by-month trend adds up to the period's entries of each stage.
    for stage in selectors.TREND_STAGES:
        assert sum(row["counts"][stage] for row in data.trend) == summary.entries[stage].value
    assert data.trend[0]["month"] == D(2026, 1, 1)
    assert len(data.trend) == 6
    # The clusters' entries add up too (projects without a cluster included).
    for stage in selectors.TREND_STAGES:
        assert sum(c["counts"][stage] for c in data.by_cluster) == summary.entries[stage].value
    lights = dispatch_selectors.key_project_lights(KeyProject.objects.all(), D(2026, 7, 1))
    assert sum(data.lights.values()) == len(lights) == 1


def test_a_newly_recorded_event_changes_the_cockpit_at_once(register, staff):
    before = selectors.cockpit(H1, today=D(2026, 7, 1))
    assert before.summary.entries["signed"].value == 2
    project_advance(project=register[3], to_stage="signed", on=D(2026, 6, 1), by=staff)
    after = selectors.cockpit(H1, today=D(2026, 7, 1))
    assert after.summary.entries["signed"].value == 3
    # A correction (voiding the step just recorded) counts as well.

    event = StageEvent.objects.filter(project=register[3]).order_by("-on", "-id").first()
    event_correct(event=event, by=staff, reason="录入错误")
    assert selectors.cockpit(H1, today=D(2026, 7, 1)).summary.entries["signed"].value == 2


def test_an_unchanged_cockpit_comes_from_the_cache(register, django_assert_max_num_queries):
    selectors.cockpit(H1, today=D(2026, 7, 1))
    with django_assert_max_num_queries(1):  # only the data stamp
        again = selectors.cockpit(H1, today=D(2026, 7, 1))
    assert again.summary.entries["negotiating"].value == 3


def test_a_new_problem_or_light_change_is_not_stale(register, staff, enterprise_user):
    selectors.cockpit(H1, today=D(2026, 7, 1))
    dispatch.problem_raise(
        project=register[2], by=enterprise_user, kind="blockage", title="停电", description="停电"
    )
    assert selectors.cockpit(H1, today=D(2026, 7, 1)).problems_open == 1


def test_cockpit_page_api_and_screen(client, register, leader, enterprise_user):
    client.force_login(leader)
    page = client.get("/cockpit/?year=2026&span=h1")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="tile-signed">2<' in html
    assert "entered=signed&amp;start=2026-01-01&amp;end=2026-06-30" in html
    assert 'id="links-pipeline"' in html
    screen = client.get("/cockpit/screen/?year=2026&span=h1")
    assert 'data-refresh-seconds="300"' in screen.content.decode()
    bad = client.get("/cockpit/?year=2026&span=custom&start=2026-06-30&end=2026-01-01")
    assert bad.status_code == 400
    api = client.get("/api/v1/cockpit?start=2026-01-01&end=2026-06-30").json()
    assert api["entries"]["signed"]["value"] == 2
    assert (
        api["key_project_lights"]["red"]
        + api["key_project_lights"]["green"]
        + api["key_project_lights"]["yellow"]
        == 1
    )
    client.force_login(enterprise_user)
    assert client.get("/cockpit/").status_code == 403


def test_the_period_report_renders_its_sections_and_exports_a_sheet_each(client, register, leader):

    client.force_login(leader)
    page = client.get("/cockpit/report/?year=2026&span=h1")
    assert page.status_code == 200
    html = page.content.decode()
    for key in ("projects", "implementation", "environment", "talent"):
        assert f'data-testid="report-{key}"' in html
    sections = {s.key: s for s in page.context["sections"]}
    signed = next(
        r
        for r in sections["projects"].rows
        if r.url.endswith("entered=signed&start=2026-01-01&end=2026-06-30")
    )
    assert signed.value == 2
    workbook = load_workbook(
        BytesIO(client.get("/cockpit/report/?year=2026&span=h1&export=xlsx").content)
    )
    assert workbook.sheetnames == ["招商引资", "重点项目推进", "营商环境", "平台与人才"]
    rows = list(workbook["招商引资"].iter_rows(values_only=True))
    assert rows[0] == ("指标", "本期", "上年同期", "同比／进度", "基期")
    assert any(r[0] == "新增签约" and r[1] == 2 for r in rows)


def test_the_report_carries_services_space_platforms_and_talent(commissioner, staff, enterprise):

    building = space_services.building_create(by=staff, data={"name": "科创大厦", "kind": "office"})
    for number in ("501", "502"):
        unit = space_services.unit_create(
            building=building, by=staff, data={"number": number, "area_m2": 100}
        )
    space_services.lease_create(
        unit=unit,
        enterprise=enterprise,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2027, 12, 31),
        rent_m2_month=Decimal(20),
        by=staff,
    )
    platform_services.platform_create(
        by=staff, data={"name": "研究院", "kind": "research_institute"}
    )
    leader = talent_services.talent_create(
        by=commissioner,
        data={
            "name": "李教授",
            "id_number": "11010519491231002X",
            "arrived_on": dt.date(2026, 3, 1),
        },
    )
    talent_services.team_create(
        by=commissioner,
        data={
            "name": "创业团队",
            "kind": "startup_team",
            "enterprise": enterprise,
            "leader": leader,
            "arrived_on": dt.date(2026, 3, 1),
        },
    )
    sections = {
        s.key: s for s in period_report(stats.Period.half_year(2026, 1), dt.date(2026, 7, 1))
    }
    talent = {r.label: r.value for r in sections["talent"].rows}
    assert talent["创新平台"] == 1
    assert talent["期末载体出租率（%）"] == 50.0
    assert talent["引进：创业团队"] == 1 and talent["引进：创新人才"] == 0
    environment = {r.label for r in sections["environment"].rows}
    assert "按时办结率（%）" in environment
