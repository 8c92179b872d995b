"""The demo's authenticators: admin and leader accounts need a second factor, so the demo
gives them one with a fixed, published key (never use it outside the demo)."""

from __future__ import annotations

import base64
import time

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from gaoxin.accounts import twofactor
from gaoxin.accounts.models import User
from gaoxin.core import audit
from gaoxin.core.models import AuditAction

# Base32, as an authenticator app takes it; published in the README and printed by seed_demo.
DEMO_TOTP_SECRET = "GAOXINDEMOTOTPSECRETFORDEMOONLY2"  # noqa: S105 — published, demo only
DEMO_DEVICE_NAME = "演示用身份验证器"


def demo_key_hex() -> str:
    return base64.b32decode(DEMO_TOTP_SECRET).hex()


@transaction.atomic
def enrol_demo_authenticators() -> list[str]:
    """Give every demo account whose role requires a second factor the demo authenticator
    (unless it has one already). Returns the usernames that have it."""
    key = demo_key_hex()
    names = []
    for user in User.objects.filter(role__in=twofactor.required_roles(), is_active=True):
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, key=key, confirmed=True)
            audit.record(
                action=AuditAction.UPDATE,
                obj=user,
                by=None,
                after={"two_factor": "demo authenticator"},
            )
        if TOTPDevice.objects.filter(user=user, confirmed=True, key=key).exists():
            names.append(user.username)
    return names


def demo_code(username: str) -> tuple[str, int]:
    """The demo authenticator's current code for a demo account and the seconds it has left.
    Refuses any other authenticator: this is no way to read a real person's codes."""
    device = TOTPDevice.objects.filter(
        user__username=username, confirmed=True, key=demo_key_hex()
    ).first()
    if device is None:
        raise LookupError(username)
    now = time.time()
    return twofactor.code_now(device, at=now), device.step - int(now - device.t0) % device.step
