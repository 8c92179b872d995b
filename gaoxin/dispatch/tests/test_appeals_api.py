"""Appeals' page actions over the API (issue 22): raise (the service's rules, a 12345 number
required), evaluate, the list's export and the figures' export — staff only, as on the pages."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from gaoxin.accounts.services import api_token_create
from gaoxin.core.models import AuditEntry
from gaoxin.dispatch import services
from gaoxin.dispatch.models import Problem

pytestmark = pytest.mark.django_db
URL = "/api/v1/appeals"


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}"}


def raise_one(enterprise, by, title, category="utilities"):
    return services.appeal_raise(
        enterprise=enterprise, by=by, category=category, title=title, description="详情"
    )


def test_staff_raise_a_12345_appeal_only_with_its_number_audited(client, staff, enterprise):
    body = {
        "enterprise": enterprise.pk,
        "category": "utilities",
        "title": "停电",
        "description": "厂区停电",
        "channel": "hotline",
    }
    refused = client.post(f"{URL}/", body, content_type="application/json", headers=bearer(staff))
    assert refused.status_code == 400 and "hotline_number" in refused.json()["errors"]
    body["hotline_number"] = "12345-001"
    answer = client.post(f"{URL}/", body, content_type="application/json", headers=bearer(staff))
    assert answer.status_code == 201
    appeal = Problem.objects.get(pk=answer.json()["id"])
    assert (appeal.channel, appeal.hotline_number) == ("hotline", "12345-001")
    assert AuditEntry.objects.filter(object_id=str(appeal.pk), action="create").exists()


def test_the_export_is_the_lists_filter_and_for_staff_only(
    client, staff, enterprise, enterprise_user
):
    raise_one(enterprise, enterprise_user, "增容", "utilities")
    raise_one(enterprise, enterprise_user, "招工", "talent")
    answer = client.get(f"{URL}/export", {"category": "talent"}, headers=bearer(staff))
    assert answer.status_code == 200
    rows = list(load_workbook(BytesIO(answer.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "企业", "类别") and [r[6] for r in rows[1:]] == ["招工"]
    assert client.get(f"{URL}/export", headers=bearer(enterprise_user)).status_code == 403
    assert client.get(f"{URL}/export", {"categry": "x"}, headers=bearer(staff)).status_code == 400


def test_the_figures_export_counts_per_category(client, staff, enterprise, enterprise_user):
    raise_one(enterprise, enterprise_user, "增容一")
    raise_one(enterprise, enterprise_user, "增容二")
    answer = client.get(f"{URL}/figures/export", headers=bearer(staff))
    assert answer.status_code == 200
    rows = list(load_workbook(BytesIO(answer.content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("分组", "诉求数")
    assert 2 in [r[1] for r in rows[1:]]
    assert client.get(f"{URL}/figures/export", headers=bearer(enterprise_user)).status_code == 403
