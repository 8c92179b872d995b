"""Each channel over real HTTP against a local stand-in of its provider: the stand-in checks
the request (signatures recomputed independently, by the providers' documented recipes) and
answers as the provider does, including errors, timeouts and rate limits."""

import base64
import datetime as dt
import hashlib
import hmac
import json
import socket
import time
import urllib.parse

import pytest
from django.core.cache import cache
from django.utils import timezone
from werkzeug.wrappers import Response

from gaoxin.notifications import outbox
from gaoxin.notifications.models import Delivery, DeliveryState, RobotWebhook

pytestmark = pytest.mark.django_db


def make_delivery(user=None, channel="sms", webhook=None, key=None, event="escalation"):
    return Delivery.objects.create(
        user=user,
        webhook=webhook,
        channel=channel,
        event_type=event,
        idempotency_key=key or f"n1:{channel}",
        title="项目问题已超期",
        body="请尽快处理",
        link="/dispatch/problems/1/",
        next_attempt_at=timezone.now(),
    )


def answer(data, status=200, headers=None):
    return Response(
        json.dumps(data), status=status, headers=headers, content_type="application/json"
    )


# --- Alibaba Cloud SMS ------------------------------------------------------------------------


def aliyun_verify(query: bytes, secret: str) -> bool:
    """Alibaba's 签名机制, written out independently of the adapter."""
    pairs = urllib.parse.parse_qsl(query.decode(), keep_blank_values=True)
    params = dict(pairs)
    signature = params.pop("Signature")

    def enc(s):
        return urllib.parse.quote(s, safe="~").replace("+", "%20")

    canonical = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params.items()))
    to_sign = "GET&%2F&" + enc(canonical)
    digest = hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode() == signature


@pytest.fixture
def sms_template(settings, providers):
    settings.SMS_TEMPLATES = {"escalation": "SMS_71390007"}


def test_aliyun_sms_is_signed_as_documented_and_sent(providers, person, sms_template):
    seen = {}

    def handler(request):
        seen["query"] = request.query_string
        seen["args"] = dict(request.args)
        if not aliyun_verify(request.query_string, "testSecret"):
            return answer({"Code": "SignatureDoesNotMatch", "Message": "bad"}, status=400)
        return answer({"Code": "OK", "Message": "OK", "BizId": "9006197469364984^0"})

    providers.expect_request("/aliyun/", method="GET").respond_with_handler(handler)
    delivery = make_delivery(person, key="n41:sms")
    assert outbox.deliver(delivery.pk) == DeliveryState.SENT
    delivery.refresh_from_db()
    assert (delivery.state, delivery.provider_message_id) == ("sent", "9006197469364984^0")
    args = seen["args"]
    assert args["PhoneNumbers"] == "13800138000"
    assert args["TemplateCode"] == "SMS_71390007"
    assert args["SignName"] == "高新区"
    assert args["OutId"] == "n41:sms"  # the idempotency key: the provider drops a repeat
    assert json.loads(args["TemplateParam"]) == {"title": "项目问题已超期"}
    assert seen["query"].startswith(b"Signature=")


