"""A department reconciles the year's list, lays out a key project's plan from a template,
records a milestone and opens a joint service matter; a leader sees the lights."""

import datetime as dt
import re

import pytest

from gaoxin.dispatch.models import KeyProject, PlanTemplate, PlanTemplateStep
from gaoxin.dispatch.tests.conftest import advance
from gaoxin.projects.services import project_create
from tests.browser import shot, sign_in
from tests.factories import DepartmentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_key_project_from_reconciliation_to_plan_matter_and_lights(
    page, browser, live_server, staff, leader, enterprise, calendar
):

    template = PlanTemplate.objects.create(name="工业项目节点")
    land = PlanTemplateStep.objects.create(
        template=template, order=1, name="土地摘牌", duration_days=10
    )
    start = PlanTemplateStep.objects.create(
        template=template, order=2, name="开工建设", duration_days=1, marks_start=True
    )
    start.depends_on.set([land])
    DepartmentFactory(code="construction", name="建设管理局")
    project = project_create(
        by=staff,
        data={"name": "海声尼克二期", "enterprise": enterprise, "department": staff.department},
        on=dt.date(2026, 1, 5),
    )
    advance(project, staff, ("negotiating", dt.date(2026, 1, 6)), ("signed", dt.date(2026, 2, 1)))

    sign_in(page, live_server, staff.username)
    page.goto(f"{live_server.url}/dispatch/key-projects/reconcile/?year=2026")
    candidates = page.get_by_test_id("candidates")
    assert "海声尼克二期" in candidates.inner_text()
    candidates.locator("select[name=sponsor]").select_option(label=str(leader))
    page.get_by_test_id(f"add-{project.pk}").click()
    assert "海声尼克二期" in page.get_by_test_id("listed").inner_text()
    shot(page, "key-project-reconciliation")
    key_project = KeyProject.objects.get()

    page.get_by_test_id("listed").get_by_role("link", name=re.compile("海声尼克二期")).click()
    page.get_by_label("模板").select_option(label="工业项目节点")
    page.get_by_label("方案起始日期").fill("2026-09-28")
    page.get_by_test_id("apply-template").click()
    rows = page.get_by_test_id("milestones")
    assert "土地摘牌" in rows.inner_text()
    assert "前置：土地摘牌" in rows.inner_text()
    assert "2026-09-28 → 2026-10-15" in rows.inner_text()  # ten working days over National Day
    assert "2026-10-16 → 2026-10-16" in rows.inner_text()

    first = key_project.milestones.get(order=1)
    form = page.locator(f"form[action$='/milestones/{first.pk}/']")
    form.locator("input[name$=actual_start]").fill("2026-09-28")
    form.locator("input[name$=actual_end]").fill("2026-10-12")
    page.get_by_test_id("record-1").click()
    assert "已记录" in page.locator(".alert").first.inner_text()
    first.refresh_from_db()
    assert first.actual_end == dt.date(2026, 10, 12)
    shot(page, "key-project-plan")

    page.get_by_role("link", name="新建事项").click()
    page.get_by_label("名称").fill("施工许可并联办理")
    page.get_by_label("服务方式").select_option("joint")
    page.get_by_label("投资促进局").check()
    page.get_by_label("建设管理局").check()
    page.get_by_label("期限").fill("2999-12-01")
    page.get_by_test_id("submit").click()
    page.wait_for_url(re.compile(r".*/dispatch/matters/\d+/$"))
    assert page.get_by_test_id("matter-state").inner_text() == "办理中"
    assert "建设管理局" in page.get_by_test_id("parts").inner_text()
    shot(page, "service-matter-joint")

    boss = browser.new_context(viewport={"width": 1280, "height": 860}).new_page()
    sign_in(boss, live_server, leader.username)
    boss.goto(f"{live_server.url}/dispatch/lights/?year=2026")
    assert str(leader) in boss.get_by_test_id("by-leader").inner_text()
    boss.goto(f"{live_server.url}/dispatch/key-projects/?year=2026")
    # The construction start was planned for 16 October and has not happened: red.
    rows = boss.get_by_test_id("key-project-rows").locator("tr[data-light]")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-light") == "red"
    assert "开工建设" in rows.first.inner_text()
    shot(boss, "key-projects-leader")
