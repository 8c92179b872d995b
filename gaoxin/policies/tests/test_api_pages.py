"""The policy pages' actions over the API (issue 22): 快申快享 (a case filed, once), a batch
and its Excel, a clause's match as Excel — the pages' services and selectors, the same
permissions and refusals."""

import datetime as dt
from io import BytesIO

import pytest
from openpyxl import load_workbook

from gaoxin.accounts.services import api_token_create
from gaoxin.affairs.models import Application, ServiceItem
from gaoxin.core.models import AuditEntry
from gaoxin.enterprises.models import Qualification, QualificationType
from gaoxin.policies import services
from gaoxin.policies.models import ClauseMode, Policy, QuickApplication
from tests.factories import DepartmentFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/policies"


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}"}


@pytest.fixture
def policy(db):
    return Policy.objects.create(
        title="高新技术企业认定奖励", issuing_body="高新区科技局", starts_on=dt.date(2026, 1, 1)
    )


@pytest.fixture
def award(policy, staff):
    return services.clause_save(
        by=staff,
        policy=policy,
        data={
            "number": "第三条",
            "title": "首次认定高企奖励",
            "mode": ClauseMode.AUTOMATIC,
            "criteria": [{"type": "qualification", "code": "hnte", "on": "2026-06-30"}],
            "amount_rule": {"kind": "fixed", "amount": "20"},
        },
    )


@pytest.fixture
def holder(db):
    enterprise = EnterpriseFactory(name="高企甲")
    Qualification.objects.create(
        enterprise=enterprise,
        type=QualificationType.objects.get(code="hnte"),
        valid_from=dt.date(2025, 1, 1),
    )
    return enterprise


def test_an_enterprise_applies_once_and_a_case_is_filed(
    client, policy, staff, enterprise, enterprise_user
):
    item = ServiceItem.objects.create(
        code="GX-ZC-001",
        name="人才公寓补贴申领",
        department=DepartmentFactory(code="hr", name="人社局"),
        legal_limit_days=20,
        promised_limit=5,
        promised_unit="working_days",
    )
    clause = services.clause_save(
        by=staff,
        policy=policy,
        data={
            "number": "2",
            "title": "人才公寓补贴",
            "mode": ClauseMode.APPLICATION,
            "criteria": [],
            "amount_rule": {"kind": "fixed", "amount": "1.2"},
            "service_item": item,
        },
    )
    answer = client.post(f"{URL}/clauses/{clause.pk}/apply", headers=bearer(enterprise_user))
    assert answer.status_code == 201, answer.content
    application = QuickApplication.objects.get(pk=answer.json()["id"])
    case = Application.objects.get(pk=answer.json()["case"])
    assert answer.json()["case_number"] == case.number and case.enterprise_id == enterprise.pk
    assert AuditEntry.objects.filter(object_id=str(application.pk), action="create").exists()
    again = client.post(f"{URL}/clauses/{clause.pk}/apply", headers=bearer(enterprise_user))
    assert again.status_code == 400
    assert QuickApplication.objects.count() == 1
    assert client.post(f"{URL}/clauses/{clause.pk}/apply", headers=bearer(staff)).status_code == 403


def test_a_match_and_a_batch_as_excel_and_the_batch_itself(
    client, award, holder, staff, enterprise_user
):
    match = client.get(f"{URL}/clauses/{award.pk}/match/export", headers=bearer(staff))
    assert match.status_code == 200
    book = load_workbook(BytesIO(match.content))
    assert book.sheetnames == ["符合", "无法判定", "不符合"]
    assert [r[0] for r in book["符合"].iter_rows(min_row=2, values_only=True)] == ["高企甲"]
    drawn = client.post(f"{URL}/clauses/{award.pk}/batches", headers=bearer(staff))
    assert drawn.status_code == 201
    pk = drawn.json()["id"]
    batch = client.get(f"{URL}/batches/{pk}", headers=bearer(staff)).json()
    assert (batch["state"], batch["total"]) == ("drawn", "20.00")
    sheet = load_workbook(
        BytesIO(client.get(f"{URL}/batches/{pk}/export", headers=bearer(staff)).content)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("企业", "统一社会信用代码", "金额（万元）")
    assert [(r[0], r[2]) for r in rows[1:]] == [("高企甲", 20)]
    assert (
        client.get(f"{URL}/batches/{pk}/export", headers=bearer(enterprise_user)).status_code == 403
    )
