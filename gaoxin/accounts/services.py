"""Writes to accounts: users, departments and API tokens."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import ApiToken, Department, Role, User
from gaoxin.core import audit
from gaoxin.core.models import AuditAction

MAX_TOKEN_DAYS = 366


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


def api_token_authenticate(raw: str) -> User | None:
    """The active user a raw token belongs to, or None. Updates last use at most once a minute."""
    if not raw or not raw.startswith(ApiToken.PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user", "user__enterprise")
        .filter(digest=ApiToken.digest_of(raw))
        .first()
    )
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
