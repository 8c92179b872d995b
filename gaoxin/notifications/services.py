"""Writes of the notification settings people make (the outbox's own writes: outbox.py)."""

from __future__ import annotations

from django.db import transaction

from gaoxin.core import audit
from gaoxin.core.models import AuditAction
from gaoxin.notifications.models import Preference


@transaction.atomic
def preference_update(*, user, data: dict, by) -> Preference:
    """A person's phone, chat ids, quiet hours and channel choices; audited (the phone
    masked, as core.fields records it)."""
    preference, created = Preference.objects.get_or_create(user=user)
    before = None if created else audit.snapshot(preference)
    preference.wecom_user_id = data.get("wecom_user_id", "")
    preference.dingtalk_user_id = data.get("dingtalk_user_id", "")
    preference.quiet_start = data.get("quiet_start")
    preference.quiet_end = data.get("quiet_end")
    preference.choices = data.get("choices", {})
    preference.save()
    audit.record(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=preference,
        by=by,
        before=before,
        after=audit.snapshot(preference),
    )
    phone = data.get("phone", "")
    if str(user.phone or "") != phone:
        before_user = audit.snapshot(user)
        user.phone = phone
        user.save(update_fields=["phone", "phone_hash"])
        audit.record(
            action=AuditAction.UPDATE,
            obj=user,
            by=by,
            before=before_user,
            after=audit.snapshot(user),
        )
    return preference
