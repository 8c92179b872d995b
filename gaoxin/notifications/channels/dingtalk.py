"""钉钉 (DingTalk): work notifications to a person, and group robots with the signed secret.

Work notifications (``/topapi/message/corpconversation/asyncsend_v2``) need the app's
access token (``/gettoken`` with AppKey and AppSecret, valid 7200 s): cached and renewed.
A robot with "加签" gets ``timestamp`` (milliseconds) and ``sign``: HMAC-SHA256 keyed with the
secret over ``timestamp + "\n" + secret``, Base64, URL-encoded — DingTalk's documented
recipe, checked in the tests against the documentation's sample code.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from urllib.parse import quote_plus

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.notifications.channels.base import (
    Adapter,
    PermanentError,
    Sent,
    TemporaryError,
    http,
    json_of,
    text_of,
)
from gaoxin.notifications.channels.tokens import cached_token, forget_token
from gaoxin.notifications.routing import preference_of

TOKEN_EXPIRED = (40014, 42001, 88)
TEMPORARY = (-1, 90002, 90006, 90018, 130101, 410100)
EXPLAINED = {
    310000: gettext_lazy("robot refused: wrong signing secret, keyword or IP address"),
    300001: gettext_lazy("invalid robot access token"),
    40089: gettext_lazy("wrong AppKey or AppSecret"),
    400002: gettext_lazy("wrong agent id"),
    33012: gettext_lazy("unknown user id"),
}


def _raise_for(data: dict, text: str):
    code = int(data.get("errcode", -1))
    reason = f"errcode {code}: {data.get('errmsg', '')}"
    if code in EXPLAINED:
        reason = _("%(what)s (%(answer)s)") % {"what": EXPLAINED[code], "answer": reason}
    if code in TEMPORARY:
        raise TemporaryError(reason, response=text)
    raise PermanentError(reason, response=text)


def robot_sign(timestamp_ms: int, secret: str) -> str:
    to_sign = f"{timestamp_ms}\n{secret}"
    digest = hmac.new(secret.encode(), to_sign.encode(), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest))


def signed_robot_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    if not secret:
        return url
    timestamp_ms = timestamp_ms or int(time.time() * 1000)
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={robot_sign(timestamp_ms, secret)}"


def _base() -> str:
    return settings.DINGTALK_BASE_URL.rstrip("/")


def token_key() -> str:
    return f"dingtalk-token:{settings.DINGTALK_APP_KEY}"


def fetch_token() -> tuple[str, int]:
    response = http(
        "GET",
        f"{_base()}/gettoken",
        params={"appkey": settings.DINGTALK_APP_KEY, "appsecret": settings.DINGTALK_APP_SECRET},
    )
    data = json_of(response)
    if data.get("errcode", 0) != 0 or not data.get("access_token"):
        _raise_for(data, response.text[:2000])
    return data["access_token"], int(data.get("expires_in", 7200))


class DingtalkWorkAdapter(Adapter):
    channel = "dingtalk"

    def send(self, delivery) -> Sent:
        pref = preference_of(delivery.user) if delivery.user else None
        to = pref.dingtalk_user_id if pref else ""
        if not to:
            raise PermanentError(_("no DingTalk user id on the profile"))
        body = {
            "agent_id": int(settings.DINGTALK_AGENT_ID),
            "userid_list": to,
            "msg": {"msgtype": "text", "text": {"content": text_of(delivery)[:2048]}},
        }
        for attempt in (1, 2):
            token = cached_token(token_key(), fetch_token)
            response = http(
                "POST",
                f"{_base()}/topapi/message/corpconversation/asyncsend_v2",
                params={"access_token": token},
                json=body,
            )
            data = json_of(response)
            code = int(data.get("errcode", -1))
            if code in TOKEN_EXPIRED and attempt == 1:
                forget_token(token_key())
                continue
            break
        text = response.text[:2000]
        if code != 0:
            _raise_for(data, text)
        return Sent(message_id=str(data.get("task_id", "")), response=text)


class DingtalkRobotAdapter(Adapter):
    channel = "dingtalk_robot"

    def send(self, delivery, *, timestamp_ms: int | None = None) -> Sent:
        hook = delivery.webhook
        if hook is None:
            raise PermanentError(_("no robot webhook"))
        response = http(
            "POST",
            signed_robot_url(str(hook.url), str(hook.secret or ""), timestamp_ms),
            json={"msgtype": "text", "text": {"content": text_of(delivery)[:2048]}},
        )
        data = json_of(response)
        if int(data.get("errcode", -1)) != 0:
            _raise_for(data, response.text[:2000])
        return Sent(response=response.text[:2000])
