"""The register's workbooks over the API (issue 22): the same file as the page's export for the
same filters and period, the same permissions."""

import datetime as dt
from io import BytesIO

import pytest
from openpyxl import load_workbook

from gaoxin.accounts.services import api_token_create
from gaoxin.projects.services import project_advance, project_create

pytestmark = pytest.mark.django_db


def _bearer(user):
    return {"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}"}


def _cells(content):
    book = load_workbook(BytesIO(content))
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


@pytest.fixture
def register(staff, enterprise, calendar):
    signed = project_create(
        by=staff, data={"name": "海声尼克二期", "enterprise": enterprise}, on=dt.date(2026, 1, 5)
    )
    project_advance(project=signed, to_stage="negotiating", on=dt.date(2026, 2, 1), by=staff)
    project_advance(project=signed, to_stage="signed", on=dt.date(2026, 3, 2), by=staff)
    lead = project_create(
        by=staff, data={"name": "=HYPERLINK(1)", "enterprise": enterprise}, on=dt.date(2026, 4, 1)
    )
    return signed, lead


def test_the_project_list_workbook_follows_the_lists_filters_like_the_page(
    client, register, staff, enterprise_user
):
    answer = client.get("/api/v1/projects/export?stage=signed", headers=_bearer(staff))
    assert answer.status_code == 200
    cells = _cells(answer.content)
    names = [row[0] for row in next(iter(cells.values()))[1:]]
    assert names == ["海声尼克二期"]
    client.force_login(staff)
    page = client.get("/projects/export/?stage=signed")
    assert _cells(page.content) == cells
    everything = _cells(client.get("/api/v1/projects/export", headers=_bearer(staff)).content)
    assert {r[0] for r in next(iter(everything.values()))[1:]} == {"海声尼克二期", "=HYPERLINK(1)"}
    wrong = client.get("/api/v1/projects/export?stage=nonsense", headers=_bearer(staff))
    assert wrong.status_code == 422


def test_the_statistics_workbook_is_the_pages_for_the_same_period(
    client, register, staff, leader, enterprise_user
):
    url = "/api/v1/projects/statistics/export?start=2026-01-01&end=2026-06-30&by=channel"
    answer = client.get(url, headers=_bearer(leader))
    assert answer.status_code == 200
    cells = _cells(answer.content)
    client.force_login(leader)
    page = client.get("/projects/statistics/?year=2026&span=h1&by=channel&export=xlsx")
    assert _cells(page.content) == cells
    stages = next(iter(cells.values()))
    signed = [row for row in stages if row[1] == 1]
    assert signed, stages  # one project entered 签约 in the period, with its base period
    assert all(row[4] for row in stages[1:])  # every line names its base period
    assert client.get(url, headers=_bearer(enterprise_user)).status_code == 403
    backwards = client.get(
        "/api/v1/projects/statistics/export?start=2026-06-30&end=2026-01-01",
        headers=_bearer(leader),
    )
    assert backwards.status_code == 400 and "end" in backwards.json()["errors"]
