"""Pages and API of key-project dispatch: bad input answers clearly and changes nothing,
lists do not grow queries per row, versions conflict, and the enterprise sees its own."""

import datetime as dt

import pytest

from gaoxin.accounts.services import api_token_create
from gaoxin.dispatch import lights, services
from gaoxin.dispatch.models import KeyProject, LedgerEntry, Milestone, ServiceMatter
from gaoxin.dispatch.tests.conftest import advance
from gaoxin.projects.services import project_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
D = dt.date


def _bearer(user):
    return {"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}"}


def test_key_project_api_round_trip_with_plan_and_stale_milestone(
    client, staff, leader, department, enterprise, small_template, calendar
):
    project = project_create(by=staff, data={"name": "接口项目", "enterprise": enterprise})
    headers = _bearer(staff)
    created = client.post(
        "/api/v1/dispatch/key-projects",
        {
            "year": 2026,
            "project": project.pk,
            "sponsor": leader.pk,
            "lead_department": department.pk,
        },
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    again = client.post(
        "/api/v1/dispatch/key-projects",
        {"year": 2026, "project": project.pk, "sponsor": leader.pk, "lead_department": 999},
        content_type="application/json",
        headers=headers,
    )
    assert again.status_code == 400
    assert "lead_department" in again.json()["errors"]
    plan = client.post(
        f"/api/v1/dispatch/key-projects/{pk}/plan",
        {"template": small_template.pk, "start": "2026-09-28"},
        content_type="application/json",
        headers=headers,
    )
    assert [m["planned_end"] for m in plan.json()] == [
        "2026-09-30",
        "2026-10-09",
        "2026-10-12",
        "2026-10-13",
    ]
    first = plan.json()[0]
    body = {"actual_start": "2026-09-28", "version": first["version"]}
    ok = client.post(
        f"/api/v1/dispatch/milestones/{first['id']}",
        body,
        content_type="application/json",
        headers=headers,
    )
    assert ok.status_code == 200
    stale = client.post(
        f"/api/v1/dispatch/milestones/{first['id']}",
        {**body, "actual_start": "2026-09-29"},
        content_type="application/json",
        headers=headers,
    )
    assert stale.status_code == 409
    assert Milestone.objects.get(pk=first["id"]).actual_start == D(2026, 9, 28)
    detail = client.get(f"/api/v1/dispatch/key-projects/{pk}", headers=headers).json()
    assert detail["light"] in ("green", "yellow", "red")
    assert len(detail["milestones"]) == 4
    listing = client.get("/api/v1/dispatch/key-projects?year=2026", headers=headers).json()
    assert [row["id"] for row in listing] == [pk]
    lights = client.get("/api/v1/dispatch/lights?year=2026", headers=headers).json()
    assert lights["red"] + lights["yellow"] + lights["green"] == 1


def test_the_enterprise_sees_its_own_key_project_and_enters_its_ledger_by_api(
    client, key_project, staff, enterprise_user, other_enterprise, calendar, time_machine
):

    time_machine.move_to(dt.datetime(2026, 9, 15, 10, tzinfo=dt.UTC))
    advance(
        key_project.project,
        staff,
        ("negotiating", D(2026, 1, 10)),
        ("signed", D(2026, 2, 1)),
        ("under_construction", D(2026, 3, 1)),
        ("in_production", D(2026, 6, 20)),
    )
    own = client.get("/api/v1/dispatch/key-projects?year=2026", headers=_bearer(enterprise_user))
    assert [r["id"] for r in own.json()] == [key_project.pk]
    stranger = UserFactory(username="stranger", role="enterprise", enterprise=other_enterprise)
    none = client.get("/api/v1/dispatch/key-projects?year=2026", headers=_bearer(stranger))
    assert none.json() == []
    body = {
        "project": key_project.project_id,
        "month": "2026-08-01",
        "output_value": "1000.00",
        "tax": "50.00",
        "employees": 80,
    }
    refused = client.post(
        "/api/v1/dispatch/ledger", body, content_type="application/json", headers=_bearer(stranger)
    )
    assert refused.status_code == 400  # not a project the stranger can see
    entered = client.post(
        "/api/v1/dispatch/ledger",
        body,
        content_type="application/json",
        headers=_bearer(enterprise_user),
    )
    assert entered.status_code == 201, entered.content
    negative = client.post(
        "/api/v1/dispatch/ledger",
        {**body, "month": "2026-07-01", "tax": "-1"},
        content_type="application/json",
        headers=_bearer(enterprise_user),
    )
    assert negative.status_code == 422
    assert LedgerEntry.objects.count() == 1


def test_a_matter_form_with_bad_input_keeps_the_input_and_saves_nothing(
    client, key_project, staff, department
):
    client.force_login(staff)
    response = client.post(
        f"/dispatch/key-projects/{key_project.pk}/matters/new/",
        {
            "title": "联办",
            "mode": "joint",
            "departments": [department.pk],
            "deadline": "2999-01-01",
        },
    )
    assert response.status_code == 400
    assert "两个及以上部门" in response.content.decode()
    assert 'value="联办"' in response.content.decode()
    assert not ServiceMatter.objects.exists()


def test_the_key_project_list_does_not_query_per_row(
    client, key_project, staff, leader, small_template, django_assert_max_num_queries
):
    for i in range(6):
        kp = services.key_project_add(
            year=2026,
            project=project_create(
                by=staff, data={"name": f"项目{i}", "prospective_investor": "某"}
            ),
            sponsor=leader,
            lead_department=key_project.lead_department,
            by=staff,
        )
        services.plan_from_template(
            key_project=kp, template=small_template, start=D(2026, 9, 28), by=staff
        )
    client.force_login(leader)
    client.get("/dispatch/key-projects/?year=2026")  # warm the caches (calendar, thresholds)
    with django_assert_max_num_queries(25):
        response = client.get("/dispatch/key-projects/?year=2026")
    assert response.content.decode().count('<tr data-light="') == 7
    excel = client.get("/dispatch/key-projects/?year=2026&format=xlsx")
    assert excel["Content-Type"].startswith("application/vnd.openxmlformats")


def test_pages_of_dispatch_render_for_their_readers(client, key_project, staff, leader, admin_user):
    services.period_open(kind="month", start=D(2026, 9, 1), by=staff)
    client.force_login(leader)
    for path in (
        f"/dispatch/key-projects/{key_project.pk}/",
        "/dispatch/lights/",
        "/dispatch/lights/monthly/",
        "/dispatch/assessment/?by=steward",
        "/dispatch/periods/",
        f"/dispatch/leaders/{leader.pk}/",
        f"/dispatch/departments/{key_project.lead_department_id}/",
        "/dispatch/ledger/",
        "/dispatch/my-work/",
    ):
        assert client.get(path).status_code == 200, path
    client.force_login(admin_user)
    response = client.post(
        "/dispatch/lights/settings/",
        {
            "version": 1,
            "yellow_within_days": 3,
            "lag_yellow_points": 40,
            "lag_red_points": 30,
            "not_started_red_months": 3,
        },
    )
    assert response.status_code == 400
    assert lights.light_settings().lag_yellow_points == 10
    assert KeyProject.objects.count() == 1
