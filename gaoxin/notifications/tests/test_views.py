"""The admin's delivery log (filters, figures per channel, send again), the test message,
and each person's notification settings."""

import datetime as dt

import pytest
from django.utils import timezone

from gaoxin.accounts.models import User
from gaoxin.core.models import AuditEntry
from gaoxin.notifications import selectors
from gaoxin.notifications.models import Delivery, DeliveryState, Preference, RobotWebhook

pytestmark = pytest.mark.django_db


def row(channel, state, created, sent_after=None, **kw):
    d = Delivery.objects.create(
        channel=channel,
        event_type=kw.pop("event_type", "reminder"),
        idempotency_key=f"{channel}-{state}-{created.timestamp()}-{sent_after}",
        title=kw.pop("title", "提醒"),
        state=state,
        next_attempt_at=created,
        **kw,
    )
    sent_at = created + dt.timedelta(seconds=sent_after) if sent_after is not None else None
    Delivery.objects.filter(pk=d.pk).update(created_at=created, sent_at=sent_at)
    return d


@pytest.fixture
def log(db):
    t = timezone.now() - dt.timedelta(hours=1)
    return [
        row("sms", "sent", t, 2),
        row("sms", "sent", t, 4),
        row("sms", "sent", t, 30),
        row("sms", "given_up", t, last_error="wrong template code", title="模板错误"),
        row("email", "sent", t, 1),
        row("wecom", "failed", t, last_error="timed out"),
        row("wecom", "pending", t),
    ]


def test_figures_per_channel_count_sent_failed_and_the_median_delay(log):
    figures = {f.channel: f for f in selectors.figures(Delivery.objects.all())}
    sms = figures["sms"]
    assert (sms.total, sms.sent, sms.failed, sms.waiting) == (4, 3, 1, 0)
    assert sms.median_delay_seconds == 4
    assert (figures["wecom"].failed, figures["wecom"].waiting) == (1, 1)
    assert figures["wecom"].median_delay_seconds is None
    assert figures["email"].median_delay_seconds == 1


def test_the_log_filters_by_channel_and_state_and_shows_the_reason(client, admin_user, log):
    client.force_login(admin_user)
    page = client.get("/notifications/deliveries/", {"channel": "sms", "state": "given_up"})
    html = page.content.decode()
    assert page.status_code == 200
    assert list(page.context["page"]) == [log[3]]
    assert "wrong template code" in html
    assert [f.channel for f in page.context["figures"]] == ["sms"]


def test_the_log_queries_stay_few(client, admin_user, log, django_assert_max_num_queries):
    client.force_login(admin_user)
    with django_assert_max_num_queries(16):
        client.get("/notifications/deliveries/")


def test_send_again_makes_a_new_delivery_and_leaves_the_old_one(client, admin_user, log):
    client.force_login(admin_user)
    given_up = log[3]
    response = client.post(f"/notifications/deliveries/{given_up.pk}/send-again/")
    assert response.status_code == 302
    again = Delivery.objects.get(resend_of=given_up)
    assert (again.state, again.channel, again.title) == ("pending", "sms", "模板错误")
    given_up.refresh_from_db()
    assert given_up.state == "given_up"
    assert AuditEntry.objects.filter(object_id=str(again.pk), action="create").exists()


def test_a_delivery_on_its_way_is_not_sent_again(client, admin_user, log):
    client.force_login(admin_user)
    pending = log[6]
    client.post(f"/notifications/deliveries/{pending.pk}/send-again/")
    assert not Delivery.objects.filter(resend_of=pending).exists()


def test_a_test_message_with_a_wrong_robot_secret_shows_the_error(
    client, admin_user, providers, department
):
    hook = RobotWebhook.objects.create(
        name="专班群",
        kind="dingtalk_robot",
        department=department,
        url=providers.url_for("/dingtalk/robot/send") + "?access_token=abc",
        secret="SECwrong",
    )
    providers.expect_request("/dingtalk/robot/send").respond_with_json(
        {"errcode": 310000, "errmsg": "sign not match"}
    )
    client.force_login(admin_user)
    page = client.post("/notifications/test/", {"channel": "dingtalk_robot", "webhook": hook.pk})
    result = page.context["result"]
    assert result.state == DeliveryState.GIVEN_UP and result.is_test
    assert "机器人拒收：加签密钥、关键词或 IP 地址有误" in page.content.decode()
    assert result.attempts == 1


def test_a_test_message_reaches_the_admin_by_email(client, admin_user, providers, mailoutbox):
    admin_user.email = "admin@zone.example"
    admin_user.save()
    client.force_login(admin_user)
    page = client.post("/notifications/test/", {"channel": "email"})
    assert page.context["result"].state == DeliveryState.SENT
    assert [m.to for m in mailoutbox] == [["admin@zone.example"]]


def test_a_test_message_to_someone_without_an_address_is_refused_by_the_form(
    client, admin_user, providers, staff
):
    client.force_login(admin_user)
    page = client.post("/notifications/test/", {"channel": "sms", "user": staff.pk})
    assert page.status_code == 400
    assert not Delivery.objects.exists()


def test_a_person_saves_channels_chat_ids_quiet_hours_and_phone(client, staff, providers):
    client.force_login(staff)
    page = client.get("/notifications/preferences/")
    assert page.status_code == 200
    response = client.post(
        "/notifications/preferences/",
        {
            "phone": "139 0013 9000",
            "wecom_user_id": "ZhaoLei",
            "dingtalk_user_id": "",
            "quiet_start": "21:30",
            "quiet_end": "08:00",
            "event_case_step": ["wecom"],
            "event_reminder": [],
        },
    )
    assert response.status_code == 302
    pref = Preference.objects.get(user=staff)
    assert (pref.wecom_user_id, pref.quiet_start) == ("ZhaoLei", dt.time(21, 30))
    assert pref.choices["case_step"] == ["wecom"] and pref.choices["reminder"] == []
    assert "escalation" not in pref.choices  # mandatory: not a choice
    assert User.objects.get(phone_hash__matches="13900139000") == staff
    audit = AuditEntry.objects.filter(object_id=str(staff.pk), action="update").last()
    assert audit.after["phone"] == "139****9000"


def test_bad_settings_are_refused_in_chinese_and_change_nothing(client, staff, providers):
    client.force_login(staff)
    response = client.post(
        "/notifications/preferences/", {"phone": "12345", "quiet_start": "22:00"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "请输入 11 位大陆手机号码" in html
    assert not Preference.objects.filter(user=staff).exists()


def test_a_test_sms_uses_an_approved_template(client, admin_user, providers, settings):
    settings.SMS_TEMPLATES = {"reminder": "SMS_555"}
    admin_user.phone = "13600136000"
    admin_user.save()
    providers.expect_request("/aliyun/").respond_with_json({"Code": "OK", "BizId": "t1"})
    client.force_login(admin_user)
    page = client.post("/notifications/test/", {"channel": "sms"})
    assert page.context["result"].state == DeliveryState.SENT
    assert providers.log[-1][0].args["TemplateCode"] == "SMS_555"
