"""The 履约 list's and an evaluation's Excel over the API (issue 22): the workbooks the pages
hand out (delivery.selectors), with the same filters and the same visibility — an enterprise
gets only its own rows."""

import io

import pytest
from openpyxl import load_workbook

from gaoxin.delivery import services
from gaoxin.delivery.tests.zone import THREE, D, months, place, plot, project
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def rows_of(answer, sheet=0):
    assert answer.status_code == 200, answer.content[:300]
    return list(load_workbook(io.BytesIO(answer.content)).worksheets[sheet].values)


def test_the_agreements_workbook_is_the_lists_filter(
    client, calendar, staff, enterprise, steward, department
):
    producer = project(enterprise, name="射频芯片二线", steward=steward, department=department)
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
    url = "/api/v1/delivery/agreements/export"
    broken = rows_of(client.get(url, {"on": "2025-06-02", "status": "broken"}))
    assert len(broken) == 2 and broken[1][0] == "RZGX-2025-010"
    assert len(rows_of(client.get(url, {"on": "2025-06-02", "status": "kept"}))) == 1
    assert client.get(url, {"stat": "kept"}).status_code == 400


def test_the_evaluation_workbook_gives_an_enterprise_only_its_own_row(
    client, admin_user, enterprise, enterprise_user
):
    mine = project(enterprise, producing_on=D(2020, 1, 1))
    place(mine, plot("P1", "20"))
    months(mine, 2025, admin_user, output="250", tax="25", rd="5")
    other = project(EnterpriseFactory(name="别家企业"), producing_on=D(2020, 1, 1))
    place(other, plot("P2", "20"))
    months(other, 2025, admin_user, output="100", tax="5", rd="1")
    client.force_login(admin_user)
    client.put(
        "/api/v1/delivery/evaluation/years/2025",
        {"cut_a": 110, "cut_b": 80, "cut_c": 50, "indicators": THREE},
        content_type="application/json",
    )
    evaluation = services.evaluation_compute(year=2025, by=admin_user)
    services.evaluation_publish(evaluation=evaluation, by=admin_user)
    url = f"/api/v1/delivery/evaluations/{evaluation.pk}/export"
    staff_rows = rows_of(client.get(url))
    assert sorted(r[0] for r in staff_rows[1:]) == sorted([enterprise.name, "别家企业"])
    assert rows_of(client.get(url, {"klass": "A"}))[1][0] == enterprise.name
    client.force_login(enterprise_user)
    own_rows = rows_of(client.get(url))
    assert [r[0] for r in own_rows[1:]] == [enterprise.name]
