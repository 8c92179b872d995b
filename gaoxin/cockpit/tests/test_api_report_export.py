"""The period report's workbook over the API (issue 22): the page's file for the same period,
to those who see the cockpit."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from gaoxin.accounts.services import api_token_create
from gaoxin.cockpit.tests.test_cockpit import register  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def _bearer(user):
    return {"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}"}


def _cells(content):
    book = load_workbook(BytesIO(content))
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


def test_the_report_workbook_is_the_pages_for_the_same_period(
    client,
    register,  # noqa: F811
    leader,
    enterprise_user,
):
    url = "/api/v1/cockpit/report/export?start=2026-01-01&end=2026-06-30"
    answer = client.get(url, headers=_bearer(leader))
    assert answer.status_code == 200
    cells = _cells(answer.content)
    assert list(cells) == ["招商引资", "重点项目推进", "营商环境", "平台与人才"]
    assert cells["招商引资"][0] == ("指标", "本期", "上年同期", "同比／进度", "基期")
    assert any(r[0] == "新增签约" and r[1] == 2 for r in cells["招商引资"])
    client.force_login(leader)
    page = client.get("/cockpit/report/?year=2026&span=h1&export=xlsx")
    assert _cells(page.content) == cells
    assert client.get(url, headers=_bearer(enterprise_user)).status_code == 403
    backwards = client.get(
        "/api/v1/cockpit/report/export?start=2026-06-30&end=2026-01-01", headers=_bearer(leader)
    )
    assert backwards.status_code == 400
