"""Real clicks in Debian's Chromium (Playwright): each role signs in and sees its home page.

Screenshots go to test-results/screenshots/ for people to look at.
"""

import re

import pytest

from gaoxin.accounts.models import Role
from tests.browser import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOME_MARKERS = {
    Role.ADMIN: "系统管理员工作台",
    Role.LEADER: "领导工作台",
    Role.STAFF: "投资促进局工作台",
    Role.STEWARD: "项目管家工作台",
    Role.CLERK: "窗口受理工作台",
    Role.COMMISSIONER: "人才服务专员工作台",
    Role.ENTERPRISE: "查看并更新企业信息",
    Role.AGENT: "有效的代办委托",
}


def test_each_role_signs_in_and_sees_its_home_page(page, live_server, users_by_role):
    page.goto(f"{live_server.url}/login/")
    assert page.title().startswith("登录")
    shot(page, "login")
    for role, user in users_by_role.items():
        sign_in(page, live_server, user.username)
        body = page.locator("body")
        assert HOME_MARKERS[role] in body.inner_text(), role
        assert page.get_by_test_id(f"home-{role}").is_visible()
        shot(page, f"home-{role}")
        nav = page.locator("#main-menu").text_content()  # the entries inside closed menus too
        if role == Role.ADMIN:
            assert "审计日志" in nav
        else:
            assert "审计日志" not in nav
        page.locator("[data-bs-toggle=dropdown]").first.click()
        page.get_by_role("button", name="退出登录").click()
        page.wait_for_url(re.compile(r".*/login/.*"))


def test_enterprise_user_on_a_phone_sees_its_enterprise(
    browser, live_server, enterprise_user, enterprise
):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    pg = context.new_page()
    sign_in(pg, live_server, enterprise_user.username)
    assert enterprise.name in pg.locator("h2.page-title").inner_text()
    # No horizontal scrolling on a phone.
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390
    shot(pg, "home-enterprise-phone")
    pg.get_by_role("link", name="查看并更新企业信息").click()
    assert enterprise.uscc in pg.locator("body").inner_text()
    shot(pg, "enterprise-detail-phone")
    context.close()


def test_staff_registers_an_enterprise_and_fixes_a_bad_code(page, live_server, staff):
    sign_in(page, live_server, staff.username)
    page.get_by_role("button", name="招商项目").click()  # the grouped menu (issue 17)
    page.get_by_role("link", name="企业库").click()
    page.get_by_role("link", name="登记企业").click()
    page.get_by_label("名称").fill("日照兴华半导体有限公司")
    page.get_by_label("统一社会信用代码").fill("91371100MA3C4T1K2X")
    page.get_by_role("button", name="保存").click()
    error = page.locator('[data-field-error="uscc"]')
    assert "校验码" in error.inner_text()
    assert page.get_by_label("名称").input_value() == "日照兴华半导体有限公司"
    shot(page, "enterprise-form-error")
    from tests.factories import valid_uscc

    page.get_by_label("统一社会信用代码").fill(valid_uscc(4242))
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r".*/enterprises/\d+/$"))
    assert "已登记" in page.locator(".alert").inner_text()
    shot(page, "enterprise-detail")


def test_two_editors_one_gets_a_conflict_with_the_current_values(
    browser, live_server, staff, clerk, enterprise
):
    first = browser.new_context().new_page()
    second = browser.new_context().new_page()
    sign_in(first, live_server, staff.username)
    sign_in(second, live_server, clerk.username)
    for pg in (first, second):
        pg.goto(f"{live_server.url}/enterprises/{enterprise.pk}/edit/")
    first.get_by_label("地址").fill("北京路1号")
    first.get_by_role("button", name="保存").click()
    first.wait_for_url(re.compile(r".*/enterprises/\d+/$"))
    second.get_by_label("地址").fill("上海路9号")
    second.get_by_role("button", name="保存").click()
    assert "其他人已修改" in second.get_by_test_id("form-error").inner_text()
    assert "北京路1号" in second.get_by_test_id("conflict-current").inner_text()
    assert second.get_by_label("地址").input_value() == "上海路9号"
    shot(second, "enterprise-conflict")
    enterprise.refresh_from_db()
    assert enterprise.address == "北京路1号"


def test_api_docs_render_offline(page, live_server, staff):
    sign_in(page, live_server, staff.username)
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=15000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/enterprises/" in p for p in paths)
    shot(page, "api-docs")


def test_work_calendar_shows_an_unknown_year_as_uncertain(page, live_server, admin_user, calendar):
    sign_in(page, live_server, admin_user.username)
    page.goto(f"{live_server.url}/platform/calendar/?year=2027&start=2026-12-28&days=5")
    assert page.get_by_test_id("year-unknown").is_visible()
    assert "待确认" in page.get_by_test_id("calc-result").inner_text()
    shot(page, "calendar-2027-unknown")
