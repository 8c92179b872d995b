"""Tencent Cloud SMS (``SendSms``, API 2021-01-11) with signature method v3, TC3-HMAC-SHA256.

As Tencent Cloud's "签名方法 v3" specifies: the canonical request (method, ``/``, query,
lower-case ``content-type`` and ``host`` headers, their names, SHA-256 of the payload), the
string to sign (algorithm, timestamp, ``date/service/tc3_request``, SHA-256 of the canonical
request), a signing key derived by HMAC-SHA256 from ``"TC3" + SecretKey`` over the UTC date,
the service and ``tc3_request``; hex signature. Checked against the documentation's example
in the tests.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
from urllib.parse import urlsplit

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

ALGORITHM = "TC3-HMAC-SHA256"
CONTENT_TYPE = "application/json; charset=utf-8"
TEMPORARY_PREFIXES = (
    "RequestLimitExceeded",
    "InternalError",
    "LimitExceeded.PhoneNumberThirtySecondLimit",
    "LimitExceeded.PhoneNumberOneHourLimit",
    "LimitExceeded.AppCountryOrRegionDailyLimit",
    "FailedOperation.InsufficientBalanceInSmsPackage",
)
EXPLAINED = {
    "FailedOperation.TemplateIncorrectOrUnapproved": gettext_lazy("wrong or unapproved template"),
    "FailedOperation.SignatureIncorrectOrUnapproved": gettext_lazy(
        "wrong or unapproved signature name"
    ),
    "AuthFailure.SignatureFailure": gettext_lazy("wrong SecretKey (signature does not match)"),
    "AuthFailure.SecretIdNotFound": gettext_lazy("unknown SecretId"),
    "InvalidParameterValue.IncorrectPhoneNumber": gettext_lazy("invalid mobile number"),
}


def _sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def canonical_request(*, payload: str, host: str, content_type: str = CONTENT_TYPE) -> str:
    return (
        "POST\n/\n\n"
        f"content-type:{content_type}\nhost:{host}\n\n"
        "content-type;host\n"
        f"{_sha256_hex(payload)}"
    )


def credential_scope(timestamp: int, service: str) -> str:
    date = dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d")
    return f"{date}/{service}/tc3_request"


def string_to_sign(*, timestamp: int, service: str, canonical: str) -> str:
    scope = credential_scope(timestamp, service)
    return f"{ALGORITHM}\n{timestamp}\n{scope}\n{_sha256_hex(canonical)}"


def signature(*, secret_key: str, timestamp: int, service: str, to_sign: str) -> str:
    date = credential_scope(timestamp, service).split("/")[0]
    key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), date), service), "tc3_request")
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


def authorization(
    *, secret_id: str, secret_key: str, timestamp: int, service: str, host: str, payload: str
) -> str:
    to_sign = string_to_sign(
        timestamp=timestamp,
        service=service,
        canonical=canonical_request(payload=payload, host=host),
    )
    sig = signature(secret_key=secret_key, timestamp=timestamp, service=service, to_sign=to_sign)
    return (
        f"{ALGORITHM} Credential={secret_id}/{credential_scope(timestamp, service)}, "
        f"SignedHeaders=content-type;host, Signature={sig}"
    )


def _e164(phone: str) -> str:
    phone = phone.replace(" ", "")
    return phone if phone.startswith("+") else f"+86{phone}"


class TencentSmsAdapter(Adapter):
    channel = "sms"

    def send(self, delivery, *, timestamp: int | None = None) -> Sent:
        phone = str(delivery.user.phone or "") if delivery.user else ""
        if not phone:
            raise PermanentError(_("no mobile number on the profile"))
        payload = json.dumps(
            {
                "PhoneNumberSet": [_e164(phone)],
                "SmsSdkAppId": settings.TENCENT_SMS_SDK_APP_ID,
                "SignName": settings.SMS_SIGN_NAME,
                "TemplateId": sms_template(delivery),
                "TemplateParamSet": list(sms_variables(delivery).values()),
                "SessionContext": delivery.idempotency_key[:128],
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )
        timestamp = timestamp or int(time.time())
        # Signed for the provider's own host even when a proxy's address is the endpoint.
        host = settings.TENCENT_SMS_HOST or urlsplit(settings.TENCENT_SMS_ENDPOINT).netloc
        headers = {
            "Authorization": authorization(
                secret_id=settings.TENCENT_SMS_SECRET_ID,
                secret_key=settings.TENCENT_SMS_SECRET_KEY,
                timestamp=timestamp,
                service="sms",
                host=host,
                payload=payload,
            ),
            "Content-Type": CONTENT_TYPE,
            "Host": host,
            "X-TC-Action": "SendSms",
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Version": "2021-01-11",
            "X-TC-Region": settings.TENCENT_SMS_REGION,
        }
        response = http(
            "POST", settings.TENCENT_SMS_ENDPOINT, data=payload.encode(), headers=headers
        )
        text = response.text[:2000]
        answer = json_of(response).get("Response") or {}
        error = answer.get("Error")
        if error:
            self._raise(str(error.get("Code", "")), str(error.get("Message", "")), text)
        statuses = answer.get("SendStatusSet") or []
        if not statuses:
            raise TemporaryError(_("no send status in the answer"), response=text)
        status = statuses[0]
        code = str(status.get("Code", ""))
        if code != "Ok":
            self._raise(code, str(status.get("Message", "")), text)
        return Sent(message_id=str(status.get("SerialNo", "")), response=text)

    @staticmethod
    def _raise(code: str, message: str, text: str):
        reason = f"{code}: {message}".strip()
        if code in EXPLAINED:
            reason = _("%(what)s (%(answer)s)") % {"what": EXPLAINED[code], "answer": reason}
        if code.startswith(TEMPORARY_PREFIXES):
            raise TemporaryError(reason, response=text)
        raise PermanentError(reason, response=text)
