import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from gaoxin.accounts.services import api_token_create
from gaoxin.projects import stats
from gaoxin.projects.models import Project
from gaoxin.projects.services import engagement_add, project_update
from gaoxin.projects.stages import Stage
from gaoxin.projects.tests.conftest import make_project

pytestmark = pytest.mark.django_db
D = dt.date


def bearer(user):
    return {"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}"}


def test_statistics_page_shows_the_engine_figures_with_yoy(client, staff, history):
    client.force_login(staff)
    page = client.get("/projects/statistics/", {"year": 2026, "span": "h1"})
    assert page.status_code == 200
    rows = {r["stage"]: r for r in page.context["rows"]}
    assert rows["negotiating"]["entries"].value == 3
    assert rows["negotiating"]["entries"].growth_display == "+50.0%"
    assert rows["under_construction"]["entries"].growth_display == "n/a"
    assert 'data-testid="in-register">5<' in page.text


def test_every_figure_links_to_exactly_the_projects_behind_it(client, staff, history):
    client.force_login(staff)
    page = client.get("/projects/statistics/", {"year": 2026, "span": "h1"})
    for row in page.context["rows"]:
        listed = client.get(row["entries_url"]).context["page"].paginator.count
        assert listed == row["entries"].value, row["stage"]
        listed = client.get(row["stock_url"]).context["page"].paginator.count
        assert listed == row["stock"], row["stage"]


