"""A case from filing to rating, clicked through as each person does it: the enterprise files
online on its phone with its materials and asks for 容缺, the window accepts, two departments
review in parallel and one asks for a supplement (only its clock stops), the enterprise
supplies and hands in the committed material, the window checks it, the case is approved,
closed and rated. Office screens at 1366 px, the enterprise at 390 px."""

import re

import pytest
from django.utils import timezone

from gaoxin.affairs import services
from gaoxin.affairs.models import Application
from gaoxin.core import workcalendar
from tests.browser import shot, sign_in
from tests.factories import DepartmentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_case_from_online_filing_to_rating(
    wide, phone, live_server, admin_user, enterprise_user, enterprise, calendar, tmp_path, settings
):

    settings.MEDIA_ROOT = tmp_path
    approval = DepartmentFactory(code="approval", name="行政审批服务局", short_name="审批局")
    planning = DepartmentFactory(code="planning", name="自然资源和规划局", short_name="自规局")
    clerk = UserFactory(username="window", role="clerk", department=approval, full_name="刘芳")
    approver = UserFactory(username="approver", role="staff", department=approval)
    planner = UserFactory(username="planner", role="staff", department=planning)
    permit = services.item_create(
        by=admin_user,
        data={
            "code": "371100-JS-01",
            "name": "建设工程规划许可证核发",
            "department": approval,
            "legal_limit_days": 20,
            "promised_limit": 5,
            "promised_unit": "working_days",
        },
        reviewing_departments=[planning],
        materials=[
            {"name": "建设工程规划许可申请表", "essential": True},
            {"name": "建设工程设计方案总平面图", "essential": False},
        ],
    )
    essential = permit.materials.get(essential=True)
    waivable = permit.materials.get(essential=False)
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%scan\n")

    # The enterprise finds the service by its pinyin initials on its phone and opens a draft.
    sign_in(phone, live_server, enterprise_user.username)
    phone.get_by_test_id("portal-actions").get_by_role("link").first.click()
    phone.get_by_test_id("item-search").fill("jsgcgh")
    phone.get_by_role("button", name="搜索").click()
    phone.get_by_test_id("choose-371100-JS-01").click()
    phone.get_by_test_id("submit-application").click()
    phone.wait_for_url(re.compile(r".*/affairs/applications/\d+/$"))
    case = Application.objects.get()
    assert case.state == "draft"
    # Submitting without the essential material is refused with its name.
    phone.get_by_test_id("submit").click()
    assert "建设工程规划许可申请表" in phone.locator(".alert-danger").first.inner_text()
    phone.get_by_test_id(f"file-{essential.pk}").set_input_files(str(pdf))
    phone.get_by_test_id(f"upload-{essential.pk}").click()
    phone.get_by_label("“建设工程设计方案总平面图”申请容缺后补").check()
    shot(phone, "case-1-draft-with-materials-phone")
    phone.get_by_test_id("submit").click()
    assert phone.get_by_test_id("case-state").inner_text().startswith("已提交")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # Its list names the service; on a phone each case is a card, nothing scrolls sideways.
    phone.goto(f"{live_server.url}/affairs/applications/")
    assert "建设工程规划许可证核发" in phone.get_by_test_id("application-rows").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "case-1b-my-applications-phone")

    # The window accepts with 容缺: the applicant's request is already ticked.
    sign_in(wide, live_server, clerk.username)
    wide.goto(f"{live_server.url}/affairs/applications/")
    assert "建设工程规划许可证核发" in wide.get_by_test_id("application-rows").inner_text()
    wide.get_by_role("link", name="建设工程规划许可证核发").click()
    assert wide.locator(f"input[name='missing'][value='{waivable.pk}']").is_checked()
    due = workcalendar.add_working_days(timezone.localdate(), 2).value
    wide.locator("#due-on").fill(due.isoformat())
    wide.locator("#signatory").fill("赵海")
    wide.get_by_test_id("accept").click()
    assert "剩余" in wide.get_by_test_id("case-time-left").inner_text()
    shot(wide, "case-2-accepted-with-deficiency-1366")
    case.refresh_from_db()
    approval_deadline = case.reviews.get(department=approval).deadline

    # Planning asks for a supplement: only its clock stands still; approval approves meanwhile.
    wide.context.clear_cookies()
    sign_in(wide, live_server, planner.username)
    wide.goto(f"{live_server.url}/affairs/reviews/")
    wide.get_by_role("link", name="建设工程规划许可证核发").click()
    review_form = wide.get_by_test_id(f"review-{planning.pk}")
    review_form.locator("input[name='reasons']").fill("请补充总平面图的比例尺标注")
    wide.get_by_test_id(f"supplement-{planning.pk}").click()
    assert "暂停" in wide.get_by_test_id(f"review-{planning.pk}").inner_text()
    wide.context.clear_cookies()
    sign_in(wide, live_server, approver.username)
    wide.goto(f"{live_server.url}/affairs/applications/{case.pk}/")
    wide.get_by_test_id(f"approve-{approval.pk}").click()
    shot(wide, "case-3-parallel-review-one-paused-1366")
    case.refresh_from_db()
    assert case.reviews.get(department=approval).deadline == approval_deadline

    # The enterprise supplies, then hands in the committed drawing.
    phone.goto(f"{live_server.url}/")
    phone.get_by_test_id("portal-applications").get_by_text("建设工程规划许可证核发").click()
    assert "比例尺" in phone.get_by_test_id("supplements-open").inner_text()
    # The corrected drawing is the supplement and the committed material at once.
    phone.locator("#upload-material").select_option(str(waivable.pk))
    phone.locator("#upload-file").set_input_files(str(pdf))
    phone.get_by_test_id("upload").click()
    supplements = phone.get_by_test_id("supplements-open")
    supplements.locator("input[name='note']").fill("已补充比例尺")
    supplements.get_by_role("button", name="提交补正").click()
    phone.get_by_test_id("fulfil").click()
    assert phone.get_by_test_id("commitment-state").inner_text() == "待窗口核验"
    shot(phone, "case-4-committed-material-handed-in-phone")
    case.refresh_from_db()
    assert case.state == "under_review"  # the enterprise's word never approves

    # Planning approves; the window checks the material: the case is approved and closed.
    wide.context.clear_cookies()
    sign_in(wide, live_server, planner.username)
    wide.goto(f"{live_server.url}/affairs/applications/{case.pk}/")
    wide.get_by_test_id(f"approve-{planning.pk}").click()
    wide.context.clear_cookies()
    sign_in(wide, live_server, clerk.username)
    wide.goto(f"{live_server.url}/affairs/applications/{case.pk}/")
    wide.get_by_test_id("commitment-accept").click()
    assert wide.get_by_test_id("case-state").inner_text().startswith("准予许可")
    wide.get_by_test_id("close").click()
    shot(wide, "case-5-approved-and-closed-1366")
    wide.get_by_role("link", name="受理通知书").click()
    assert wide.get_by_test_id("notice-number").inner_text() == case.number
    case.refresh_from_db()
    assert case.state == "closed"

    # The enterprise rates it: nothing is chosen for it; a bad rating without reasons keeps
    # the choice.
    phone.goto(f"{live_server.url}/")
    phone.get_by_test_id("portal-to-rate").get_by_text("建设工程规划许可证核发").click()
    assert phone.locator("input[name='level']:checked").count() == 0
    phone.locator("label:has(input[name='level'][value='2'])").click()
    phone.get_by_test_id("rate").click()
    assert phone.locator("input[name='level'][value='2']").is_checked()
    phone.locator("label:has(input[name='level'][value='5'])").click()
    phone.get_by_test_id("rate").click()
    assert "非常满意" in phone.get_by_test_id("rating").inner_text()
    shot(phone, "case-6-rated-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
