"""The one-window walk: the enterprise files online, the window accepts with a deficiency,
two departments review in parallel, the enterprise supplies the missing material, approved."""

import re

import pytest

from tests.browser import shot, sign_in
from tests.factories import DepartmentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_online_filing_to_approval_with_conditional_acceptance(
    page, browser, live_server, admin_user, enterprise_user, enterprise, calendar
):
    from gaoxin.affairs import services
    from gaoxin.affairs.models import Application

    approval = DepartmentFactory(code="approval", name="行政审批服务局")
    planning = DepartmentFactory(code="planning", name="自然资源和规划局")
    clerk = UserFactory(username="window", role="clerk", department=approval)
    approver = UserFactory(username="approver", role="staff", department=approval)
    planner = UserFactory(username="planner", role="staff", department=planning)
    services.item_create(
        by=admin_user,
        data={
            "code": "P1",
            "name": "建设工程规划许可",
            "department": approval,
            "legal_limit_days": 20,
            "promised_limit": 5,
        },
        reviewing_departments=[planning],
        materials=[
            {"name": "申请表", "essential": True},
            {"name": "设计方案", "essential": False},
        ],
    )

    portal = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    sign_in(portal, live_server, enterprise_user.username)
    portal.goto(f"{live_server.url}/affairs/applications/")
    portal.get_by_test_id("file-application").click()
    portal.get_by_label(re.compile("建设工程规划许可")).check()
    portal.get_by_test_id("submit-application").click()
    portal.wait_for_url(re.compile(r".*/affairs/applications/\d+/$"))
    assert portal.get_by_test_id("case-state").inner_text().startswith("已提交")
    shot(portal, "application-filed-phone")
    case = Application.objects.get()

    sign_in(page, live_server, clerk.username)
    page.goto(f"{live_server.url}/affairs/applications/{case.pk}/")
    page.get_by_label("设计方案").check()
    page.locator("#due-on").fill(services.timezone.localdate().isoformat())
    page.get_by_label("承诺人").fill("赵海")
    page.get_by_test_id("accept").click()
    assert page.get_by_test_id("case-state").inner_text().startswith("审查中")
    assert "赵海" in page.get_by_test_id("commitment").inner_text()
    shot(page, "application-accepted-with-deficiency")

    for user, department in ((approver, approval), (planner, planning)):
        desk = browser.new_context().new_page()
        sign_in(desk, live_server, user.username)
        desk.goto(f"{live_server.url}/affairs/reviews/")
        desk.get_by_role("link", name=case.number).click()
        desk.get_by_test_id(f"approve-{department.pk}").click()
        assert "已记录" in desk.locator(".alert").first.inner_text()
        desk.context.close()
    case.refresh_from_db()
    assert case.state == "under_review"  # waiting for the promised material

    portal.reload()
    portal.get_by_test_id("fulfil").click()
    assert portal.get_by_test_id("case-state").inner_text().startswith("准予许可")
    shot(portal, "application-approved-phone")
    portal.get_by_role("link", name="受理通知书").click()
    assert portal.get_by_test_id("notice-number").inner_text() == case.number
