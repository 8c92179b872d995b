"""企业微信 (WeCom): application messages to a person, and group robot webhooks.

Application messages need an access token (``/cgi-bin/gettoken`` with the corp id and the
application's secret), valid ``expires_in`` seconds (7200): it is cached and renewed before
then, and fetched again at once when WeCom says it expired (42001) or is invalid (40014).
Messages ask WeCom to drop duplicates of the same content within 30 minutes, so a retry after
a lost answer does not reach the person twice.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.notifications.channels.base import (
    Adapter,
    PermanentError,
    Sent,
    TemporaryError,
    absolute,
    http,
    json_of,
    text_of,
)
from gaoxin.notifications.channels.tokens import cached_token, forget_token
from gaoxin.notifications.routing import preference_of

TOKEN_EXPIRED = (42001, 40014, 40082)
TEMPORARY = (-1, 45009, 45033, 45047)
EXPLAINED = {
    40001: gettext_lazy("wrong application secret"),
    40013: gettext_lazy("wrong corp id"),
    40056: gettext_lazy("wrong agent id"),
    40003: gettext_lazy("unknown user id"),
    81013: gettext_lazy("unknown user id"),
    93000: gettext_lazy("invalid webhook address"),
    93004: gettext_lazy("robot disabled"),
    60020: gettext_lazy("server address not allowed by WeCom (trusted IPs)"),
}


def _raise_for(data: dict, text: str):
    code = int(data.get("errcode", -1))
    reason = f"errcode {code}: {data.get('errmsg', '')}"
    if code in EXPLAINED:
        reason = _("%(what)s (%(answer)s)") % {"what": EXPLAINED[code], "answer": reason}
    if code in TEMPORARY:
        raise TemporaryError(reason, response=text)
    raise PermanentError(reason, response=text)


def _base() -> str:
    return settings.WECOM_BASE_URL.rstrip("/")


def token_key() -> str:
    return f"wecom-token:{settings.WECOM_CORP_ID}:{settings.WECOM_AGENT_ID}"


def fetch_token() -> tuple[str, int]:
    response = http(
        "GET",
        f"{_base()}/cgi-bin/gettoken",
        params={"corpid": settings.WECOM_CORP_ID, "corpsecret": settings.WECOM_SECRET},
    )
    data = json_of(response)
    if data.get("errcode", 0) != 0 or not data.get("access_token"):
        _raise_for(data, response.text[:2000])
    return data["access_token"], int(data.get("expires_in", 7200))


def access_token() -> str:
    return cached_token(token_key(), fetch_token)


class WecomAppAdapter(Adapter):
    channel = "wecom"

    def send(self, delivery) -> Sent:
        pref = preference_of(delivery.user) if delivery.user else None
        to = pref.wecom_user_id if pref else ""
        if not to:
            raise PermanentError(_("no WeCom user id on the profile"))
        link = absolute(delivery.link)
        message = {"touser": to, "agentid": int(settings.WECOM_AGENT_ID)}
        if link:
            message |= {
                "msgtype": "textcard",
                "textcard": {
                    "title": delivery.title[:128],
                    "description": (delivery.body or delivery.title)[:512],
                    "url": link,
                },
            }
        else:
            message |= {"msgtype": "text", "text": {"content": text_of(delivery)[:2048]}}
        message |= {"enable_duplicate_check": 1, "duplicate_check_interval": 1800}
        for attempt in (1, 2):
            response = http(
                "POST",
                f"{_base()}/cgi-bin/message/send",
                params={"access_token": access_token()},
                json=message,
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
        if data.get("invaliduser"):
            raise PermanentError(
                _("unknown user id (%(ids)s)") % {"ids": data["invaliduser"]}, response=text
            )
        return Sent(message_id=str(data.get("msgid", "")), response=text)


class WecomRobotAdapter(Adapter):
    """A group robot: its webhook address carries the key; no signing."""

    channel = "wecom_robot"

    def send(self, delivery) -> Sent:
        if delivery.webhook is None:
            raise PermanentError(_("no robot webhook"))
        response = http(
            "POST",
            str(delivery.webhook.url),
            json={"msgtype": "text", "text": {"content": text_of(delivery)[:2048]}},
        )
        data = json_of(response)
        if int(data.get("errcode", -1)) != 0:
            _raise_for(data, response.text[:2000])
        return Sent(response=response.text[:2000])
