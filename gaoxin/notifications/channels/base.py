"""The adapters' common ground: the result, the two kinds of failure, HTTP with timeouts."""

from __future__ import annotations

import json
from dataclasses import dataclass

import requests
from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _


@dataclass
class Sent:
    """The provider accepted the message."""

    message_id: str = ""
    response: str = ""


class DeliveryError(Exception):
    def __init__(self, reason: str, *, response: str = "", retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.response = response
        self.retry_after = retry_after


class TemporaryError(DeliveryError):
    """Worth trying again later: timeout, unreachable, 5xx, rate limit, provider busy."""


class PermanentError(DeliveryError):
    """Trying again cannot help: wrong template code, wrong secret, unknown recipient."""


class Adapter:
    channel: str = ""

    def send(self, delivery) -> Sent:  # pragma: no cover - interface
        raise NotImplementedError


def _timeout() -> float:
    return settings.NOTIFY_HTTP_TIMEOUT


def _short(text: str) -> str:
    return text[:2000]


def http(method: str, url: str, **kwargs) -> requests.Response:
    """One HTTP call; network faults and refusals become Temporary/PermanentError."""
    try:
        response = requests.request(method, url, timeout=_timeout(), **kwargs)
    except requests.Timeout:
        raise TemporaryError(_("timed out")) from None
    except requests.ConnectionError as exc:
        raise TemporaryError(_("unreachable: %(error)s") % {"error": type(exc).__name__}) from None
    except requests.RequestException as exc:
        raise TemporaryError(_("request failed: %(error)s") % {"error": exc}) from None
    body = _short(response.text)
    if response.status_code == 429:
        retry = response.headers.get("Retry-After", "")
        raise TemporaryError(
            _("rate limited (HTTP 429)"),
            response=body,
            retry_after=float(retry) if retry.isdigit() else None,
        )
    if response.status_code >= 500:
        raise TemporaryError(f"HTTP {response.status_code}", response=body)
    if response.status_code >= 400 and response.status_code not in (400,):
        raise PermanentError(f"HTTP {response.status_code}", response=body)
    return response


def json_of(response: requests.Response) -> dict:
    try:
        data = response.json()
    except (ValueError, json.JSONDecodeError):
        raise TemporaryError(
            _("not JSON (HTTP %(status)s)") % {"status": response.status_code},
            response=_short(response.text),
        ) from None
    if not isinstance(data, dict):
        raise TemporaryError(_("unexpected answer"), response=_short(response.text))
    return data


ADAPTERS = {
    "email": "gaoxin.notifications.channels.email.EmailAdapter",
    "sms:aliyun": "gaoxin.notifications.channels.aliyun.AliyunSmsAdapter",
    "sms:tencent": "gaoxin.notifications.channels.tencent.TencentSmsAdapter",
    "wecom": "gaoxin.notifications.channels.wecom.WecomAppAdapter",
    "wecom_robot": "gaoxin.notifications.channels.wecom.WecomRobotAdapter",
    "dingtalk": "gaoxin.notifications.channels.dingtalk.DingtalkWorkAdapter",
    "dingtalk_robot": "gaoxin.notifications.channels.dingtalk.DingtalkRobotAdapter",
}


def adapter_for(channel: str) -> Adapter:
    if channel == "sms":
        if not settings.SMS_PROVIDER:
            raise PermanentError(_("SMS is not configured (SMS_PROVIDER)"))
        channel = f"sms:{settings.SMS_PROVIDER}"
    if channel not in ADAPTERS:
        raise PermanentError(_("no adapter for channel %(channel)s") % {"channel": channel})
    return import_string(ADAPTERS[channel])()


def absolute(link: str) -> str:
    """A link as chat apps need it: absolute, on the platform's public address."""
    if not link or link.startswith(("http://", "https://")):
        return link
    return settings.SITE_URL.rstrip("/") + link if settings.SITE_URL else ""


def text_of(delivery) -> str:
    parts = [delivery.title, delivery.body, absolute(delivery.link)]
    return "\n".join(p for p in parts if p)
