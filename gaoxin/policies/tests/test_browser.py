"""The walk of issue 20: an enterprise raises an appeal on its phone → the department answers →
the enterprise rates it; staff run a 免申即享 batch (drawn, reviewed, approved, paid) and the
enterprise sees the payout on its phone. Screenshots under test-results/screenshots/."""

import datetime as dt
import re

import pytest

from gaoxin.dispatch.models import Problem
from gaoxin.enterprises.models import Qualification, QualificationType
from gaoxin.enterprises.qualifications import load_qualification_types
from gaoxin.policies import services
from gaoxin.policies.models import BatchState, ClauseMode, PayoutBatch, Policy
from tests.browser import shot, sign_in
from tests.factories import DepartmentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_appeal_on_a_phone_answered_and_rated_then_a_batch_paid_and_seen(
    browser, live_server, enterprise_user, enterprise, staff, leader, calendar
):
    power = DepartmentFactory(code="power", name="供电服务中心")
    officer = UserFactory(username="power_officer", role="staff", department=power)

    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    ).new_page()
    sign_in(phone, live_server, enterprise_user.username)
    phone.goto(f"{live_server.url}/dispatch/appeals/new/")
    phone.locator("select[name=category]").select_option("utilities")
    phone.locator("input[name=title]").fill("新厂房需增容至2000千伏安")
    phone.locator("textarea[name=description]").fill("二期产线下月试产，现有容量不足")
    phone.locator("select[name=department]").select_option(label="供电服务中心")
    shot(phone, "appeal-raise-phone")
    phone.get_by_test_id("appeal-submit").click()
    phone.wait_for_url(re.compile(r".*/dispatch/problems/\d+/$"))
    assert phone.get_by_test_id("problem-state").inner_text() == "已提交"
    appeal = Problem.objects.get()
    assert appeal.project is None and appeal.channel == "portal"

    desk = browser.new_context().new_page()
    sign_in(desk, live_server, officer.username)
    desk.goto(f"{live_server.url}/dispatch/appeals/")
    desk.get_by_role("link", name="新厂房需增容至2000千伏安").click()
    desk.locator("input[name=limit_days]").fill("5")
    desk.get_by_test_id("action-accepted").click()
    assert desk.get_by_test_id("problem-state").inner_text() == "已受理"
    desk.locator("#note-resolved").fill("已协调供电公司，增容工程本月底完工")
    desk.get_by_test_id("action-resolved").click()
    assert desk.get_by_test_id("problem-state").inner_text() == "已办结"
    shot(desk, "appeal-answered")

    phone.reload()
    assert phone.get_by_test_id("action-confirmed").count() == 0  # rated, not confirmed
    phone.get_by_test_id("rate-yes").check()
    shot(phone, "appeal-rate-phone")
    phone.get_by_test_id("rate-submit").click()
    assert phone.get_by_test_id("problem-state").inner_text() == "已确认"
    assert "满意" in phone.get_by_test_id("appeal-evaluation").inner_text()
    shot(phone, "appeal-rated-phone")
    appeal.refresh_from_db()
    assert appeal.satisfied is True

    # 免申即享: a 高企 award for every enterprise holding the qualification.
    Qualification.objects.create(
        enterprise=enterprise,
        # A transactional test starts from an emptied database: load what the migration loads.
        type=load_qualification_types() and QualificationType.objects.get(code="hnte"),
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2028, 12, 31),
    )
    policy = Policy.objects.create(
        title="促进科技创新若干政策", issuing_body="高新区管委会", starts_on=dt.date(2025, 1, 1)
    )
    clause = services.clause_save(
        by=staff,
        policy=policy,
        data={
            "number": "第三条",
            "title": "高新技术企业认定奖励",
            "mode": ClauseMode.AUTOMATIC,
            "criteria": [{"type": "qualification", "code": "hnte", "on": "2026-06-30"}],
            "amount_rule": {"kind": "fixed", "amount": "20"},
        },
    )
    office = browser.new_context(viewport={"width": 1366, "height": 860}).new_page()
    sign_in(office, live_server, staff.username)
    office.goto(f"{live_server.url}/policies/{policy.pk}/")
    office.get_by_test_id(f"match-{clause.pk}").click()
    assert enterprise.name in office.get_by_test_id("eligible-rows").inner_text()
    shot(office, "policy-match")
    office.get_by_test_id("draw-batch").click()
    office.wait_for_url(re.compile(r".*/policies/batches/\d+/$"))
    assert office.get_by_test_id("batch-state").inner_text() == "已生成"

    desk.goto(office.url)  # another member of staff reviews
    desk.get_by_test_id("batch-review").click()
    boss = browser.new_context().new_page()
    sign_in(boss, live_server, leader.username)
    boss.goto(office.url)
    boss.get_by_test_id("batch-approve").click()
    office.reload()
    office.get_by_test_id("batch-pay").click()
    assert office.get_by_test_id("batch-state").inner_text() == "已拨付"
    shot(office, "policy-batch-paid")
    assert PayoutBatch.objects.get().state == BatchState.PAID

    phone.goto(f"{live_server.url}/policies/mine/")
    payouts = phone.get_by_test_id("payouts").inner_text()
    assert "20.00" in payouts and "促进科技创新若干政策" in payouts
    shot(phone, "policy-payout-seen-phone")
