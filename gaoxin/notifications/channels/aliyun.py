"""Alibaba Cloud SMS (短信服务, dysmsapi 2017-05-25 ``SendSms``), RPC signature version 1.0.

The signature follows Alibaba Cloud's "签名机制" exactly: parameters sorted by name, names and
values percent-encoded by RFC 3986 (``A–Z a–z 0–9 - _ . ~`` kept, space as ``%20``), joined
with ``&``; the string to sign is ``GET&%2F&`` + the encoded query; HMAC-SHA1 keyed with the
AccessKeySecret followed by ``&``; Base64. tests/…/test_signing.py checks it against the
documentation's own example byte for byte.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import uuid
from urllib.parse import quote

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
)
from gaoxin.notifications.channels.sms import sms_template, sms_variables

# Codes worth retrying (throttling, busy); every other non-OK code is a configuration or
# recipient error that a retry cannot fix.
TEMPORARY_CODES = (
    "isv.BUSINESS_LIMIT_CONTROL",
    "Throttling",
    "ServiceUnavailable",
    "InternalError",
    "isp.RAM_PERMISSION_DENY",
    "isp.SYSTEM_ERROR",
)
EXPLAINED = {
    "isv.SMS_TEMPLATE_ILLEGAL": gettext_lazy("wrong template code"),
    "isv.SMS_SIGNATURE_ILLEGAL": gettext_lazy("wrong signature name"),
    "isv.SMS_SIGN_ILLEGAL": gettext_lazy("wrong signature name"),
    "SignatureDoesNotMatch": gettext_lazy("wrong AccessKeySecret (signature does not match)"),
    "InvalidAccessKeyId.NotFound": gettext_lazy("unknown AccessKeyId"),
    "isv.MOBILE_NUMBER_ILLEGAL": gettext_lazy("invalid mobile number"),
    "isv.TEMPLATE_MISSING_PARAMETERS": gettext_lazy("template parameters missing"),
}


def percent_encode(value: str) -> str:
    return quote(str(value), safe="-_.~")


def canonical_query(params: dict[str, str]) -> str:
    return "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))


def string_to_sign(params: dict[str, str], method: str = "GET") -> str:
    return f"{method}&{percent_encode('/')}&{percent_encode(canonical_query(params))}"


def signature(params: dict[str, str], secret: str, method: str = "GET") -> str:
    digest = hmac.new(
        f"{secret}&".encode(), string_to_sign(params, method).encode(), hashlib.sha1
    ).digest()
    return base64.b64encode(digest).decode()


def signed_url(endpoint: str, params: dict[str, str], secret: str) -> str:
    """The request URL as the documentation writes it: the Signature first, then the rest."""
    sig = signature(params, secret)
    return f"{endpoint.rstrip('/')}/?Signature={percent_encode(sig)}&{canonical_query(params)}"


def send_sms_params(
    *,
    phone: str,
    sign_name: str,
    template_code: str,
    template_param: dict,
    out_id: str,
    access_key_id: str,
    nonce: str | None = None,
    timestamp: str | None = None,
) -> dict[str, str]:
    return {
        "AccessKeyId": access_key_id,
        "Action": "SendSms",
        "Format": "JSON",
        "OutId": out_id,
        "PhoneNumbers": phone,
        "RegionId": settings.ALIYUN_SMS_REGION,
        "SignName": sign_name,
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": nonce or str(uuid.uuid4()),
        "SignatureVersion": "1.0",
        "TemplateCode": template_code,
        "TemplateParam": json.dumps(template_param, ensure_ascii=False, separators=(",", ":")),
        "Timestamp": timestamp or dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "Version": "2017-05-25",
    }


class AliyunSmsAdapter(Adapter):
    channel = "sms"

    def send(self, delivery) -> Sent:
        phone = str(delivery.user.phone or "") if delivery.user else ""
        if not phone:
            raise PermanentError(_("no mobile number on the profile"))
        params = send_sms_params(
            phone=phone,
            sign_name=settings.SMS_SIGN_NAME,
            template_code=sms_template(delivery),
            template_param=sms_variables(delivery),
            out_id=delivery.idempotency_key[:64],
            access_key_id=settings.ALIYUN_SMS_ACCESS_KEY_ID,
        )
        response = http(
            "GET", signed_url(settings.ALIYUN_SMS_ENDPOINT, params, settings.ALIYUN_SMS_SECRET)
        )
        data = json_of(response)
        code = str(data.get("Code", ""))
        if code == "OK":
            return Sent(message_id=str(data.get("BizId", "")), response=response.text[:2000])
        reason = f"{code}: {data.get('Message', '')}".strip()
        if code in EXPLAINED:
            reason = _("%(what)s (%(answer)s)") % {"what": EXPLAINED[code], "answer": reason}
        if code.startswith(TEMPORARY_CODES):
            raise TemporaryError(reason, response=response.text[:2000])
        raise PermanentError(reason, response=response.text[:2000])
