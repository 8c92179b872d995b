"""Writes to accounts: users, departments and API tokens."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gaoxin.accounts import twofactor
from gaoxin.accounts.models import ApiToken, Department, Role, User
from gaoxin.core import audit
from gaoxin.core.models import AuditAction

MAX_TOKEN_DAYS = 366
# A verified token is remembered in the shared cache (Redis in production) for this long, so an
# API request costs no authentication query; revoking a token, and any change to its user in the
# admin, forgets it at once (api_tokens_forget). Also the granularity of last_used_at.
TOKEN_CACHE_SECONDS = 60
REMEMBERED_WITHOUT = ("password", "phone", "phone_hash")


@transaction.atomic
def user_create(
    *,
    by,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    department: Department | None = None,
    enterprise=None,
    phone: str = "",
    title: str = "",
) -> User:
    """Create a user (admins; also the demo seeder, which passes by=None)."""
    if by is not None and not (by.is_authenticated and by.role == Role.ADMIN):
        raise PermissionDenied
    user = User(
        username=username,
        role=role,
        full_name=full_name,
        department=department,
        enterprise=enterprise,
        phone=phone,
        title=title,
        is_staff=(role == Role.ADMIN),
        is_superuser=(role == Role.ADMIN),
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit.record(action=AuditAction.CREATE, obj=user, by=by, after=audit.snapshot(user))
    return user


@transaction.atomic
def department_upsert(
    *, by, code: str, name: str, short_name: str = "", order: int = 0
) -> Department:
    existing = Department.objects.filter(code=code).first()
    before = audit.snapshot(existing) if existing else None
    dept, created = Department.objects.update_or_create(
        code=code, defaults={"name": name, "short_name": short_name, "order": order}
    )
    after = audit.snapshot(dept)
    if created or before != after:
        audit.record(
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=dept,
            by=by,
            before=before,
            after=after,
        )
    return dept


@transaction.atomic
def api_token_create(
    *, user: User, name: str, expires_in_days: int | None = 90
) -> tuple[ApiToken, str]:
    """Create a personal token; returns the record and the raw token (shown only once)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the system that uses it.")})
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_TOKEN_DAYS:
        raise ValidationError(
            {
                "expires_in_days": _("A token lasts between 1 and %(n)d days.")
                % {"n": MAX_TOKEN_DAYS}
            }
        )
    raw = ApiToken.generate()
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        key_prefix=raw[:10],
        digest=ApiToken.digest_of(raw),
        expires_at=(
            timezone.now() + dt.timedelta(days=expires_in_days) if expires_in_days else None
        ),
    )
    audit.record(
        action=AuditAction.CREATE,
        obj=token,
        by=user,
        after={
            "name": token.name,
            "key_prefix": token.key_prefix,
            "expires_at": token.expires_at and token.expires_at.isoformat(),
        },
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> None:
    if token.user_id != by.pk and by.role != Role.ADMIN:
        raise PermissionDenied
    if token.revoked_at:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])
    audit.record(
        action=AuditAction.UPDATE,
        obj=token,
        by=by,
        before={"revoked_at": None},
        after={"revoked_at": token.revoked_at.isoformat()},
    )
    api_tokens_forget(digests=[token.digest])


def _token_cache_key(digest: str) -> str:
    return f"apitoken:{digest}"