def test_aliyun_wrong_template_code_is_given_up_at_once_with_the_reason(
    providers, person, sms_template
):
    providers.expect_request("/aliyun/").respond_with_json(
        {"Code": "isv.SMS_TEMPLATE_ILLEGAL", "Message": "模板不合法", "RequestId": "r1"}
    )
    delivery = make_delivery(person)
    outbox.deliver(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.GIVEN_UP
    assert delivery.attempts == 1
    assert delivery.last_error.startswith("短信模板编号有误（isv.SMS_TEMPLATE_ILLEGAL")
    assert json.loads(delivery.response)["Message"] == "模板不合法"  # the answer is kept


def test_aliyun_throttling_is_retried_later(providers, person, sms_template, settings):
    settings.NOTIFY_RETRY_BASE_SECONDS = 60
    providers.expect_request("/aliyun/").respond_with_json(
        {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控"}
    )
    delivery = make_delivery(person)
    before = timezone.now()
    outbox.deliver(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED
    assert delivery.next_attempt_at >= before + dt.timedelta(seconds=60)
    assert "BUSINESS_LIMIT_CONTROL" in delivery.last_error


def test_an_event_without_a_template_code_is_given_up_with_a_clear_reason(providers, person):
    delivery = make_delivery(person)
    outbox.deliver(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.GIVEN_UP
    assert delivery.last_error.startswith("事件类型 escalation 未设置短信模板编号")
    assert len(providers.log) == 0


# --- Tencent Cloud SMS ------------------------------------------------------------------------


def tencent_expected_authorization(headers, body: bytes, secret_id, secret_key) -> str:
    """签名方法 v3, written out independently of the adapter."""
    ts = int(headers["X-TC-Timestamp"])
    date = dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d")
    canonical = "\n".join(
        [
            "POST",
            "/",
            "",
            f"content-type:{headers['Content-Type']}\nhost:{headers['Host']}\n",
            "content-type;host",
            hashlib.sha256(body).hexdigest(),
        ]
    )
    scope = f"{date}/sms/tc3_request"
    to_sign = f"TC3-HMAC-SHA256\n{ts}\n{scope}\n{hashlib.sha256(canonical.encode()).hexdigest()}"

    def h(key, msg):
        return hmac.new(key, msg.encode(), hashlib.sha256).digest()

    key = h(h(h(("TC3" + secret_key).encode(), date), "sms"), "tc3_request")
    sig = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return (
        f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, "
        f"SignedHeaders=content-type;host, Signature={sig}"
    )


def test_tencent_sms_is_signed_as_documented_and_sent(providers, person, settings, sms_template):
    settings.SMS_PROVIDER = "tencent"
    seen = {}

    def handler(request):
        body = request.get_data()
        seen["body"] = json.loads(body)
        seen["headers"] = dict(request.headers)
        expected = tencent_expected_authorization(
            request.headers, body, settings.TENCENT_SMS_SECRET_ID, settings.TENCENT_SMS_SECRET_KEY
        )
        if request.headers["Authorization"] != expected:
            return answer(
                {"Response": {"Error": {"Code": "AuthFailure.SignatureFailure", "Message": "x"}}}
            )
        return answer(
            {
                "Response": {
                    "SendStatusSet": [
                        {"SerialNo": "5000:1045710669157053657849499619", "Code": "Ok"}
                    ],
                    "RequestId": "a0aabda6",
                }
            }
        )

    providers.expect_request("/tencent/", method="POST").respond_with_handler(handler)
    delivery = make_delivery(person, key="n42:sms")
    assert outbox.deliver(delivery.pk) == DeliveryState.SENT
    delivery.refresh_from_db()
    assert delivery.provider_message_id == "5000:1045710669157053657849499619"
    assert seen["headers"]["X-Tc-Action"] == "SendSms"
    assert seen["headers"]["X-Tc-Version"] == "2021-01-11"
    assert seen["headers"]["Host"] == "sms.tencentcloudapi.com"
    assert seen["body"] == {
        "PhoneNumberSet": ["+8613800138000"],
        "SmsSdkAppId": "1400000000",
        "SignName": "高新区",
        "TemplateId": "SMS_71390007",
        "TemplateParamSet": ["项目问题已超期"],
        "SessionContext": "n42:sms",
    }


def test_tencent_wrong_secret_is_given_up_with_the_reason(
    providers, person, settings, sms_template
):
    settings.SMS_PROVIDER = "tencent"
    settings.TENCENT_SMS_SECRET_KEY = "wrong"
    providers.expect_request("/tencent/").respond_with_json(
        {
            "Response": {
                "Error": {"Code": "AuthFailure.SignatureFailure", "Message": "签名错误"},
                "RequestId": "r",
            }
        }
    )
    delivery = make_delivery(person)
    outbox.deliver(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.GIVEN_UP
    assert delivery.last_error.startswith("SecretKey 有误（签名不符）")


def test_tencent_per_number_rate_limit_is_retried(providers, person, settings, sms_template):
    settings.SMS_PROVIDER = "tencent"
    providers.expect_request("/tencent/").respond_with_json(
        {
            "Response": {
                "SendStatusSet": [
                    {"Code": "LimitExceeded.PhoneNumberThirtySecondLimit", "Message": "30秒"}
                ]
            }
        }
    )
    delivery = make_delivery(person)
    outbox.deliver(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED


# --- 企业微信 ---------------------------------------------------------------------------------


def test_wecom_token_is_fetched_once_and_cached_until_expiry(providers, person):
    cache.clear()
    providers.expect_request(
        "/wecom/cgi-bin/gettoken", query_string={"corpid": "ww0001", "corpsecret": "wecom-secret"}
    ).respond_with_json(
        {"errcode": 0, "errmsg": "ok", "access_token": "TOKEN1", "expires_in": 7200}
    )
    bodies = []

    def send(request):
        assert request.args["access_token"] == "TOKEN1"
        bodies.append(json.loads(request.get_data()))
        return answer({"errcode": 0, "errmsg": "ok", "invaliduser": "", "msgid": "m1"})

    providers.expect_request("/wecom/cgi-bin/message/send", method="POST").respond_with_handler(
        send
    )
    first = make_delivery(person, channel="wecom", key="a")
    second = make_delivery(person, channel="wecom", key="b")
    assert outbox.deliver(first.pk) == outbox.deliver(second.pk) == DeliveryState.SENT
    token_calls = [r for r, _ in providers.log if r.path.endswith("gettoken")]
    assert len(token_calls) == 1
    assert bodies[0]["touser"] == "LiSi"
    assert bodies[0]["agentid"] == 1000002
    assert bodies[0]["msgtype"] == "textcard"
    assert bodies[0]["textcard"]["url"] == "https://zone.example/dispatch/problems/1/"
    assert bodies[0]["enable_duplicate_check"] == 1


def test_wecom_expired_token_is_renewed_and_the_message_sent(providers, person):
    cache.set("wecom-token:ww0001:1000002", "OLD", 3600)
    providers.expect_request("/wecom/cgi-bin/gettoken").respond_with_json(
        {"errcode": 0, "access_token": "NEW", "expires_in": 7200}
    )

    def send(request):
        if request.args["access_token"] == "OLD":
            return answer({"errcode": 42001, "errmsg": "access_token expired"})
        return answer({"errcode": 0, "errmsg": "ok", "msgid": "m2"})

    providers.expect_request("/wecom/cgi-bin/message/send").respond_with_handler(send)
    delivery = make_delivery(person, channel="wecom")
    assert outbox.deliver(delivery.pk) == DeliveryState.SENT
    assert cache.get("wecom-token:ww0001:1000002") == "NEW"


def test_wecom_unknown_user_is_given_up(providers, person):
    cache.clear()
    providers.expect_request("/wecom/cgi-bin/gettoken").respond_with_json(
        {"errcode": 0, "access_token": "T", "expires_in": 7200}
    )
    providers.expect_request("/wecom/cgi-bin/message/send").respond_with_json(
        {"errcode": 0, "errmsg": "ok", "invaliduser": "LiSi"}
    )
    delivery = make_delivery(person, channel="wecom")
    outbox.deliver(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.last_error) == ("given_up", "用户账号不存在（LiSi）")


def test_wecom_group_robot_posts_to_its_webhook(providers, department):
    hook = RobotWebhook.objects.create(
        name="投促局群",
        kind="wecom_robot",
        department=department,
        url=providers.url_for("/wecom/cgi-bin/webhook/send") + "?key=693a91f6",
    )
    providers.expect_request(
        "/wecom/cgi-bin/webhook/send", query_string="key=693a91f6", method="POST"
    ).respond_with_json({"errcode": 0, "errmsg": "ok"})
    delivery = make_delivery(channel="wecom_robot", webhook=hook)
    assert outbox.deliver(delivery.pk) == DeliveryState.SENT
    request = providers.log[0][0]
    assert json.loads(request.get_data())["text"]["content"].startswith(
        "项目问题已超期\n请尽快处理"
    )


# --- 钉钉 -------------------------------------------------------------------------------------


def test_dingtalk_work_notification_is_sent_with_a_cached_token(providers, person):
    cache.clear()
    providers.expect_request(
        "/dingtalk/gettoken", query_string={"appkey": "ding-key", "appsecret": "ding-secret"}
    ).respond_with_json({"errcode": 0, "access_token": "DT", "expires_in": 7200})
    providers.expect_request(
        "/dingtalk/topapi/message/corpconversation/asyncsend_v2",
        query_string="access_token=DT",
        method="POST",
    ).respond_with_json({"errcode": 0, "task_id": 256271667526, "request_id": "4jzllmte0wau"})
    delivery = make_delivery(person, channel="dingtalk")
    assert outbox.deliver(delivery.pk) == DeliveryState.SENT
    delivery.refresh_from_db()
    assert delivery.provider_message_id == "256271667526"
    body = json.loads(providers.log[-1][0].get_data())
    assert body["agent_id"] == 2000001
    assert body["userid_list"] == "manager4220"


def documented_sign(timestamp: str, secret: str) -> str:
    # DingTalk's published Python sample for a robot with "加签".
    hmac_code = hmac.new(
        secret.encode("utf-8"), f"{timestamp}\n{secret}".encode(), digestmod=hashlib.sha256
    ).digest()
    return urllib.parse.quote_plus(base64.b64encode(hmac_code))


@pytest.fixture
def dingtalk_robot(providers, department):
    secret = "SEC3a8f1e2d9c"

    def handler(request):
        # Like DingTalk: the raw query's sign must equal the documented recipe's, and the
        # timestamp be within an hour.
        raw = dict(p.split("=", 1) for p in request.query_string.decode().split("&"))
        fresh = abs(int(raw["timestamp"]) - time.time() * 1000) < 3600 * 1000
        if not fresh or raw["sign"] != documented_sign(raw["timestamp"], secret):
            return answer({"errcode": 310000, "errmsg": "sign not match"})
        return answer({"errcode": 0, "errmsg": "ok"})

    providers.expect_request("/dingtalk/robot/send", method="POST").respond_with_handler(handler)
    return RobotWebhook.objects.create(
        name="专班群",
        kind="dingtalk_robot",
        department=department,
        url=providers.url_for("/dingtalk/robot/send") + "?access_token=abc123",
        secret=secret,
    )


def test_dingtalk_robot_request_carries_the_documented_signature(dingtalk_robot):
    delivery = make_delivery(channel="dingtalk_robot", webhook=dingtalk_robot)
    assert outbox.deliver(delivery.pk) == DeliveryState.SENT


def test_dingtalk_robot_with_a_wrong_secret_is_given_up_with_a_clear_error(dingtalk_robot):
    dingtalk_robot.secret = "SECwrong"
    dingtalk_robot.save()
    delivery = make_delivery(channel="dingtalk_robot", webhook=dingtalk_robot)
    outbox.deliver(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.GIVEN_UP
    assert delivery.last_error.startswith(
        "机器人拒收：加签密钥、关键词或 IP 地址有误（errcode 310000"
    )


# --- faults -----------------------------------------------------------------------------------


def test_a_provider_that_times_out_is_retried_then_given_up(
    providers, person, sms_template, settings
):
    settings.NOTIFY_HTTP_TIMEOUT = 0.3
    settings.NOTIFY_MAX_ATTEMPTS = 2

    def slow(request):
        time.sleep(0.6)
        return answer({"Code": "OK"})

    providers.expect_request("/aliyun/").respond_with_handler(slow)
    delivery = make_delivery(person)
    assert outbox.deliver(delivery.pk) == DeliveryState.FAILED
    delivery.refresh_from_db()
    assert delivery.last_error == "超时"
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert outbox.deliver(delivery.pk) == DeliveryState.GIVEN_UP
    delivery.refresh_from_db()
    assert delivery.last_error == "超时（已尝试 2 次）"
    assert delivery.attempts == 2


def test_an_unreachable_provider_is_retried(settings, person, sms_template, providers):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.ALIYUN_SMS_ENDPOINT = f"http://127.0.0.1:{port}"  # nobody listens there
    delivery = make_delivery(person)
    assert outbox.deliver(delivery.pk) == DeliveryState.FAILED
    delivery.refresh_from_db()
    assert delivery.last_error.startswith("无法连接")


def test_a_server_error_is_retried_and_429_waits_for_retry_after(
    providers, person, sms_template, settings
):
    settings.NOTIFY_RETRY_BASE_SECONDS = 10
    providers.expect_ordered_request("/aliyun/").respond_with_data("busy", status=503)
    providers.expect_ordered_request("/aliyun/").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "120"}
    )
    delivery = make_delivery(person)
    assert outbox.deliver(delivery.pk) == DeliveryState.FAILED
    delivery.refresh_from_db()
    assert delivery.last_error == "HTTP 503"
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    now = timezone.now()
    assert outbox.deliver(delivery.pk) == DeliveryState.FAILED
    delivery.refresh_from_db()
    assert delivery.last_error == "请求过于频繁（HTTP 429）"
    assert delivery.next_attempt_at >= now + dt.timedelta(seconds=120)


def test_email_goes_through_djangos_backend(providers, person, mailoutbox):
    delivery = make_delivery(person, channel="email")
    assert outbox.deliver(delivery.pk) == DeliveryState.SENT
    assert [(m.subject, m.to) for m in mailoutbox] == [("项目问题已超期", ["li@example.org"])]
    assert "https://zone.example/dispatch/problems/1/" in mailoutbox[0].body
