"""A person's walk through the project register in Debian's Chromium."""

import datetime as dt
import re

import pytest

from gaoxin.projects.stages import Stage
from gaoxin.projects.tests.conftest import make_project
from tests.browser import shot, sign_in
from tests.factories import ClusterFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def stat(page, testid: str) -> int:
    return int(page.get_by_test_id(testid).inner_text())


def test_create_a_project_move_it_through_stages_and_see_the_statistics_change(
    page, live_server, staff
):
    ClusterFactory(code="equipment", name="高端智能装备制造")
    today = dt.date.today()
    stats_url = (
        f"{live_server.url}/projects/statistics/?year={today.year}&span=custom"
        f"&start={today.year}-01-01&end={today.isoformat()}"
    )
    sign_in(page, live_server, staff.username)
    page.goto(stats_url)
    before_signed = stat(page, "entries-signed")
    before_negotiating = stat(page, "entries-negotiating")

    page.get_by_role("button", name="招商项目").click()  # the grouped menu (issue 17)
    page.get_by_role("link", name="项目库").first.click()
    page.get_by_role("link", name="新建项目").click()
    page.get_by_label("项目名称").fill("三三智能装备二期项目")
    page.get_by_label("意向投资方").fill("三三智能科技（苏州）有限公司")
    page.get_by_label("产业集群").select_option(label="高端智能装备制造")
    page.get_by_label("总投资（万元）").fill("20000")
    page.get_by_label("固定资产投资（万元）").fill("30000")  # more than the total: refused
    page.get_by_label("初始阶段").select_option("negotiating")
    page.get_by_role("button", name="保存").click()
    assert (
        "不能超过总投资" in page.locator('[data-field-error="fixed_asset_investment"]').inner_text()
    )
    page.get_by_label("固定资产投资（万元）").fill("15000")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r".*/projects/\d+/$"))
    assert "洽谈" in page.get_by_test_id("current-stage").inner_text()

    # The form offers only the legal next steps (the service refuses others; see the tests).
    page.get_by_label("新阶段").select_option("signed")
    page.get_by_label("佐证材料").fill("合同 RZ-2026-088")
    page.get_by_role("button", name="记录进展").click()
    assert "已记录" in page.locator(".alert-success").inner_text()
    assert "签约" in page.get_by_test_id("current-stage").inner_text()
    shot(page, "project-detail")

    page.goto(stats_url)
    assert stat(page, "entries-signed") == before_signed + 1
    assert stat(page, "entries-negotiating") == before_negotiating + 1
    shot(page, "project-statistics")
    # The figure drills down to the list behind it, which holds the new project.
    page.get_by_test_id("entries-signed").click()
    assert page.get_by_test_id("drilldown").is_visible()
    assert "三三智能装备二期项目" in page.locator("#project-rows").inner_text()
    shot(page, "project-drilldown")


def test_kanban_and_list_on_a_phone(browser, live_server, leader, staff):

    make_project(
        staff,
        "迈格尼医疗器械项目",
        Stage.NEGOTIATING,
        dt.date(2026, 2, 1),
        [(Stage.SIGNED, dt.date(2026, 3, 1))],
    )
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    pg = context.new_page()
    sign_in(pg, live_server, leader.username)
    pg.goto(f"{live_server.url}/projects/")
    assert "迈格尼医疗器械项目" in pg.locator("#project-rows").inner_text()
    shot(pg, "project-list-phone")
    pg.goto(f"{live_server.url}/projects/kanban/")
    assert "迈格尼医疗器械项目" in pg.locator('[data-stage="signed"]').inner_text()
    context.close()