def test_statistics_page_query_count_is_flat(client, staff, history, django_assert_max_num_queries):
    client.force_login(staff)
    params = {"year": 2026, "span": "h1"}
    with django_assert_max_num_queries(40) as few:
        client.get("/projects/statistics/", params)
    for i in range(20):
        make_project(staff, f"批量{i}", Stage.NEGOTIATING, D(2026, 2, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/projects/statistics/", params)


def test_a_custom_range_that_runs_backwards_is_explained(client, staff):
    client.force_login(staff)
    page = client.get(
        "/projects/statistics/",
        {"year": 2026, "span": "custom", "start": "2026-06-30", "end": "2026-01-01"},
    )
    assert page.status_code == 400
    assert "结束日期早于开始日期" in page.text


def test_list_filters_by_stage_and_exports_what_is_filtered(client, staff, history):
    client.force_login(staff)
    page = client.get("/projects/", {"stage": ["signed", "negotiating"]})
    names = {p.name for p in page.context["page"]}
    assert names == {"P4 传感器", "P5 光通讯"}
    export = client.get("/projects/export/", {"stage": ["signed", "negotiating"]})
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "项目名称"
    assert {r[0] for r in rows[1:]} == names


def test_list_query_count_is_flat(client, staff, history, django_assert_max_num_queries):
    client.force_login(staff)
    with django_assert_max_num_queries(30) as few:
        client.get("/projects/")
    for i in range(15):
        make_project(staff, f"批量{i}", Stage.NEGOTIATING, D(2026, 2, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/projects/")


def test_kanban_groups_by_current_stage(client, staff, history):
    client.force_login(staff)
    columns = {c["stage"]: c["count"] for c in client.get("/projects/kanban/").context["columns"]}
    assert columns["signed"] == 1 and columns["dropped"] == 1 and columns["lead"] == 1


def test_advance_through_the_page_with_an_illegal_jump_explains(client, staff, history):
    client.force_login(staff)
    p4 = history["p4"]
    response = client.post(
        f"/projects/{p4.pk}/advance/",
        {"to_stage": "in_production", "on": "2026-07-01"},
        follow=True,
    )
    assert "不能直接进入" in response.text
    response = client.post(
        f"/projects/{p4.pk}/advance/", {"to_stage": "signed", "on": "2026-07-01"}, follow=True
    )
    p4.refresh_from_db()
    assert p4.stage == Stage.SIGNED
    assert "已记录" in response.text


def test_detail_timeline_shows_a_voided_step_struck_through(client, staff, history):
    client.force_login(staff)
    page = client.get(f"/projects/{history['p5'].pk}/")
    assert "timeline-voided" in page.text
    assert "营业执照尚未取得" in page.text


def test_enterprise_user_sees_its_project_but_not_the_engagements(
    client, enterprise_user, enterprise, staff
):
    project = make_project(
        staff, "海声尼克二期", Stage.NEGOTIATING, D(2026, 3, 1), enterprise=enterprise
    )

    engagement_add(
        project=project,
        by=staff,
        data={"kind": "visit", "on": D(2026, 3, 2), "summary": "内部评估：投资方资金紧张"},
    )
    client.force_login(enterprise_user)
    page = client.get(f"/projects/{project.pk}/")
    assert page.status_code == 200
    assert "内部评估" not in page.text
    assert client.get("/projects/statistics/").status_code == 403


# --- API ---------------------------------------------------------------------------------


def test_api_statistics_equal_the_engine(client, staff, history):
    body = client.get(
        "/api/v1/projects/statistics",
        {"start": "2026-01-01", "end": "2026-06-30"},
        headers=bearer(staff),
    ).json()
    expected = stats.summary(stats.Period(D(2026, 1, 1), D(2026, 6, 30)))
    # Counts are JSON integers; the growth is a decimal percentage (issue 22).
    assert body["entries"]["negotiating"] == {"value": 3, "base": 2, "growth": "50.0"}
    assert body["entries"]["under_construction"]["growth"] is None
    assert body["stock_at_end"] == expected.stock
    assert body["in_register"]["value"] == 5
    assert body["rates"]["on_time_start"] == "100.0"


def test_api_statistics_query_count_is_flat(client, staff, history, django_assert_max_num_queries):
    headers = bearer(staff)
    params = {"start": "2026-01-01", "end": "2026-06-30"}
    with django_assert_max_num_queries(30) as few:
        client.get("/api/v1/projects/statistics", params, headers=headers)
    for i in range(20):
        make_project(staff, f"批量{i}", Stage.NEGOTIATING, D(2026, 2, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/api/v1/projects/statistics", params, headers=headers)


def test_api_stock_as_of_a_date(client, staff, history):
    body = client.get(
        "/api/v1/projects/stock", {"as_of": "2025-06-30"}, headers=bearer(staff)
    ).json()
    assert body["in_register"] == 2
    assert body["stock"]["registered"] == 1


def test_api_create_advance_correct_and_conflict(client, staff):
    headers = bearer(staff)
    created = client.post(
        "/api/v1/projects/",
        {
            "name": "API 项目",
            "prospective_investor": "某投资方",
            "stage": "negotiating",
            "on": "2026-03-01",
            "total_investment": "1000",
        },
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    bad = client.post(
        f"/api/v1/projects/{pk}/advance",
        {"to_stage": "in_production", "on": "2026-04-01"},
        content_type="application/json",
        headers=headers,
    )
    assert bad.status_code == 400
    assert "to_stage" in bad.json()["errors"]
    ok = client.post(
        f"/api/v1/projects/{pk}/advance",
        {"to_stage": "signed", "on": "2026-04-01"},
        content_type="application/json",
        headers=headers,
    )
    assert ok.status_code == 201
    event_id = ok.json()["id"]
    stale = client.patch(
        f"/api/v1/projects/{pk}",
        {"version": 1, "name": "改名"},
        content_type="application/json",
        headers=headers,
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["stage"] == "signed"
    voided = client.post(
        f"/api/v1/projects/{pk}/events/{event_id}/correct",
        {"reason": "误录"},
        content_type="application/json",
        headers=headers,
    )
    assert voided.status_code == 201
    assert voided.json()["voided"] is True
    assert Project.objects.get(pk=pk).stage == Stage.NEGOTIATING


def test_api_targets(client, admin_user, staff, history):
    put = client.put(
        "/api/v1/projects/targets",
        {"year": 2026, "figure": "in_production", "value": "38"},
        content_type="application/json",
        headers=bearer(admin_user),
    )
    assert put.status_code == 200
    assert put.json()["remaining"] == "37.00"
    denied = client.put(
        "/api/v1/projects/targets",
        {"year": 2026, "figure": "in_production", "value": "40"},
        content_type="application/json",
        headers=bearer(staff),
    )
    assert denied.status_code == 403
    listed = client.get("/api/v1/projects/targets", {"year": 2026}, headers=bearer(staff)).json()
    assert [t["figure"] for t in listed] == ["in_production"]


def test_api_list_filters_behind_a_figure(client, staff, history):
    body = client.get(
        "/api/v1/projects/",
        {"entered": "signed", "start": "2026-01-01", "end": "2026-06-30"},
        headers=bearer(staff),
    ).json()
    assert {p["name"] for p in body["items"]} == {"P3 医疗", "P5 光通讯"}


def test_api_list_refuses_a_filter_it_cannot_apply_rather_than_listing_everything(
    client, staff, history
):
    headers = bearer(staff)
    unknown = client.get("/api/v1/projects/", {"cluster": 987654}, headers=headers)
    assert unknown.status_code == 400
    assert set(unknown.json()["errors"]) == {"cluster"}
    huge = client.get("/api/v1/projects/", {"cluster": 2**70}, headers=headers)
    assert huge.status_code == 422
    export = client.get("/api/v1/projects/export", {"department": 987654}, headers=headers)
    assert export.status_code == 400
    assert set(export.json()["errors"]) == {"department"}
    # A valid filter still answers its projects.
    assert client.get("/api/v1/projects/", {"stage": "signed"}, headers=headers).status_code == 200


def test_the_platforms_first_year_has_an_empty_base_not_an_error(client, admin_user, staff):
    headers = bearer(staff)
    period = {"start": "1900-01-01", "end": "1900-12-31"}
    answer = client.get("/api/v1/projects/statistics", period, headers=headers)
    assert answer.status_code == 200
    assert answer.json()["in_register"]["base"] == 0
    assert answer.json()["base_start"] == "1900-01-01"
    assert (
        client.get("/api/v1/projects/statistics/export", period, headers=headers).status_code == 200
    )
    report = client.get("/api/v1/cockpit/report/export", period, headers=bearer(admin_user))
    assert report.status_code == 200


def test_api_money_is_validated(client, staff, history):
    pk = history["p3"].pk
    response = client.post(
        f"/api/v1/projects/{pk}/money",
        {"kind": "funds_in_place", "on": "2026-05-01", "amount": "0"},
        content_type="application/json",
        headers=bearer(staff),
    )
    assert response.status_code == 400
    assert (
        Decimal(stats.money("funds_in_place", stats.Period(D(2026, 1, 1), D(2026, 12, 31)))) == 800
    )


@pytest.mark.parametrize(
    ("by", "label", "stage", "count"),
    [
        ("cluster", "新一代信息技术", "negotiating", 2),
        ("channel", "以商招商", "negotiating", 1),
        ("source_province", "江苏省", "lead", 1),
    ],
)
def test_statistics_breakdown_by_a_chosen_dimension(
    client, staff, history, by, label, stage, count
):
    client.force_login(staff)
    page = client.get("/projects/statistics/", {"year": 2026, "span": "h1", "by": by})
    lines = {line["label"]: line for line in page.context["breakdown_rows"]}
    assert lines[label][stage] == count


def test_project_history_shows_field_changes_and_steps(client, staff, history):

    p4 = history["p4"]
    project_update(
        project=p4, by=staff, data={"name": "P4 传感器二期"}, expected_version=p4.version
    )
    client.force_login(staff)
    page = client.get(f"/projects/{p4.pk}/history/")
    assert "P4 传感器二期" in page.text
    assert 'data-testid="history-row"' in page.text


def test_statistics_export_holds_the_same_figures(client, staff, history):
    client.force_login(staff)
    response = client.get("/projects/statistics/", {"year": 2026, "span": "h1", "export": "xlsx"})
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames[:2] == ["阶段", "分类"]
    stages = {row[0]: row for row in book["阶段"].iter_rows(values_only=True)}
    assert stages["洽谈"][1:4] == (3, 2, "+50.0%")
    assert stages["开工在建"][3] == "n/a"
