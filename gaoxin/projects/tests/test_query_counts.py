"""Query counts of the endpoints the benchmark times under load (issue 18): a regression that
adds a query per row, or a DISTINCT the list does not need, fails the suite."""

import datetime as dt

import pytest

from gaoxin.accounts.services import api_token_create
from gaoxin.core import auditchain
from gaoxin.core.models import AuditEntry
from gaoxin.projects import stats
from gaoxin.projects.models import Project
from gaoxin.projects.stages import Stage
from gaoxin.projects.tests.conftest import make_project

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def token(staff):
    return {"Authorization": f"Bearer {api_token_create(user=staff, name='t')[1]}"}


def _more(staff, n=15):
    for i in range(n):
        make_project(
            staff, f"批量{i}", Stage.LEAD, D(2026, 1, 5), [(Stage.NEGOTIATING, D(2026, 2, 1))]
        )


def test_the_filtered_api_list_is_the_count_and_the_page_without_distinct_or_joins(
    client, staff, history, token, django_assert_num_queries
):
    # The first request reads the token (and notes its use); then it is remembered.
    with django_assert_num_queries(4):
        client.get("/api/v1/projects/", headers=token)
    with django_assert_num_queries(2) as captured:
        response = client.get("/api/v1/projects/", {"stage": "negotiating"}, headers=token)
    assert response.status_code == 200
    count, page = (q["sql"] for q in captured.captured_queries)
    assert "COUNT" in count and "DISTINCT" not in count + page
    assert "JOIN" not in page and "contact_phone" not in page  # only the columns it sends
    _more(staff)
    with django_assert_num_queries(2):
        body = client.get("/api/v1/projects/", {"stage": "negotiating"}, headers=token).json()
    assert body["count"] == Project.objects.filter(stage=Stage.NEGOTIATING).count() >= 15
    assert len(body["items"]) == body["count"]
    assert {p["stage"] for p in body["items"]} == {"negotiating"}


def test_the_api_detail_is_one_query(client, staff, history, token, django_assert_num_queries):
    project = history["p1"]
    client.get("/api/v1/projects/", headers=token)  # the token is remembered
    with django_assert_num_queries(1) as captured:
        response = client.get(f"/api/v1/projects/{project.pk}", headers=token)
    assert response.status_code == 200
    assert response.json()["id"] == project.pk and response.json()["name"] == project.name
    assert "JOIN" not in captured.captured_queries[0]["sql"]


def test_recording_an_engagement_is_five_queries_with_its_audit_link(
    client, staff, history, token, django_assert_max_num_queries
):
    project = history["p1"]
    body = {"kind": "call", "on": "2026-06-01", "summary": "电话回访"}
    url = f"/api/v1/projects/{project.pk}/engagements"
    # The first one also reads the token and the engagement's content type; both are remembered.
    first = client.post(url, body, content_type="application/json", headers=token)
    assert first.status_code == 201
    # The project; the engagement; the chain's head locked, the audit entry, the head moved on —
    # inside the service's one transaction (a savepoint here, as the test runs in a transaction;
    # the audit link adds none of its own).
    with django_assert_max_num_queries(7) as captured:
        again = client.post(url, body, content_type="application/json", headers=token)
    assert again.status_code == 201
    sqls = [q["sql"] for q in captured.captured_queries]
    assert len([q for q in sqls if "SAVEPOINT" not in q]) == 5
    assert len([q for q in sqls if q.startswith("SAVEPOINT")]) == 1
    entries = AuditEntry.objects.filter(content_type__model="engagement").order_by("seq")
    assert [e.object_id for e in entries] == [str(first.json()["id"]), str(again.json()["id"])]
    assert entries[1].prev_hash == entries[0].hash  # linked, in the order they were made
    assert auditchain.verify().ok


def test_the_summary_is_seven_queries_whatever_the_size(staff, history, django_assert_num_queries):
    period = stats.Period(D(2026, 1, 1), D(2026, 6, 30))
    # entries (with the clusters), their names, stock with the landed investment, stock a year
    # earlier, on-time starts, funds, targets.
    with django_assert_num_queries(7):
        stats.summary(period, today=D(2026, 12, 1))
    _more(staff)
    with django_assert_num_queries(7):
        stats.summary(period, today=D(2026, 12, 1))
