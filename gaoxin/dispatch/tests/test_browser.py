"""An enterprise raises a problem in the portal, the department handles it, the enterprise
confirms; an overdue problem shows red."""

import datetime as dt
import re

import pytest

from gaoxin.dispatch.models import Problem
from gaoxin.projects.services import project_create
from tests.browser import shot, sign_in
from tests.factories import DepartmentFactory, UserFactory
from tests.factories import UserFactory as Users

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enterprise_raises_department_resolves_enterprise_confirms(
    browser, live_server, enterprise_user, enterprise, staff, calendar
):

    planning = DepartmentFactory(code="planning", name="自然资源和规划局")
    planner = UserFactory(username="planner", role="staff", department=planning)
    project = project_create(by=staff, data={"name": "海声尼克二期", "enterprise": enterprise})

    portal = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    sign_in(portal, live_server, enterprise_user.username)
    portal.goto(f"{live_server.url}/projects/{project.pk}/")
    portal.get_by_role("link", name="反映问题").click()
    portal.get_by_label("类型").select_option("blockage")
    portal.get_by_label("标题").fill("规划许可迟迟未批")
    portal.get_by_label("说明").fill("方案已报送两个月，仍未批复")
    portal.get_by_label("应承办的部门（如已知）").select_option(label="自然资源和规划局")
    portal.get_by_role("button", name="提交").click()
    portal.wait_for_url(re.compile(r".*/dispatch/problems/\d+/$"))
    assert portal.get_by_test_id("problem-state").inner_text() == "已提交"
    shot(portal, "problem-raised-phone")

    desk = browser.new_context().new_page()
    sign_in(desk, live_server, planner.username)
    desk.goto(f"{live_server.url}/dispatch/problems/")
    desk.get_by_role("link", name="规划许可迟迟未批").click()
    desk.get_by_label("办理时限（工作日）").fill("5")
    desk.get_by_test_id("action-accepted").click()
    assert desk.get_by_test_id("problem-state").inner_text() == "已受理"
    desk.locator("#note-resolved").fill("已召开专题会，许可已发放")
    desk.get_by_test_id("action-resolved").click()
    assert desk.get_by_test_id("problem-state").inner_text() == "已办结"
    shot(desk, "problem-resolved")

    portal.reload()
    portal.get_by_test_id("action-confirmed").click()
    assert portal.get_by_test_id("problem-state").inner_text() == "已确认"

    # Another problem, accepted and then overdue, shows red in the list.
    problem = Problem.objects.get()
    late = Problem.objects.create(
        project=project,
        kind="hard",
        title="供电容量不足",
        description="需增容",
        raised_by=staff,
        department=planning,
        state="accepted",
        limit_days=3,
        deadline=dt.date.today() - dt.timedelta(days=7),
    )
    desk.goto(f"{live_server.url}/dispatch/problems/?overdue=true")
    rows = desk.get_by_test_id("problem-rows")
    assert "供电容量不足" in rows.inner_text()
    assert problem.title not in rows.inner_text()
    assert rows.locator('[data-light="red"]').count() == 1
    shot(desk, "problem-overdue-red")

    # A leader issues a supervision notice on the red problem; it prints as a 督办单.
    boss = browser.new_context().new_page()

    leader = Users(username="boss", role="leader", full_name="王建华")
    sign_in(boss, live_server, leader.username)
    boss.goto(f"{live_server.url}/dispatch/problems/{late.pk}/")
    boss.get_by_label("督办要求").fill("请三个工作日内拿出增容方案")
    boss.get_by_test_id("issue-supervision").click()
    notice = boss.get_by_test_id("supervision-notice")
    assert "督办〔" in notice.inner_text()
    assert "请三个工作日内拿出增容方案" in notice.inner_text()
    shot(boss, "supervision-notice")
