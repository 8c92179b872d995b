"""Idempotent submissions: the same submission sent twice creates one record.

API clients send an ``Idempotency-Key`` header with a POST; forms carry a hidden
``submission_key`` field (``{% submission_key %}``). The first request with a key runs and its
successful answer (2xx/3xx) is stored; a repeat with the same key and the same principal gets
that answer again without running the view. A repeat that arrives while the first is still
running waits for it. An answer with an error is not stored, so the user can correct and retry.
"""

from __future__ import annotations

import hashlib
import time

from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from gaoxin.core.models import IdempotencyRecord

HEADER = "Idempotency-Key"
FIELD = "submission_key"
WAIT_SECONDS = 15
MAX_BODY = 1024 * 1024


def _principal(request) -> str:
    auth = request.headers.get("Authorization", "")
    if auth:
        return "token:" + hashlib.sha256(auth.encode()).hexdigest()
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    session = getattr(request, "session", None)
    return "anon:" + ((session and session.session_key) or "")


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(
        bytes(record.body), status=record.status_code, content_type=record.content_type or None
    )
    if record.location:
        response["Location"] = record.location
    response["Idempotent-Replayed"] = "true"
    return response


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST":
            return self.get_response(request)
        raw = request.headers.get(HEADER, "")
        if not raw and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            raw = request.POST.get(FIELD, "")
        raw = raw.strip()
        if not raw:
            return self.get_response(request)
        if len(raw) > 100:
            return JsonResponse(
                {"message": _("The idempotency key is too long."), "errors": {}}, status=400
            )
        key = hashlib.sha256(f"{_principal(request)}|{request.path}|{raw}".encode()).hexdigest()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    key=key, method=request.method, path=request.path[:300]
                )
        except IntegrityError:
            return self._repeat(key)
        try:
            response = self.get_response(request)
        except Exception:
            record.delete()
            raise
        if (
            response.status_code < 400
            and not getattr(response, "streaming", False)
            and len(response.content) <= MAX_BODY
        ):
            record.completed = True
            record.status_code = response.status_code
            record.content_type = response.get("Content-Type", "")[:100]
            record.body = response.content
            record.location = response.get("Location", "")[:300]
            record.save()
        else:
            record.delete()  # errors are not remembered: the user corrects and sends again
        return response

    @staticmethod
    def _repeat(key: str) -> HttpResponse:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            record = IdempotencyRecord.objects.filter(key=key).first()
            if record is None:
                break  # the first attempt failed and was forgotten
            if record.completed:
                return _replay(record)
            time.sleep(0.2)
        return JsonResponse(
            {
                "message": _(
                    "The same submission is still being processed or failed; check "
                    "before sending it again."
                ),
                "errors": {},
            },
            status=409,
        )
