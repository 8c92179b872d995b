"""In the browser: a steward records an agreement whose land the zone delivered late and sees
the start excused; the admin computes and publishes last year's per-mu evaluation; the
enterprise reads its report on a phone."""

import re

import pytest

from gaoxin.accounts.models import Role
from gaoxin.delivery import services
from gaoxin.delivery.tests.zone import THREE, D, months, place, plot, project
from tests.browser import shot, sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agreement_with_the_zones_late_land(page, live_server, steward, enterprise, calendar):
    p = project(enterprise, name="硅麦芯片项目", steward=steward, started_on=D(2025, 6, 16))
    sign_in(page, live_server, steward.username)
    page.goto(f"{live_server.url}/delivery/agreements/new/")
    page.get_by_label("项目", exact=True).select_option(label=p.name)
    page.get_by_label("协议编号").fill("RZGX-2025-001")
    page.get_by_label("名称").fill("硅麦芯片项目投资协议")
    page.get_by_label("签订日期").fill("2025-01-06")
    page.get_by_label("总投资（万元）").fill("20000")
    page.get_by_label("固定资产投资（万元）").fill("15000")
    page.get_by_label("用地（亩）").fill("50")
    page.locator("[name=land_delivery_due]").fill("2025-03-03")
    page.locator("[name=start_due]").fill("2025-06-03")
    page.locator("[name=start_after_land]").check()
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r".*/delivery/agreements/\d+/$"))
    # The zone hands the land over ten working days late: the start moves by as much.
    land_row = page.get_by_role("row", name=re.compile("交地期限"))
    land_row.locator("input[name=on]").fill("2025-03-17")
    land_row.get_by_role("button", name="登记履约").click()
    terms = page.get_by_test_id("terms").inner_text()
    assert "违约" in terms  # the zone's promise, late
    start_row = page.get_by_role("row", name=re.compile("开工期限")).inner_text()
    assert "2025-06-17" in start_row and "已履约" in start_row
    shot(page, "delivery-agreement-zone-late")
    page.goto(f"{live_server.url}/delivery/agreements/?status=zone_late")
    assert "RZGX-2025-001" in page.get_by_test_id("agreements").inner_text()
    shot(page, "delivery-agreements-list")


def test_the_evaluation_is_published_and_read_by_the_enterprise(
    page, phone, live_server, admin_user, enterprise, calendar
):
    p = project(enterprise, producing_on=D(2020, 1, 1))
    place(p, plot("A-01", "20"))
    months(p, 2025, admin_user, output="250", tax="25", rd="5")
    services.evaluation_year_set(
        year=2025, cut_a=110, cut_b=80, cut_c=50, indicators=THREE, by=admin_user
    )
    sign_in(page, live_server, admin_user.username)
    page.goto(f"{live_server.url}/delivery/evaluation/")
    page.get_by_label("年度").fill("2025")
    page.get_by_test_id("compute").click()
    page.wait_for_url(re.compile(r".*/delivery/evaluation/\d+/$"))
    page.get_by_test_id("publish").click()
    assert page.locator("[data-klass=A]").count() == 1
    shot(page, "delivery-evaluation-published")

    UserFactory(role=Role.ENTERPRISE, enterprise=enterprise, username="erin_phone")
    sign_in(phone, live_server, "erin_phone")
    phone.goto(f"{live_server.url}/enterprises/{enterprise.pk}/")
    phone.get_by_test_id("class-history").get_by_role("link").first.click()
    report = phone.get_by_test_id("report").inner_text()
    assert "亩均税收" in report and "140.00" in report
    shot(phone, "delivery-report-phone")
