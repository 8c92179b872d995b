"""The outbox: written with the change, nothing lost after a crash, never sent twice,
retried with a capped exponential backoff; who gets what where."""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import default_task_backend

from gaoxin.core.models import Notification
from gaoxin.core.notifications import notify
from gaoxin.notifications import outbox, routing
from gaoxin.notifications.models import (
    Delivery,
    DeliveryState,
    EventRule,
    RobotWebhook,
)
from gaoxin.notifications.tasks import outbox_sweep
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms_ok(providers, settings):
    settings.SMS_TEMPLATES = {e: "SMS_1" for e in ("escalation", "case_step", "other")}
    providers.expect_request("/aliyun/").respond_with_json({"Code": "OK", "BizId": "b1"})
    return providers


def sms_requests(server):
    return [r for r, _ in server.log if r.path.startswith("/aliyun")]


def test_the_call_signature_of_notify_still_works_and_reads_the_event_from_the_key(
    providers, person
):
    n = notify(user=person, key="problem-7-escalation-1", title="问题超期", body="b", link="/x/")
    assert isinstance(n, Notification)
    assert {d.event_type for d in Delivery.objects.filter(notification=n)} == {"escalation"}
    assert notify(user=person, key="problem-7-escalation-1", title="问题超期") is None  # once


@pytest.mark.parametrize(
    ("key", "event"),
    [
        ("problem-3-escalation-2", "escalation"),
        ("supervision-4", "supervision"),
        ("supervision-4-overdue", "reminder"),
        ("milestone-9-due-soon", "reminder"),
        ("case:12:accepted", "case_step"),
        ("review:5", "case_step"),
        ("case:12:commitment-due:2026-10-01", "commitment_due"),
        ("appointment:3:remind", "appointment"),
        ("light-list:2026-10", "light_list"),
        ("calendar-missing-2027", "other"),
    ],
)
def test_the_event_type_is_read_from_the_key(key, event):
    assert routing.event_type_for(key) == event


def test_an_explicit_event_and_urgency_override_the_key(providers, person, settings):
    settings.NOTIFY_QUIET_HOURS = ("00:00", "23:59")  # always quiet
    n = notify(user=person, key="k-1", title="t", event="case_step", urgent=True)
    sms = Delivery.objects.get(notification=n, channel="sms")
    assert (sms.event_type, sms.urgent) == ("case_step", True)
    assert sms.next_attempt_at <= timezone.now()  # urgent: not held for the quiet hours


def test_deliveries_roll_back_with_the_change(providers, person):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(user=person, key="problem-1-escalation-1", title="t")
        raise RuntimeError("the service failed after notifying")
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()


def test_a_crash_between_commit_and_delivery_loses_nothing(sms_ok, person):
    # The change commits; the process dies before its after-commit hook or the worker's task
    # ran (in this test the on-commit hooks are never executed). The sweep finds it.
    notify(user=person, key="problem-1-escalation-1", title="问题超期")
    pending = Delivery.objects.filter(state=DeliveryState.PENDING)
    assert set(pending.values_list("channel", flat=True)) == {"email", "sms", "wecom", "dingtalk"}
    assert sms_requests(sms_ok) == []
    Delivery.objects.exclude(channel="sms").delete()  # only the SMS stand-in is listening
    outbox_sweep.call()
    assert Delivery.objects.get(channel="sms").state == DeliveryState.SENT
    outbox_sweep.call()  # the next sweep finds nothing to do
    assert len(sms_requests(sms_ok)) == 1


def test_a_retried_job_never_sends_twice(sms_ok, person):
    notify(user=person, key="case:1:accepted", title="已受理")
    sms = Delivery.objects.get(channel="sms")
    assert outbox.deliver(sms.pk) == DeliveryState.SENT
    assert outbox.deliver(sms.pk) == "skipped"  # the same task run again
    outbox.deliver_all_due()
    assert len(sms_requests(sms_ok)) == 1


