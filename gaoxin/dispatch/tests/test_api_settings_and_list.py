"""The dispatch operations of issue 22's parity: editing and removing a key project, the task
force's removal, reconciling the year's list, the light thresholds and the assessment weights,
and the key-project and ledger workbooks — each through the page's service, audited, with the
page's errors (400 by field, 403, 404, 409 with ``current``)."""

import datetime as dt
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from gaoxin.accounts.services import api_token_create
from gaoxin.core.models import AuditEntry
from gaoxin.dispatch import services
from gaoxin.dispatch.models import AssessmentWeight, KeyProject, LightSettings, TaskForceMember
from gaoxin.projects.services import project_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _bearer(user):
    return {"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}"}


def _audited(obj, action):
    return AuditEntry.objects.filter(object_id=str(obj.pk), action=action).exists()


def test_a_key_project_is_edited_by_patch_and_a_stale_version_is_a_409_with_current(
    client, key_project, staff, leader
):
    headers = _bearer(staff)
    url = f"/api/v1/dispatch/key-projects/{key_project.pk}"
    ok = client.patch(
        url,
        {"note": "每周调度", "plan_start": "2026-03-02", "version": key_project.version},
        content_type="application/json",
        headers=headers,
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["note"] == "每周调度"
    assert ok.json()["plan_start"] == "2026-03-02"
    assert ok.json()["sponsor"] == leader.pk  # not sent, unchanged
    key_project.refresh_from_db()
    assert key_project.note == "每周调度"
    assert _audited(key_project, "update")

    stale = client.patch(url, {"note": "旧版本"}, content_type="application/json", headers=headers)
    assert stale.status_code == 422  # the version is required
    stale = client.patch(
        url, {"note": "旧版本", "version": 0}, content_type="application/json", headers=headers
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["note"] == "每周调度"
    key_project.refresh_from_db()
    assert key_project.note == "每周调度"


def test_the_sponsor_must_be_a_leader_as_on_the_edit_page(client, key_project, staff):
    answer = client.patch(
        f"/api/v1/dispatch/key-projects/{key_project.pk}",
        {"sponsor": staff.pk, "version": key_project.version},
        content_type="application/json",
        headers=_bearer(staff),
    )
    assert answer.status_code == 400
    assert "sponsor" in answer.json()["errors"]
    key_project.refresh_from_db()
    assert key_project.sponsor_id != staff.pk


def test_a_leader_reads_a_key_project_but_may_not_edit_it(client, key_project, leader):
    answer = client.patch(
        f"/api/v1/dispatch/key-projects/{key_project.pk}",
        {"note": "x", "version": key_project.version},
        content_type="application/json",
        headers=_bearer(leader),
    )
    assert answer.status_code in (403, 404)
    key_project.refresh_from_db()
    assert key_project.note == ""


def test_a_key_project_is_taken_off_the_list_unless_reports_or_matters_hang_on_it(
    client, key_project, staff, steward
):
    matter = services.matter_add(
        key_project=key_project,
        by=staff,
        title="用电报装",
        mode="escort",
        deadline=timezone.localdate() + dt.timedelta(days=7),
        parts=[(key_project.lead_department, "")],
    )
    url = f"/api/v1/dispatch/key-projects/{key_project.pk}"
    refused = client.delete(url, headers=_bearer(staff))
    assert refused.status_code == 400
    assert refused.json()["message"]
    assert KeyProject.objects.filter(pk=key_project.pk).exists()
    matter.delete()
    assert client.delete(url, headers=_bearer(steward)).status_code == 403
    gone = client.delete(url, headers=_bearer(staff))
    assert gone.status_code == 204
    assert not KeyProject.objects.filter(pk=key_project.pk).exists()
    assert _audited(key_project, "delete")
    assert client.delete(url, headers=_bearer(staff)).status_code == 404


def test_a_task_force_member_is_removed_and_the_removal_audited(client, key_project, staff):
    member_user = UserFactory(username="tf_member", role="staff", department=staff.department)
    member = services.task_force_add(
        key_project=key_project, user=member_user, role="member", by=staff
    )
    url = f"/api/v1/dispatch/key-projects/{key_project.pk}/task-force/{member.pk}"
    answer = client.delete(url, headers=_bearer(staff))
    assert answer.status_code == 204
    assert not TaskForceMember.objects.filter(pk=member.pk).exists()
    assert _audited(member, "delete")
    assert client.delete(url, headers=_bearer(staff)).status_code == 404


def test_reconcile_lists_the_year_last_years_carried_flag_and_the_candidates(
    client, key_project, staff, leader, enterprise, department
):
    later = project_create(
        by=staff, data={"name": "新签约项目", "enterprise": enterprise}, on=dt.date(2026, 2, 1)
    )
    headers = _bearer(staff)
    answer = client.get("/api/v1/dispatch/key-projects/reconcile?year=2027", headers=headers)
    assert answer.status_code == 200
    body = answer.json()
    assert [kp["id"] for kp in body["last_year"]] == [key_project.pk]
    assert body["last_year"][0]["carried"] is False
    assert body["listed"] == []
    candidate_ids = [p["id"] for p in body["candidates"]]
    assert later.stage == "lead" and later.pk not in candidate_ids  # not yet signed
    # carried over with the same operation the page's form uses
    created = client.post(
        "/api/v1/dispatch/key-projects",
        {
            "year": 2027,
            "project": key_project.project_id,
            "sponsor": leader.pk,
            "lead_department": department.pk,
        },
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201, created.content
    body = client.get("/api/v1/dispatch/key-projects/reconcile?year=2027", headers=headers).json()
    assert body["last_year"][0]["carried"] is True
    assert [kp["project"] for kp in body["listed"]] == [key_project.project_id]
    assert key_project.project_id not in [p["id"] for p in body["candidates"]]
    assert (
        client.get(
            "/api/v1/dispatch/key-projects/reconcile?year=2027", headers=_bearer(leader)
        ).status_code
        == 403
    )


def test_the_light_thresholds_are_read_and_set_by_an_administrator_only(client, admin_user, staff):
    current = client.get("/api/v1/dispatch/lights/settings", headers=_bearer(staff)).json()
    assert current["overdue_problem_light"] == "red"
    body = {**current, "overdue_problem_light": "yellow", "lag_red_points": 40}
    assert (
        client.put(
            "/api/v1/dispatch/lights/settings",
            body,
            content_type="application/json",
            headers=_bearer(staff),
        ).status_code
        == 403
    )
    saved = client.put(
        "/api/v1/dispatch/lights/settings",
        body,
        content_type="application/json",
        headers=_bearer(admin_user),
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["overdue_problem_light"] == "yellow"
    row = LightSettings.objects.get(pk=1)
    assert (row.overdue_problem_light, row.lag_red_points) == ("yellow", 40)
    assert _audited(row, "update")
    stale = client.put(
        "/api/v1/dispatch/lights/settings",
        {**body, "open_supervision_light": "red"},
        content_type="application/json",
        headers=_bearer(admin_user),
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["overdue_problem_light"] == "yellow"
    wrong = client.put(
        "/api/v1/dispatch/lights/settings",
        {**saved.json(), "lag_red_points": 5, "lag_yellow_points": 10},
        content_type="application/json",
        headers=_bearer(admin_user),
    )
    assert wrong.status_code == 400
    assert "lag_red_points" in wrong.json()["errors"]


def test_the_assessment_weights_are_set_by_an_administrator_and_audited(client, admin_user, staff):
    weights = client.get("/api/v1/dispatch/assessment/weights", headers=_bearer(staff)).json()
    assert set(weights) == {"signings", "starts", "visits", "problems_on_time", "reports_on_time"}
    new = {**weights, "visits": 0, "signings": 40}
    url = "/api/v1/dispatch/assessment/weights"
    refused = client.put(url, new, content_type="application/json", headers=_bearer(staff))
    assert refused.status_code == 403
    saved = client.put(url, new, content_type="application/json", headers=_bearer(admin_user))
    assert saved.status_code == 200, saved.content
    assert saved.json()["signings"] == 40 and saved.json()["visits"] == 0
    row = AssessmentWeight.objects.get(indicator="signings")
    assert row.weight == 40
    zeros = dict.fromkeys(new, 0)
    none = client.put(url, zeros, content_type="application/json", headers=_bearer(admin_user))
    assert none.status_code == 400
    too_much = client.put(
        url, {**new, "starts": 101}, content_type="application/json", headers=_bearer(admin_user)
    )
    assert too_much.status_code == 422
    assert AssessmentWeight.objects.get(indicator="signings").weight == 40


def test_the_key_project_and_ledger_workbooks_hold_what_the_page_exports(
    client, key_project, staff, leader, enterprise_user
):
    answer = client.get("/api/v1/dispatch/key-projects/export?year=2026", headers=_bearer(leader))
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(answer.content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "海声尼克二期" in values
    page = client.get("/dispatch/key-projects/?year=2026&format=xlsx")  # anonymous: sign in
    assert page.status_code in (302, 403)
    client.force_login(leader)
    page = client.get("/dispatch/key-projects/?year=2026&format=xlsx")
    page_sheet = load_workbook(BytesIO(page.content)).active
    assert list(page_sheet.iter_rows(values_only=True)) == list(sheet.iter_rows(values_only=True))
    other_year = client.get(
        "/api/v1/dispatch/key-projects/export?year=2025&light=red", headers=_bearer(leader)
    )
    rows = list(load_workbook(BytesIO(other_year.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1  # the header only
    ledger = client.get("/api/v1/dispatch/ledger/export?month=2026-03", headers=_bearer(staff))
    assert ledger.status_code == 200
    assert load_workbook(BytesIO(ledger.content)).active.title.endswith("2026-03")
    assert (
        client.get(
            "/api/v1/dispatch/ledger/export?month=2026-13", headers=_bearer(staff)
        ).status_code
        == 422
    )
