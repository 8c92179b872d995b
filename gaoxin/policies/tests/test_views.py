"""The pages of issue 20 behave: an appeal raised on the page (the 12345 number required), the
enterprise rates it on the problem page, the figures and Excel for staff only; a clause's
match and its Excel; the enterprise's profile and its policies with why; the register import
page refuses a non-spreadsheet and changes nothing."""

import datetime as dt
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from gaoxin.dispatch import services as dispatch
from gaoxin.dispatch.models import Problem, ProblemState
from gaoxin.enterprises.models import Enterprise, Qualification, QualificationType
from gaoxin.policies import services
from gaoxin.policies.models import ClauseMode, Policy
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(staff, enterprise):
    Qualification.objects.create(
        enterprise=enterprise,
        type=QualificationType.objects.get(code="hnte"),
        valid_from=dt.date(2025, 1, 1),
    )
    policy = Policy.objects.create(
        title="科技创新政策", issuing_body="管委会", starts_on=dt.date(2025, 1, 1)
    )
    return services.clause_save(
        by=staff,
        policy=policy,
        data={
            "number": "1",
            "title": "高企奖励",
            "mode": ClauseMode.AUTOMATIC,
            "criteria": [{"type": "qualification", "code": "hnte", "on": "2026-06-30"}],
            "amount_rule": {"kind": "fixed", "amount": "20"},
        },
    )


def test_an_enterprise_raises_an_appeal_and_rates_it_on_the_pages(
    client, enterprise_user, staff, calendar
):
    power = DepartmentFactory(code="power", name="供电服务中心")
    officer = UserFactory(username="officer", role="staff", department=power)
    client.force_login(enterprise_user)
    response = client.post(
        "/dispatch/appeals/new/",
        {
            "category": "utilities",
            "title": "增容",
            "description": "容量不足",
            "department": power.pk,
        },
    )
    appeal = Problem.objects.get()
    assert response.status_code == 302 and appeal.enterprise_id == enterprise_user.enterprise_id
    dispatch.appeal_move(appeal=appeal, to_state=ProblemState.ACCEPTED, by=officer, limit_days=3)
    dispatch.appeal_move(appeal=appeal, to_state=ProblemState.RESOLVED, by=officer, note="已增容")
    page = client.get(f"/dispatch/problems/{appeal.pk}/").content.decode()
    assert 'data-testid="evaluate-form"' in page and 'data-testid="action-confirmed"' not in page
    client.post(f"/dispatch/appeals/{appeal.pk}/evaluate/", {"satisfied": "no", "reasons": ""})
    appeal.refresh_from_db()
    assert appeal.state == ProblemState.RESOLVED  # refused: no reasons
    client.post(
        f"/dispatch/appeals/{appeal.pk}/evaluate/", {"satisfied": "no", "reasons": "未解决"}
    )
    appeal.refresh_from_db()
    assert appeal.state == ProblemState.REOPENED and appeal.satisfied is False
    # The figures and the Excel are the zone's, not the enterprise's.
    assert client.get("/dispatch/appeals/figures/").status_code == 403
    client.force_login(staff)
    assert "供电服务中心" in client.get("/dispatch/appeals/figures/").content.decode()
    book = load_workbook(BytesIO(client.get("/dispatch/appeals/export/").content))
    assert [c.value for c in book.active[2]][1] == str(appeal.enterprise)


def test_staff_recording_a_12345_transfer_must_give_the_number(client, staff, enterprise):
    client.force_login(staff)
    response = client.post(
        f"/dispatch/appeals/new/?enterprise={enterprise.pk}",
        {
            "enterprise": enterprise.pk,
            "category": "approvals",
            "title": "热线转办",
            "description": "咨询施工许可",
            "channel": "hotline",
        },
    )
    assert response.status_code == 400 and not Problem.objects.exists()
    assert "12345" in response.content.decode()


def test_a_clause_match_page_and_its_excel(client, staff, award, enterprise):
    client.force_login(staff)
    page = client.get(f"/policies/clauses/{award.pk}/match/").content.decode()
    assert enterprise.name in page
    book = load_workbook(
        BytesIO(client.get(f"/policies/clauses/{award.pk}/match/?format=xlsx").content)
    )
    assert book.sheetnames == ["符合", "无法判定", "不符合"]
    assert book["符合"]["A2"].value == enterprise.name


def test_the_enterprise_sees_its_policies_with_why_and_its_profile(
    client, enterprise_user, award, enterprise, other_enterprise
):
    client.force_login(enterprise_user)
    mine = client.get("/policies/mine/").content.decode()
    assert "高企奖励" in mine and "2025-01-01" in mine
    assert client.get(f"/enterprises/{enterprise.pk}/profile/").status_code == 200
    assert client.get(f"/enterprises/{other_enterprise.pk}/profile/").status_code == 404
    home = client.get("/").content.decode()
    assert 'data-testid="portal-enterprise-services"' in home and "高企奖励" in home


def test_the_import_page_refuses_a_file_that_is_not_a_workbook(client, staff):
    client.force_login(staff)
    before = Enterprise.objects.count()
    response = client.post(
        "/enterprises/import/", {"file": SimpleUploadedFile("名录.xlsx", b"not a workbook")}
    )
    assert response.status_code == 400 and Enterprise.objects.count() == before
