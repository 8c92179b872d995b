"""The register at scale: the Excel import (all or nothing with a cell report), qualifications
and their expiry reminder, the liaison officer."""

import datetime as dt
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook

from gaoxin.core.models import Notification
from gaoxin.enterprises import services
from gaoxin.enterprises.importer import COLUMNS, import_workbook
from gaoxin.enterprises.models import Enterprise, Qualification, QualificationType
from tests.factories import EnterpriseFactory, UserFactory, valid_uscc

pytestmark = pytest.mark.django_db


def workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([row.get(c, "") for c in COLUMNS])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def row(n, **values):
    return {"企业名称": f"导入企业{n}", "统一社会信用代码": valid_uscc(90000 + n), **values}


def test_a_good_import_creates_and_updates_by_uscc_with_qualifications(staff):
    known = EnterpriseFactory(uscc=valid_uscc(90001), name="导入企业1", headcount=5)
    result = import_workbook(
        workbook(
            [
                row(1, 从业人数=120, 企业规模="中型", 位于园区="是"),
                row(
                    2,
                    行业代码="39",
                    资质="高新技术企业:2025-01-01:2027-12-31；专精特新:2024-06-01:",
                    成立日期="2021-05-01",
                    **{"用地（亩）": "30.5"},
                ),
            ]
        ),
        by=staff,
    )
    assert result.errors == [] and (result.created, result.updated) == (1, 1)
    known.refresh_from_db()
    assert known.headcount == 120 and known.size == "medium" and known.in_zone is True
    new = Enterprise.objects.get(uscc=valid_uscc(90002))
    assert str(new.land_mu) == "30.50" and new.industry_id == "39"
    assert set(new.qualifications.values_list("type__code", "valid_to")) == {
        ("hnte", dt.date(2027, 12, 31)),
        ("srdi", None),
    }


def test_a_bad_row_refuses_the_whole_import_with_a_cell_report(staff):
    EnterpriseFactory(name="已在名录的企业")
    before = Enterprise.objects.count()
    result = import_workbook(
        workbook(
            [
                row(1),
                {"企业名称": "坏代码企业", "统一社会信用代码": "91371100MA0000000A"},
                row(3),
                {**row(4), "统一社会信用代码": valid_uscc(90003)},  # the same USCC twice
                row(5, 资质="独角兽:2025-01-01:2026-01-01"),
                {**row(6), "企业名称": "已在名录的企业"},
                row(7, 从业人数="很多"),
            ]
        ),
        by=staff,
    )
    cells = {(r, c) for r, c, _m in result.errors}
    assert (3, "统一社会信用代码") in cells
    assert (5, "统一社会信用代码") in cells
    assert (6, "资质") in cells
    assert (7, "企业名称") in cells
    assert (8, "从业人数") in cells
    assert result.created == 0 and Enterprise.objects.count() == before
    assert not Qualification.objects.exists()


def test_qualification_expiry_reminder_once_to_liaison_and_enterprise(staff, enterprise):
    enterprise.liaison = staff
    enterprise.save()
    user = UserFactory(username="ent_q", role="enterprise", enterprise=enterprise)
    today = dt.date(2026, 12, 1)
    hnte = QualificationType.objects.get(code="hnte")  # 90 days ahead
    Qualification.objects.create(
        enterprise=enterprise,
        type=hnte,
        valid_from=dt.date(2024, 1, 1),
        valid_to=dt.date(2027, 1, 31),
    )
    Qualification.objects.create(
        enterprise=enterprise,
        type=hnte,
        valid_from=dt.date(2026, 1, 1),
        valid_to=dt.date(2028, 1, 1),
    )
    assert services.remind_expiring_qualifications(today) == 1
    assert services.remind_expiring_qualifications(today) == 0
    assert Notification.objects.filter(user=staff, key__endswith="-expiry").count() == 1
    assert Notification.objects.filter(user=user, key__endswith="-expiry").count() == 1


def test_qualification_add_checks_dates_and_permission(staff, enterprise, enterprise_user):
    hnte = QualificationType.objects.get(code="hnte")
    with pytest.raises(ValidationError):
        services.qualification_add(
            enterprise=enterprise,
            type=hnte,
            valid_from=dt.date(2026, 1, 1),
            valid_to=dt.date(2025, 1, 1),
            by=staff,
        )
    with pytest.raises(PermissionDenied):
        services.qualification_add(
            enterprise=enterprise, type=hnte, valid_from=dt.date(2026, 1, 1), by=enterprise_user
        )
    held = services.qualification_add(
        enterprise=enterprise, type=hnte, valid_from=dt.date(2026, 1, 1), by=staff
    )
    assert held.held_on(dt.date(2030, 1, 1))


def test_liaison_is_zone_staff(staff, enterprise, enterprise_user, admin_user):
    with pytest.raises(ValidationError):
        services.liaison_assign(enterprise=enterprise, liaison=enterprise_user, by=admin_user)
    services.liaison_assign(enterprise=enterprise, liaison=staff, by=admin_user)
    enterprise.refresh_from_db()
    assert enterprise.liaison == staff
