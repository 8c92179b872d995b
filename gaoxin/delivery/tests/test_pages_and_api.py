"""The 履约 and 亩均 pages and API: what each role sees and may do, Excel exports, bad input."""

import io

import pytest
from openpyxl import load_workbook

from gaoxin.delivery import services
from gaoxin.delivery.models import Agreement, Evaluation
from gaoxin.delivery.tests.zone import THREE, D, months, place, plot, project
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

AGREEMENT = {
    "number": "RZGX-2025-009",
    "title": "智能移动通信射频芯片项目投资协议",
    "signed_on": "2025-01-06",
    "total_investment": "30000",
    "fixed_asset_investment": "24000",
    "land_area_mu": "80",
    "terms": [
        {"kind": "land_delivery", "due_on": "2025-03-03"},
        {"kind": "start", "due_on": "2025-06-03", "depends_on": "land_delivery"},
        {"kind": "investment", "due_on": "2026-12-31", "target": "24000"},
    ],
}


@pytest.fixture
def producer(enterprise, steward, department):
    return project(enterprise, name="射频芯片二线", steward=steward, department=department)


def test_staff_record_an_agreement_by_api_and_the_enterprise_reads_only_its_own(
    client, calendar, staff, producer, enterprise_user, other_enterprise
):
    client.force_login(staff)
    response = client.post(
        "/api/v1/delivery/agreements",
        AGREEMENT | {"project": producer.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {t["kind"]: t["depends_on"] for t in body["terms"]}["start"] == "land_delivery"
    pk = body["id"]
    client.force_login(enterprise_user)
    assert [a["id"] for a in client.get("/api/v1/delivery/agreements").json()] == [pk]
    stranger = UserFactory(role="enterprise", enterprise=other_enterprise, username="x_ent")
    client.force_login(stranger)
    assert client.get("/api/v1/delivery/agreements").json() == []
    assert client.get(f"/api/v1/delivery/agreements/{pk}").status_code == 404
    response = client.post(
        "/api/v1/delivery/agreements",
        AGREEMENT | {"project": producer.pk, "number": "X-1"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_a_bad_agreement_is_a_400_naming_the_field_and_saves_nothing(client, staff, producer):
    client.force_login(staff)
    response = client.post(
        "/api/v1/delivery/agreements",
        AGREEMENT | {"project": producer.pk, "fixed_asset_investment": "99999"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "fixed_asset_investment" in response.json()["errors"]
    assert not Agreement.objects.exists()


def test_amend_with_a_stale_version_is_a_409(client, calendar, staff, producer):
    client.force_login(staff)
    pk = client.post(
        "/api/v1/delivery/agreements",
        AGREEMENT | {"project": producer.pk},
        content_type="application/json",
    ).json()["id"]
    amend = {k: v for k, v in AGREEMENT.items() if k not in ("number", "title")}
    ok = client.post(
        f"/api/v1/delivery/agreements/{pk}/amend",
        amend | {"version": 1, "reason": "土地面积调整"},
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["current_version"] == 2
    stale = client.post(
        f"/api/v1/delivery/agreements/{pk}/amend",
        amend | {"version": 1, "reason": "再次调整"},
        content_type="application/json",
    )
    assert stale.status_code == 409


def test_pages_show_lights_and_export_what_is_filtered(client, calendar, staff, producer):
    services.agreement_create(
        project=producer,
        number="RZGX-2025-010",
        title="协议",
        version={
            "signed_on": D(2025, 1, 6),
            "total_investment": "100",
            "fixed_asset_investment": "80",
            "land_area_mu": "10",
        },
        terms=[{"kind": "start", "due_on": D(2025, 3, 3)}],
        by=staff,
    )
    client.force_login(staff)
    page = client.get("/delivery/agreements/?on=2025-06-02")
    assert page.status_code == 200
    assert 'data-status="broken"' in page.content.decode()
    export = client.get("/delivery/agreements/export/?on=2025-06-02&status=broken")
    rows = list(load_workbook(io.BytesIO(export.content)).active.values)
    assert len(rows) == 2 and rows[1][0] == "RZGX-2025-010"
    empty = client.get("/delivery/agreements/export/?on=2025-06-02&status=kept")
    assert len(list(load_workbook(io.BytesIO(empty.content)).active.values)) == 1
    detail = client.get(f"/delivery/agreements/{producer.agreements.get().pk}/")
    assert detail.status_code == 200 and 'data-testid="terms"' in detail.content.decode()


def test_the_new_agreement_page_saves_through_the_service(client, calendar, staff, producer):
    client.force_login(staff)
    response = client.post(
        "/delivery/agreements/new/",
        {
            "project": producer.pk,
            "number": "RZGX-2025-011",
            "title": "页面录入的协议",
            "signed_on": "2025-01-06",
            "total_investment": "100",
            "fixed_asset_investment": "80",
            "land_area_mu": "10",
            "land_delivery_due": "2025-03-03",
            "start_due": "2025-06-03",
            "start_after_land": "on",
        },
    )
    assert response.status_code == 302
    version = Agreement.objects.get(number="RZGX-2025-011").versions.get()
    assert version.terms.get(kind="start").depends_on.kind == "land_delivery"
    bad = client.post("/delivery/agreements/new/", {"project": producer.pk, "number": ""})
    assert bad.status_code == 400


def test_evaluation_by_api_and_pages(client, admin_user, enterprise, enterprise_user):
    p = project(enterprise, producing_on=D(2020, 1, 1))
    place(p, plot("P1", "20"))
    months(p, 2025, admin_user, output="250", tax="25", rd="5")
    client.force_login(admin_user)
    bad = client.put(
        "/api/v1/delivery/evaluation/years/2025",
        {"cut_a": 110, "cut_b": 80, "cut_c": 50, "indicators": THREE[:2]},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "80%" in bad.json()["errors"]["indicators"][0]
    ok = client.put(
        "/api/v1/delivery/evaluation/years/2025",
        {"cut_a": 110, "cut_b": 80, "cut_c": 50, "indicators": THREE},
        content_type="application/json",
    )
    assert ok.status_code == 200
    computed = client.post(
        "/api/v1/delivery/evaluations/compute", {"year": 2025}, content_type="application/json"
    )
    assert computed.status_code == 201 and computed.json()["classes"]["A"] == 1
    pk = computed.json()["id"]
    client.force_login(enterprise_user)
    assert client.get(f"/api/v1/delivery/evaluations/{pk}/scores").status_code == 404  # draft
    client.force_login(admin_user)
    assert client.post(f"/api/v1/delivery/evaluations/{pk}/publish").status_code == 200
    page = client.get(f"/delivery/evaluation/{pk}/")
    assert page.status_code == 200 and 'data-klass="A"' in page.content.decode()
    export = client.get(f"/delivery/evaluation/{pk}/export/")
    rows = list(load_workbook(io.BytesIO(export.content)).worksheets[0].values)
    assert rows[1][2] == "A" and rows[1][3] == 140
    client.force_login(enterprise_user)
    (mine,) = client.get(f"/api/v1/delivery/evaluations/{pk}/scores").json()
    assert (mine["klass"], mine["score"]) == ("A", "140.00")
    report = client.get(f"/delivery/evaluation/{pk}/enterprises/{enterprise.pk}/")
    assert report.status_code == 200 and "亩均税收" in report.content.decode()
    assert Evaluation.objects.get().status == "published"


def test_the_rules_page_starts_from_the_documented_defaults(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/delivery/evaluation/rules/2031/").content.decode()
    assert "tax_per_mu" in page and "output_per_energy" in page and "曲阜市" in page
