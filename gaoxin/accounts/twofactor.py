"""Two-factor sign-in (TOTP, django-otp): who needs it, and how far a session has signed in.

Signing in is complete when the password was right, the second factor was given (for anyone
who has an authenticator, and always for the roles that require one — admin, leader and
those ``settings.OTP_REQUIRED_ROLES`` names), and no administrator-set password waits to be
changed. ``pending_step`` says what is still missing; ``accounts.middleware`` sends the
person there before anything else. API tokens are a separate credential and are not
affected (a token is created by a fully signed-in person).
"""

from __future__ import annotations

import base64
import re
import time

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from gaoxin.accounts.models import Role

ALWAYS_REQUIRED = frozenset({Role.ADMIN, Role.LEADER})
RECOVERY_CODES = 10

# What a session still lacks (pending_step's answers).
VERIFY = "verify"  # has an authenticator: enter a code
ENROL = "enrol"  # a role that requires one, without one: set it up
PASSWORD = "password"  # noqa: S105 — an administrator set the password: choose your own
RESET = "reset"  # the authenticator this session was verified with was reset: sign in again

# Session keys: whether the person had an authenticator when signing in (so ordinary users
# cost no query per request), and the device this session was verified with.
SESSION_HAS_DEVICE = "gaoxin_otp_has_device"
SESSION_VERIFIED_WITH = "gaoxin_otp_verified_with"
# Set by single sign-on (accounts/sso.py) when the provider asserted a multi-factor sign-in
# (OIDC amr/acr) and SSO_TRUST_PROVIDER_MFA is on: that stands for the second factor.
SESSION_SSO_MFA = "gaoxin_sso_mfa"


def required_roles() -> frozenset[str]:
    return ALWAYS_REQUIRED | frozenset(settings.OTP_REQUIRED_ROLES)


def check_settings() -> None:
    """OTP_REQUIRED_ROLES names roles that exist (called at start-up: a typo stops it)."""
    unknown = sorted(set(settings.OTP_REQUIRED_ROLES) - set(Role.values))
    if unknown:
        raise ImproperlyConfigured(
            f"OTP_REQUIRED_ROLES: unknown role(s) {', '.join(unknown)}; "
            f"use a comma-separated list of: {', '.join(Role.values)}."
        )


def is_required(user) -> bool:
    return user.role in required_roles()


def confirmed_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user) -> int:
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device else 0


def on_sign_in(request, user) -> None:
    """Remember, for this session, whether the person has an authenticator."""
    request.session[SESSION_HAS_DEVICE] = user_has_device(user)
    request.session.pop(SESSION_VERIFIED_WITH, None)
    request.session.pop(SESSION_SSO_MFA, None)


def needs_second_factor(request) -> bool:
    user = request.user
    if is_required(user):
        return True
    if SESSION_HAS_DEVICE not in request.session:  # a session from before two factors
        request.session[SESSION_HAS_DEVICE] = user_has_device(user)
    return request.session[SESSION_HAS_DEVICE]


def pending_step(request) -> str | None:
    """What the signed-in person must still do before using the platform, or None."""
    user = request.user
    verified = user.is_verified() or bool(request.session.get(SESSION_SSO_MFA))
    if not verified and needs_second_factor(request):
        if request.session.get(SESSION_VERIFIED_WITH):
            return RESET
        return VERIFY if user_has_device(user) else ENROL
    if user.must_change_password:
        return PASSWORD
    return None


def mark_verified(request, device) -> None:
    """The second factor was given: the session carries the device from now on."""
    request.session.cycle_key()  # a new session id once the sign-in is complete
    otp_login(request, device)
    request.session[SESSION_HAS_DEVICE] = True
    request.session[SESSION_VERIFIED_WITH] = device.persistent_id


def secret_base32(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it, in groups of four."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The enrolment QR code as inline SVG, drawn on the server (no outside service)."""
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2
    )
    svg = image.to_string(encoding="unicode")
    return re.sub(
        r'^<svg width="[^"]*" height="[^"]*"',
        '<svg width="220" height="220" role="img" data-testid="totp-qr"',
        svg,
        count=1,
    )


def code_now(device: TOTPDevice, *, at: float | None = None) -> str:
    """The device's current code (for the demo command and the tests; never shown in pages)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def normalize_code(raw: str) -> str:
    return re.sub(r"[\s-]", "", raw or "").lower()


def is_totp_code(code: str) -> bool:
    return code.isdigit() and len(code) == 6
