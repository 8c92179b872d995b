"""The notification pages' actions over the API (issue 22): one's own messages marked read,
one's channel settings, the administrators' delivery log, "send again" and a test message —
the same forms, services, permissions and audit entries as the pages."""

import datetime as dt

import pytest
from django.utils import timezone

from gaoxin.accounts.services import api_token_create
from gaoxin.core.models import AuditEntry, Notification
from gaoxin.notifications.models import Delivery, DeliveryState, Preference

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}"}


def delivery(channel="sms", state="given_up", **kw):
    return Delivery.objects.create(
        channel=channel,
        event_type="reminder",
        idempotency_key=f"{channel}-{state}-{kw.get('title', '')}",
        title=kw.pop("title", "提醒"),
        state=state,
        next_attempt_at=timezone.now(),
        **kw,
    )


def test_a_person_marks_one_of_their_messages_read_and_not_anothers(client, staff, steward):
    mine = Notification.objects.create(user=staff, key="a", title="催办")
    other = Notification.objects.create(user=steward, key="b", title="催办")
    answer = client.post(f"/api/v1/notifications/{mine.pk}/read", headers=bearer(staff))
    assert answer.status_code == 200 and answer.json()["read_at"] is not None
    refused = client.post(f"/api/v1/notifications/{other.pk}/read", headers=bearer(staff))
    assert refused.status_code == 404
    other.refresh_from_db()
    assert other.read_at is None
    listed = client.get("/api/v1/notifications/", headers=bearer(staff)).json()
    assert [n["id"] for n in listed["items"]] == [mine.pk]


def test_marking_all_read_counts_only_the_unread(client, staff):
    Notification.objects.create(user=staff, key="a", title="一")
    Notification.objects.create(user=staff, key="b", title="二", read_at=timezone.now())
    answer = client.post("/api/v1/notifications/read", headers=bearer(staff))
    assert answer.json() == {"marked": 1}
    assert not Notification.objects.filter(user=staff, read_at__isnull=True).exists()


def test_the_delivery_log_filters_as_the_page_and_is_the_admins(client, admin_user, staff):
    failed = delivery("sms", "given_up", title="模板错误", last_error="wrong template code")
    delivery("email", "sent", title="已送达")
    answer = client.get(
        "/api/v1/notifications/deliveries",
        {"channel": "sms", "state": "given_up", "q": "template"},
        headers=bearer(admin_user),
    )
    assert answer.status_code == 200
    assert [d["id"] for d in answer.json()["items"]] == [failed.pk]
    misspelt = client.get(
        "/api/v1/notifications/deliveries", {"chanel": "sms"}, headers=bearer(admin_user)
    )
    assert misspelt.status_code == 400 and "chanel" in misspelt.json()["errors"]
    forbidden = client.get("/api/v1/notifications/deliveries", headers=bearer(staff))
    assert forbidden.status_code == 403


def test_send_again_makes_an_audited_new_delivery_unless_the_first_is_on_its_way(
    client, admin_user
):
    given_up = delivery("sms", "given_up", title="模板错误")
    pending = delivery("wecom", "pending", title="在路上")
    answer = client.post(
        f"/api/v1/notifications/deliveries/{given_up.pk}/send-again", headers=bearer(admin_user)
    )
    assert answer.status_code == 201
    again = Delivery.objects.get(resend_of=given_up)
    assert (answer.json()["id"], again.state, again.title) == (again.pk, "pending", "模板错误")
    assert AuditEntry.objects.filter(object_id=str(again.pk), action="create").exists()
    refused = client.post(
        f"/api/v1/notifications/deliveries/{pending.pk}/send-again", headers=bearer(admin_user)
    )
    assert refused.status_code == 400
    assert refused.json()["message"] == "该消息仍在发送中，请等待结果。"
    assert not Delivery.objects.filter(resend_of=pending).exists()


def test_a_test_message_by_email_reaches_the_admin_and_a_missing_address_is_a_field_error(
    client, admin_user, staff, providers, mailoutbox
):
    admin_user.email = "admin@zone.example"
    admin_user.save()
    answer = client.post(
        "/api/v1/notifications/test",
        {"channel": "email"},
        content_type="application/json",
        headers=bearer(admin_user),
    )
    assert answer.status_code == 201
    assert answer.json()["state"] == DeliveryState.SENT and answer.json()["is_test"]
    assert [m.to for m in mailoutbox] == [["admin@zone.example"]]
    refused = client.post(
        "/api/v1/notifications/test",
        {"channel": "sms", "user": staff.pk},
        content_type="application/json",
        headers=bearer(admin_user),
    )
    assert refused.status_code == 400 and "user" in refused.json()["errors"]
    assert Delivery.objects.count() == 1


def test_a_person_reads_and_saves_their_settings_with_the_pages_rules(client, staff, providers):
    before = client.get("/api/v1/notifications/preferences", headers=bearer(staff)).json()
    assert before["choices"]["reminder"] == ["email", "wecom", "dingtalk"]  # the defaults
    answer = client.put(
        "/api/v1/notifications/preferences",
        {
            "phone": "139 0013 9000",
            "wecom_user_id": "ZhaoLei",
            "quiet_start": "21:30:00",
            "quiet_end": "07:30:00",
            "choices": {"reminder": ["wecom"], "case_step": ["sms"]},
        },
        content_type="application/json",
        headers=bearer(staff),
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["phone"], body["wecom_user_id"], body["quiet_start"]) == (
        "13900139000",
        "ZhaoLei",
        "21:30:00",
    )
    assert body["choices"]["reminder"] == ["wecom"]
    preference = Preference.objects.get(user=staff)
    assert preference.quiet_end == dt.time(7, 30)
    assert AuditEntry.objects.filter(object_id=str(preference.pk), action="create").exists()
    half = client.put(
        "/api/v1/notifications/preferences",
        {"quiet_start": "21:30:00", "phone": "12345"},
        content_type="application/json",
        headers=bearer(staff),
    )
    assert half.status_code == 400
    assert set(half.json()["errors"]) == {"phone", "__all__"}


def test_quiet_hours_with_an_offset_are_refused(client, staff):
    answer = client.put(
        "/api/v1/notifications/preferences",
        {"quiet_start": "21:30:00+08:00", "quiet_end": "07:30:00"},
        content_type="application/json",
        headers=bearer(staff),
    )
    assert answer.status_code == 422 and "quiet_start" in answer.json()["errors"]
    assert not Preference.objects.filter(user=staff).exists()