def test_a_worker_that_died_mid_send_is_taken_over_after_its_lease(sms_ok, person):
    notify(user=person, key="case:1:accepted", title="已受理")
    sms = Delivery.objects.get(channel="sms")
    Delivery.objects.exclude(pk=sms.pk).delete()
    now = timezone.now()
    Delivery.objects.filter(pk=sms.pk).update(
        state=DeliveryState.SENDING, locked_until=now + dt.timedelta(minutes=4), attempts=1
    )
    assert outbox.deliver_all_due() == {}  # still leased: someone may be sending it
    Delivery.objects.filter(pk=sms.pk).update(locked_until=now - dt.timedelta(seconds=1))
    assert outbox.deliver_all_due() == {"sent": 1}
    sms.refresh_from_db()
    assert (sms.state, sms.attempts) == ("sent", 2)
    assert len(sms_requests(sms_ok)) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_once(providers, settings):
    settings.SMS_TEMPLATES = {"case_step": "SMS_1"}
    providers.expect_request("/aliyun/").respond_with_json({"Code": "OK", "BizId": "b"})
    user = UserFactory(username="wang", phone="13900139000")
    notify(user=user, key="case:2:accepted", title="已受理")
    sms = Delivery.objects.get(channel="sms")
    results = []
    start = threading.Barrier(2)

    def work():
        start.wait()
        try:
            results.append(outbox.deliver(sms.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["sent", "skipped"]
    assert len(sms_requests(providers)) == 1


def test_backoff_is_exponential_and_capped(settings):
    settings.NOTIFY_RETRY_BASE_SECONDS = 60
    settings.NOTIFY_RETRY_CAP_SECONDS = 3600
    assert [outbox.backoff(n).total_seconds() for n in range(1, 9)] == [
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
    ]
    assert outbox.backoff(1, retry_after=300).total_seconds() == 300


def test_a_failing_provider_is_given_up_after_the_cap_and_the_in_app_notice_stays(
    providers, person, settings
):
    settings.SMS_TEMPLATES = {"case_step": "SMS_1"}
    settings.NOTIFY_MAX_ATTEMPTS = 3
    providers.expect_request("/aliyun/").respond_with_data("down", status=502)
    n = notify(user=person, key="case:3:accepted", title="已受理")
    sms = Delivery.objects.get(channel="sms")
    states = []
    for _ in range(3):
        Delivery.objects.filter(pk=sms.pk).update(next_attempt_at=timezone.now())
        states.append(outbox.deliver(sms.pk))
    assert states == ["failed", "failed", "given_up"]
    sms.refresh_from_db()
    assert sms.last_error == "HTTP 502（已尝试 3 次）"
    assert Notification.objects.filter(pk=n.pk, user=person).exists()


def test_email_is_sent_after_commit_by_the_process_that_made_the_change(
    providers, person, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=person, key="calendar-missing-2027", title="工作日历")
    assert [m.subject for m in mailoutbox] == ["工作日历"]
    assert Delivery.objects.get(channel="email").state == DeliveryState.SENT


# --- who gets what where ----------------------------------------------------------------------


def test_sms_waits_for_the_end_of_quiet_hours_unless_urgent(providers, person, settings):
    settings.NOTIFY_QUIET_HOURS = ("22:00", "07:00")
    night = timezone.make_aware(dt.datetime(2026, 11, 30, 23, 30))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(timezone, "now", lambda: night)
        notify(user=person, key="case:4:accepted", title="已受理")  # not urgent
        notify(user=person, key="problem-4-escalation-1", title="超期")  # urgent by its rule
    held = Delivery.objects.get(channel="sms", event_type="case_step")
    assert held.next_attempt_at == timezone.make_aware(dt.datetime(2026, 12, 1, 7, 0))
    assert Delivery.objects.get(channel="email", event_type="case_step").next_attempt_at == night
    assert Delivery.objects.get(channel="sms", event_type="escalation").next_attempt_at == night


def test_a_persons_own_quiet_hours_replace_the_default(providers, person, settings):
    preference = person.notification_preference
    preference.quiet_start, preference.quiet_end = dt.time(12, 0), dt.time(14, 0)
    preference.save()
    noon = timezone.make_aware(dt.datetime(2026, 12, 1, 12, 30))
    assert routing.quiet_until(noon, routing.quiet_hours(person.notification_preference)) == (
        timezone.make_aware(dt.datetime(2026, 12, 1, 14, 0))
    )
    evening = timezone.make_aware(dt.datetime(2026, 12, 1, 23, 0))
    assert routing.quiet_until(evening, routing.quiet_hours(person.notification_preference)) is None


def test_a_person_chooses_channels_for_non_mandatory_events_only(providers, person):
    preference = person.notification_preference
    preference.choices = {"case_step": ["wecom"], "escalation": []}
    preference.save()
    notify(user=person, key="case:5:accepted", title="已受理")
    notify(user=person, key="problem-5-escalation-1", title="超期")
    assert set(
        Delivery.objects.filter(event_type="case_step").values_list("channel", flat=True)
    ) == {"wecom"}
    # Escalations are mandatory: turning them off changes nothing.
    assert set(
        Delivery.objects.filter(event_type="escalation").values_list("channel", flat=True)
    ) == {"email", "sms", "wecom", "dingtalk"}


def test_an_admins_event_rule_replaces_the_defaults(providers, person):
    EventRule.objects.create(event_type="reminder", channels=["sms"], mandatory=True)
    notify(user=person, key="milestone-1-overdue", title="节点超期")
    assert list(Delivery.objects.values_list("channel", flat=True)) == ["sms"]


def test_channels_not_set_up_or_without_an_address_get_no_delivery(settings, staff):
    settings.SMS_PROVIDER = ""
    settings.NOTIFY_BY_EMAIL = True
    staff.email = ""
    staff.phone = "13800138000"
    staff.save()
    n = notify(user=staff, key="problem-6-escalation-1", title="超期")
    assert n is not None  # in-app, always
    assert not Delivery.objects.exists()


def test_a_department_robot_hears_each_key_once(providers, person, department):
    RobotWebhook.objects.create(
        name="投促局群", kind="wecom_robot", department=department, url="https://x/hook"
    )
    RobotWebhook.objects.create(
        name="只听督办",
        kind="dingtalk_robot",
        department=department,
        url="https://y/hook",
        event_types=["supervision"],
    )
    colleague = UserFactory(username="zhao", department=department)
    notify(user=person, key="review:9", title="新的审查")
    notify(user=colleague, key="review:9", title="新的审查")
    robots = Delivery.objects.filter(channel__in=["wecom_robot", "dingtalk_robot"])
    assert [(d.channel, d.recipient) for d in robots] == [("wecom_robot", "投促局群")]


def test_a_retry_and_a_held_sms_are_scheduled_for_their_time(
    providers, person, settings, django_capture_on_commit_callbacks
):
    settings.SMS_TEMPLATES = {"case_step": "SMS_1"}
    settings.NOTIFY_QUIET_HOURS = ("00:00", "23:59")
    providers.expect_request("/aliyun/").respond_with_data("down", status=503)
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=person, key="case:8:accepted", title="已受理")
    sms = Delivery.objects.get(channel="sms")
    scheduled = [r for r in default_task_backend.results if r.task.name == "deliver_one"]
    assert [(r.args, r.task.run_after) for r in scheduled] == [([sms.pk], sms.next_attempt_at)]
    Delivery.objects.filter(pk=sms.pk).update(next_attempt_at=timezone.now())
    assert outbox.deliver(sms.pk) == "failed"
    sms.refresh_from_db()
    retry = [r for r in default_task_backend.results if r.task.name == "deliver_one"][-1]
    assert (retry.args, retry.task.run_after) == ([sms.pk], sms.next_attempt_at)
