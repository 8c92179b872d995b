"""What every dispatch write does alike: check the permission, audit the change."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from gaoxin.core import audit
from gaoxin.core.models import AuditAction

__all__ = ["created", "deleted", "require", "updated"]


def created(obj, by) -> None:
    audit.record(action=AuditAction.CREATE, obj=obj, by=by, after=audit.snapshot(obj))


def updated(obj, by, before: dict) -> None:
    audit.record(
        action=AuditAction.UPDATE, obj=obj, by=by, before=before, after=audit.snapshot(obj)
    )


def deleted(obj, by) -> None:
    audit.record(action=AuditAction.DELETE, obj=obj, by=by, before=audit.snapshot(obj))


def require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied
