"""Writes to the enterprise register. Views, API and commands all come through here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import User
from gaoxin.core import audit
from gaoxin.core.locking import save_with_version
from gaoxin.core.models import AuditAction
from gaoxin.core.notifications import notify
from gaoxin.enterprises.models import (
    Enterprise,
    EnterpriseContact,
    Qualification,
    QualificationType,
)
from gaoxin.enterprises.validators import normalize_uscc

ENTERPRISE_FIELDS = (
    "name",
    "uscc",
    "legal_representative",
    "industry",
    "cluster",
    "origin_region",
    "address",
    "registered_capital",
    "established_on",
    "is_dishonest",
    "notes",
    "size",
    "headcount",
    "land_mu",
    "in_zone",
)
# What an enterprise's own users may correct; the register's identity, classification and the
# dishonesty flag stay with zone staff.
OWNER_EDITABLE_FIELDS = frozenset(
    {"legal_representative", "address", "registered_capital", "established_on"}
)


def editable_fields_for(user) -> tuple[str, ...]:
    if user.is_zone_staff:
        return ENTERPRISE_FIELDS
    return tuple(f for f in ENTERPRISE_FIELDS if f in OWNER_EDITABLE_FIELDS)


def _check_unique_uscc(uscc: str, exclude_pk: int | None = None) -> None:
    clash = Enterprise.objects.filter(uscc=uscc).exclude(pk=exclude_pk).first()
    if clash:
        raise ValidationError(
            {
                "uscc": _("This unified social credit code is already registered to %(name)s.")
                % {"name": clash.name}
            }
        )


@transaction.atomic
def enterprise_create(
    *, by, data: dict[str, Any], contacts: list[dict[str, Any]] | None = None
) -> Enterprise:
    if not by.has_perm("enterprises.add_enterprise"):
        raise PermissionDenied
    unknown = set(data) - set(ENTERPRISE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})
    enterprise = Enterprise(**data)
    enterprise.uscc = normalize_uscc(enterprise.uscc)
    enterprise.full_clean(validate_unique=False)
    _check_unique_uscc(enterprise.uscc)
    try:
        with transaction.atomic():
            enterprise.save()
    except IntegrityError:  # a concurrent create with the same code won the race
        _check_unique_uscc(enterprise.uscc)
        raise
    audit.record(action=AuditAction.CREATE, obj=enterprise, by=by, after=audit.snapshot(enterprise))
    for contact in contacts or []:
        contact_add(enterprise=enterprise, by=by, data=contact)
    return enterprise


@transaction.atomic
def enterprise_update(
    *, enterprise: Enterprise, by, data: dict[str, Any], expected_version: int
) -> Enterprise:
    """Change fields of an enterprise; refused with ConflictError if it changed meanwhile."""
    if not by.has_perm("enterprises.change_enterprise", enterprise):
        raise PermissionDenied
    allowed = set(editable_fields_for(by))
    forbidden = set(data) - allowed
    if forbidden:
        raise ValidationError({f: _("You may not change this field.") for f in sorted(forbidden)})
    # "Before" is what is stored, not the instance: a bound ModelForm has already written the
    # user's input onto the instance it was given.
    before = audit.snapshot(Enterprise.objects.get(pk=enterprise.pk))
    for field, value in data.items():
        setattr(enterprise, field, value)
    if "uscc" in data:
        enterprise.uscc = normalize_uscc(enterprise.uscc)
    enterprise.full_clean(validate_unique=False)
    if "uscc" in data:
        _check_unique_uscc(enterprise.uscc, exclude_pk=enterprise.pk)
    save_with_version(enterprise, expected_version=expected_version, fields=data.keys())
    after = audit.snapshot(enterprise)
    if after != before:
        audit.record(action=AuditAction.UPDATE, obj=enterprise, by=by, before=before, after=after)
    return enterprise


@transaction.atomic
def enterprise_delete(*, enterprise: Enterprise, by) -> None:
    if not by.has_perm("enterprises.delete_enterprise", enterprise):
        raise PermissionDenied
    if enterprise.users.exists():
        raise ValidationError(_("This enterprise still has user accounts; disable them first."))
    if enterprise.projects.exists():
        raise ValidationError(
            _("This enterprise is the investor of projects in the register; it cannot be deleted.")
        )
    before = audit.snapshot(enterprise)
    audit.record(action=AuditAction.DELETE, obj=enterprise, by=by, before=before)
    enterprise.delete()


@transaction.atomic
def contact_add(*, enterprise: Enterprise, by, data: dict[str, Any]) -> EnterpriseContact:
    if not by.has_perm("enterprises.change_enterprise", enterprise):
        raise PermissionDenied
    contact = EnterpriseContact(enterprise=enterprise, **data)
    contact.full_clean()
    contact.save()
    audit.record(action=AuditAction.CREATE, obj=contact, by=by, after=audit.snapshot(contact))
    return contact


@transaction.atomic
def contact_remove(*, contact: EnterpriseContact, by) -> None:
    if not by.has_perm("enterprises.change_enterprise", contact.enterprise):
        raise PermissionDenied
    audit.record(action=AuditAction.DELETE, obj=contact, by=by, before=audit.snapshot(contact))
    contact.delete()


# --- the register at scale (issue 20): liaison officers and qualifications ------------------


@transaction.atomic
def liaison_assign(
    *, enterprise: Enterprise, liaison, by, expected_version: int | None = None
) -> Enterprise:
    """Make ``liaison`` (zone staff, or None) the enterprise's liaison officer (包联干部).
    With ``expected_version`` (an API client's read), a stale one is a ConflictError."""
    if not by.has_perm("enterprises.assign_liaison", enterprise):
        raise PermissionDenied
    if liaison is not None and (not liaison.is_active or not liaison.is_zone_staff):
        raise ValidationError({"liaison": _("Choose an active member of the zone's staff.")})
    before = audit.snapshot(enterprise)
    enterprise.liaison = liaison
    if expected_version is None:
        expected_version = enterprise.version
    save_with_version(enterprise, expected_version=expected_version, fields=["liaison"])
    audit.record(
        action=AuditAction.UPDATE,
        obj=enterprise,
        by=by,
        before=before,
        after=audit.snapshot(enterprise),
    )
    return enterprise


@transaction.atomic
def qualification_add(
    *,
    enterprise: Enterprise,
    type: QualificationType,
    valid_from,
    valid_to=None,
    certificate_number: str = "",
    by,
) -> Qualification:
    if not by.has_perm("enterprises.change_qualification", enterprise):
        raise PermissionDenied
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The qualification ends before it starts.")})
    if not type.is_active:
        raise ValidationError({"type": _("This qualification is no longer tracked.")})
    held = Qualification(
        enterprise=enterprise,
        type=type,
        valid_from=valid_from,
        valid_to=valid_to,
        certificate_number=certificate_number.strip(),
    )
    held.full_clean()
    held.save()
    audit.record(action=AuditAction.CREATE, obj=held, by=by, after=audit.snapshot(held))
    return held


@transaction.atomic
def qualification_remove(*, qualification: Qualification, by) -> None:
    if not by.has_perm("enterprises.change_qualification", qualification.enterprise):
        raise PermissionDenied
    audit.record(
        action=AuditAction.DELETE, obj=qualification, by=by, before=audit.snapshot(qualification)
    )
    qualification.delete()


def remind_expiring_qualifications(today: dt.date | None = None) -> int:
    """Tell the liaison officer and the enterprise's users of a qualification expiring within
    its type's reminder days, once per qualification. Returns how many were reminded."""
    today = today or timezone.localdate()
    count = 0
    due = (
        Qualification.objects.filter(
            reminded_on__isnull=True, valid_to__gte=today, type__is_active=True
        )
        .select_related("type", "enterprise__liaison")
        .order_by("valid_to")
    )
    for held in due:
        if held.valid_to > today + dt.timedelta(days=held.type.remind_days):
            continue
        people = list(User.objects.filter(enterprise_id=held.enterprise_id, is_active=True))
        if held.enterprise.liaison and held.enterprise.liaison.is_active:
            people.append(held.enterprise.liaison)
        for user in people:
            notify(
                user=user,
                key=f"qualification-{held.pk}-expiry",
                title=_("%(q)s expires on %(date)s") % {"q": held.type.name, "date": held.valid_to},
                body=str(held.enterprise),
                link=f"/enterprises/{held.enterprise_id}/profile/",
            )
        Qualification.objects.filter(pk=held.pk).update(reminded_on=today)
        count += 1
    return count