def api_tokens_forget(*, user: User | None = None, digests: list[str] | None = None) -> None:
    """Drop remembered tokens (a revoked one, or all of a user whose role, state or department
    changed), now and again when the transaction commits: a request that read the old state in
    between cannot leave it in the cache."""
    digests = list(digests or [])
    if user is not None and user.pk:
        digests += ApiToken.objects.filter(user=user).values_list("digest", flat=True)
    keys = [_token_cache_key(d) for d in digests]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def forget_tokens_of_changed_user(sender, instance, update_fields=None, **kwargs) -> None:
    """Signal receiver (accounts.apps): a saved or deleted user's tokens are forgotten; a
    sign-in, which saves last_login alone, changes nothing the API answers."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    api_tokens_forget(user=instance)


def api_token_authenticate(raw: str) -> User | None:
    """The active user a raw token belongs to, or None. Updates last use at most once a minute.

    The token is a 256-bit random secret, so its SHA-256 is enough to look it up (no slow KDF:
    nothing to guess). A verified token is remembered in the shared cache for
    TOKEN_CACHE_SECONDS with its user, so most requests cost no query for authentication."""
    if not raw or not raw.startswith(ApiToken.PREFIX):
        return None
    digest = ApiToken.digest_of(raw)
    now = timezone.now()
    remembered = cache.get(_token_cache_key(digest))
    if remembered is not None:
        user, expires_at = remembered
        if (expires_at is None or expires_at > now) and user.is_active:
            return user
        return None
    # The user is remembered without its secrets (password hash, the phone in clear, its
    # blind index): the shared cache may be files or Redis, which field encryption must not
    # be undone by. A request that needs one of them reads it from the database.
    token = (
        ApiToken.objects.select_related("user")
        .defer(*(f"user__{name}" for name in REMEMBERED_WITHOUT))
        .filter(digest=digest)
        .first()
    )
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    cache.set(_token_cache_key(digest), (token.user, token.expires_at), TOKEN_CACHE_SECONDS)
    return token.user


# --- Passwords ---------------------------------------------------------------------------


@transaction.atomic
def password_change(*, user: User, new_password: str) -> None:
    """The person chose a new password (the form checked the old one and the strength rules).

    Clears an administrator's "must change" flag. Audited without any password value.
    """
    validate_password(new_password, user)
    was_required = user.must_change_password
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit.record(
        action=AuditAction.UPDATE,
        obj=user,
        by=user,
        before={"must_change_password": was_required},
        after={"password": "changed by the user", "must_change_password": False},
    )


@transaction.atomic
def password_set_by_admin(*, user: User, by: User) -> None:
    """An administrator set someone's password: they must choose their own at next sign-in.

    Called after the admin's form has saved the new password; audited without the value.
    """
    if not (by.is_authenticated and by.role == Role.ADMIN):
        raise PermissionDenied
    must_change = user.pk != by.pk  # an administrator setting their own keeps it
    User.objects.filter(pk=user.pk).update(must_change_password=must_change)
    user.must_change_password = must_change
    audit.record(
        action=AuditAction.UPDATE,
        obj=user,
        by=by,
        after={"password": "set by an administrator", "must_change_password": must_change},
    )


# --- Two-factor sign-in (TOTP) -----------------------------------------------------------


class SecondFactorError(ValidationError):
    pass


def _refuse_if_throttled(device) -> None:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return
    locked_until = (data or {}).get("locked_until")
    seconds = (
        max(1, int((locked_until - timezone.now()).total_seconds()) + 1) if locked_until else 1
    )
    raise SecondFactorError(
        _("Too many wrong codes. Wait %(n)d seconds, then try again.") % {"n": seconds},
        code="throttled",
    )


def totp_device_for_enrolment(*, user: User) -> TOTPDevice:
    """The authenticator being set up: one unconfirmed device, the same on every reload, so
    a scanned QR code stays valid until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def totp_enrol_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator being set up with a code from it; returns the device and the
    new recovery codes (shown once). Any earlier authenticator and recovery codes go."""
    code = twofactor.normalize_code(code)
    with transaction.atomic():  # a wrong code's throttling is committed, not rolled back
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("pk")
            .first()
        )
        if device is None:
            raise SecondFactorError(
                _("Open the set-up page again to get a QR code."), code="no_device"
            )
        _refuse_if_throttled(device)
        if twofactor.is_totp_code(code):
            accepted = device.verify_token(code)
        else:
            device.throttle_increment()
            accepted = False
    if not accepted:
        raise SecondFactorError(
            _("The code is wrong. Enter the 6-digit code your authenticator app shows now."),
            code="wrong",
        )
    with transaction.atomic():
        had_one = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        audit.record(
            action=AuditAction.UPDATE,
            obj=user,
            by=user,
            before={"two_factor": "enrolled" if had_one else "none"},
            after={"two_factor": "enrolled", "recovery_codes": len(codes)},
        )
    return device, codes


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _i in range(twofactor.RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """New recovery codes for a person with an authenticator; the old ones stop working."""
    if twofactor.confirmed_totp(user) is None:
        raise SecondFactorError(_("Set up an authenticator first."), code="no_device")
    codes = _new_recovery_codes(user)
    audit.record(
        action=AuditAction.UPDATE,
        obj=user,
        by=user,
        after={"recovery_codes": f"renewed ({len(codes)})"},
    )
    return codes


def second_factor_verify(*, user: User, code: str):
    """The device that accepts ``code`` (a code from the authenticator, or a recovery code,
    which then stops working), or a SecondFactorError. A code is accepted once: django-otp
    remembers the last time step used, and throttles wrong guesses (1, 2, 4 … seconds)."""
    code = twofactor.normalize_code(code)
    if twofactor.is_totp_code(code):
        device = twofactor.confirmed_totp(user)
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise SecondFactorError(_("The code is wrong or has already been used."), code="wrong")
    _refuse_if_throttled(device)
    verified = verify_token(user, device.persistent_id, code)
    if verified is None:
        raise SecondFactorError(_("The code is wrong or has already been used."), code="wrong")
    if isinstance(verified, StaticDevice):
        with transaction.atomic():
            audit.record(
                action=AuditAction.UPDATE,
                obj=user,
                by=user,
                after={"recovery_code": "used", "left": verified.token_set.count()},
            )
    return verified


@transaction.atomic
def second_factor_reset(*, user: User, by: User) -> bool:
    """An administrator removes a person's authenticator and recovery codes (a lost phone).
    The person sets up a new one at next sign-in (required roles) and every session that was
    verified with the old one is signed out. Returns whether there was anything to remove."""
    if not (by.is_authenticated and by.role == Role.ADMIN):
        raise PermissionDenied
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    if removed:
        audit.record(
            action=AuditAction.UPDATE,
            obj=user,
            by=by,
            before={"two_factor": "enrolled"},
            after={"two_factor": "reset by an administrator"},
        )
    return bool(removed)
