"""The visit pages' actions over the API (issue 22): the yearly plan (PlanForm, the same
service, audited), the coverage and the visits as Excel — staff only, as the pages."""

from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from gaoxin.accounts.services import api_token_create
from gaoxin.core.models import AuditEntry
from gaoxin.visits import services
from gaoxin.visits.models import PlannedVisit
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/visits"


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}"}


@pytest.fixture
def cared(staff):
    return EnterpriseFactory.create_batch(2, liaison=staff)


def test_the_plan_is_made_once_and_audited(client, cared, staff, enterprise_user):
    answer = client.post(
        f"{URL}/plan", {"year": 2026}, content_type="application/json", headers=bearer(staff)
    )
    assert answer.status_code == 201
    made = answer.json()["planned"]
    assert made == PlannedVisit.objects.filter(liaison=staff).count() > 0
    assert AuditEntry.objects.filter(object_id=str(staff.pk), action="create").exists()
    again = client.post(
        f"{URL}/plan", {"year": 2026}, content_type="application/json", headers=bearer(staff)
    )
    assert again.json()["planned"] == 0  # existing planned days are kept
    bad = client.post(
        f"{URL}/plan", {"year": 1999}, content_type="application/json", headers=bearer(staff)
    )
    assert bad.status_code == 400 and "year" in bad.json()["errors"]
    refused = client.post(
        f"{URL}/plan",
        {"year": 2026},
        content_type="application/json",
        headers=bearer(enterprise_user),
    )
    assert refused.status_code == 403


def test_coverage_and_visits_as_excel_for_staff(client, cared, staff, enterprise_user):
    services.visit_record(
        enterprise=cared[0],
        by=staff,
        visited_on=timezone.localdate(),
        kind="on_site",
        notes="了解用工需求",
        met="王经理",
        appeals=[],
    )
    coverage = client.get(f"{URL}/coverage/export", headers=bearer(staff))
    assert coverage.status_code == 200
    assert load_workbook(BytesIO(coverage.content)).sheetnames == ["按包联干部", "按部门"]
    visits = client.get(f"{URL}/export", headers=bearer(staff))
    rows = list(load_workbook(BytesIO(visits.content)).active.iter_rows(values_only=True))
    assert [(r[0], r[6]) for r in rows[1:]] == [(cared[0].name, "了解用工需求")]
    assert client.get(f"{URL}/export", headers=bearer(enterprise_user)).status_code == 403
    client.force_login(staff)  # the page hands out the same workbook
    page = client.get("/visits/export/")
    assert list(load_workbook(BytesIO(page.content)).active.iter_rows(values_only=True)) == rows
    too_early = client.get(f"{URL}/coverage/export", {"year": 1800}, headers=bearer(staff))
    assert too_early.status_code == 400


def test_a_huge_year_is_a_422_and_an_unlikely_one_a_400(client, staff):
    huge = client.get(f"{URL}/coverage", {"year": 2**70}, headers=bearer(staff))
    assert huge.status_code == 422 and "year" in huge.json()["errors"]
    odd = client.get(f"{URL}/coverage", {"year": 1990}, headers=bearer(staff))
    assert odd.status_code == 400 and "year" in odd.json()["errors"]
