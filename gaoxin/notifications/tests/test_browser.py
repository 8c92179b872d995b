"""In a real browser: a person sets where notifications reach them; an administrator reads the
delivery log, filters it and sends a failed SMS again (screenshots under test-results/)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gaoxin.notifications.models import Delivery, Preference
from tests.browser import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_person_chooses_channels_and_quiet_hours(page, live_server, staff, settings):
    settings.SMS_PROVIDER = "aliyun"
    settings.NOTIFY_BY_EMAIL = True
    sign_in(page, live_server, staff.username)
    page.goto(f"{live_server.url}/notifications/preferences/")
    page.get_by_label("手机号码").fill("13800138000")
    page.get_by_label("免打扰开始").fill("21:00")
    page.get_by_label("免打扰结束").fill("08:00")
    case_step = page.locator("div.mb-3", has_text="办件进度")
    case_step.get_by_label("短信").uncheck()
    shot(page, "notifications-preferences")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("消息推送设置已保存。")).to_be_visible()
    pref = Preference.objects.get(user=staff)
    assert pref.choices["case_step"] == ["email"]
    assert pref.quiet_start == dt.time(21, 0)


def test_an_admin_filters_the_delivery_log_and_sends_again(page, live_server, admin_user):
    now = timezone.now()
    for channel, state, error in [
        ("sms", "given_up", "wrong template code (isv.SMS_TEMPLATE_ILLEGAL: 模板不合法)"),
        ("sms", "sent", ""),
        ("wecom", "failed", "timed out"),
    ]:
        Delivery.objects.create(
            channel=channel,
            event_type="escalation",
            idempotency_key=f"b-{channel}-{state}",
            title="问题超期未办结",
            recipient="138****8000" if channel == "sms" else "李四 (LiSi)",
            state=state,
            attempts=1,
            last_error=error,
            next_attempt_at=now,
            sent_at=now if state == "sent" else None,
        )
    sign_in(page, live_server, admin_user.username)
    page.goto(f"{live_server.url}/notifications/deliveries/")
    assert page.get_by_test_id("channel-figures").is_visible()
    page.get_by_label("状态").select_option("given_up")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**state=given_up**")
    expect(page.get_by_text("wrong template code")).to_be_visible()
    expect(page.get_by_text("timed out")).to_have_count(0)
    shot(page, "notifications-delivery-log")
    page.get_by_role("button", name="重新发送").first.click()
    expect(page.get_by_text("消息已加入重发队列。")).to_be_visible()
    again = Delivery.objects.get(resend_of__state="given_up")
    assert (again.channel, again.state) == ("sms", "pending")
