"""Query counts of the endpoints the benchmark times under load (issue 18): a regression that
adds a query per row, or a DISTINCT the list does not need, fails the suite."""

import datetime as dt

import pytest

from gaoxin.accounts.services import api_token_create
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


def test_the_filtered_api_list_is_three_queries_without_distinct(
    client, staff, history, token, django_assert_num_queries
):
    client.get("/api/v1/projects/", headers=token)  # the token's last use is noted once a minute
    # The token and its user, the count, the page.
    with django_assert_num_queries(3) as captured:
        response = client.get("/api/v1/projects/", {"stage": "negotiating"}, headers=token)
    assert response.status_code == 200
    assert not any("DISTINCT" in q["sql"] for q in captured.captured_queries)
    _more(staff)
    with django_assert_num_queries(3):
        body = client.get("/api/v1/projects/", {"stage": "negotiating"}, headers=token).json()
    assert body["count"] == Project.objects.filter(stage=Stage.NEGOTIATING).count() >= 15


def test_the_api_detail_is_a_fixed_number_of_queries(
    client, staff, history, token, django_assert_max_num_queries
):
    project = history["p1"]
    with django_assert_max_num_queries(4) as few:
        assert client.get(f"/api/v1/projects/{project.pk}", headers=token).status_code == 200
    _more(staff, 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/api/v1/projects/{project.pk}", headers=token)


def test_recording_an_engagement_is_a_fixed_number_of_queries(
    client, staff, history, token, django_assert_max_num_queries
):
    project = history["p1"]
    body = {"kind": "call", "on": "2026-06-01", "summary": "电话回访"}
    url = f"/api/v1/projects/{project.pk}/engagements"
    with django_assert_max_num_queries(20) as few:
        response = client.post(url, body, content_type="application/json", headers=token)
    assert response.status_code == 201
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.post(url, body, content_type="application/json", headers=token)


def test_the_summary_is_seven_queries_whatever_the_size(staff, history, django_assert_num_queries):
    period = stats.Period(D(2026, 1, 1), D(2026, 6, 30))
    # entries (with the clusters), their names, stock with the landed investment, stock a year
    # earlier, on-time starts, funds, targets.
    with django_assert_num_queries(7):
        stats.summary(period, today=D(2026, 12, 1))
    _more(staff)
    with django_assert_num_queries(7):
        stats.summary(period, today=D(2026, 12, 1))
