"""Single sign-on: a provider's claims become a platform user (OIDC and CAS alike).

``sign_in_user(provider=, subject=, claims=)`` finds the person by the identity bound to the
provider's subject (or, the first time and if ``SSO_LINK_BY_USERNAME``, by the mapped user
name), applies the admin's ``SsoMapping`` (name, e-mail, phone, role, department; an
enterprise by the USCC in the claims) and returns the user — or raises ``SsoRefused`` with
the reason a person reads. Unknown people are created switched off or refused
(``SSO_UNKNOWN_USERS``). Every change to an account is audited.

Second factor: a provider that asserts multi-factor sign-in (``amr`` holding one of
``SSO_MFA_AMR_VALUES``, or ``acr`` in ``SSO_MFA_ACR_VALUES``) satisfies the platform's
second factor for that session (``twofactor.SESSION_SSO_MFA``) when
``SSO_TRUST_PROVIDER_MFA`` is on; otherwise the platform's own TOTP is asked as after a
password, for the roles that require it and for anyone with an authenticator.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts import twofactor
from gaoxin.accounts.models import Department, Role, SsoIdentity, SsoMapping, User
from gaoxin.accounts.services import api_tokens_forget
from gaoxin.core import audit
from gaoxin.core.models import AuditAction

logger = logging.getLogger(__name__)

SESSION_PROVIDER = "gaoxin_sso_provider"


class SsoRefused(SuspiciousOperation):
    """The provider vouched for someone the platform will not let in (reason for people)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def mapping_for(provider: str) -> SsoMapping:
    return SsoMapping.objects.filter(provider=provider).first() or SsoMapping(provider=provider)


def _values(claims: dict, name: str) -> list[str]:
    if not name:
        return []
    value = claims.get(name)
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v not in (None, "")]
    text = str(value)
    return [v.strip() for v in text.split(",") if v.strip()] if "," in text else [text]


def _first(claims: dict, name: str) -> str:
    values = _values(claims, name)
    return values[0] if values else ""


def mapped_role(mapping: SsoMapping, claims: dict) -> str:
    for value in _values(claims, mapping.role_claim):
        role = (mapping.role_map or {}).get(value)
        if role in Role.values:
            return role
    return mapping.default_role or ""


def mapped_department(mapping: SsoMapping, claims: dict) -> Department | None:
    for value in _values(claims, mapping.department_claim):
        code = (mapping.department_map or {}).get(value, value)
        department = Department.objects.filter(code=code, is_active=True).first()
        if department is not None:
            return department
    return None


def mapped_enterprise(mapping: SsoMapping, claims: dict):
    # The enterprise register is an app above accounts: reached through the user's relation.
    enterprises = User._meta.get_field("enterprise").related_model.objects
    uscc = _first(claims, mapping.uscc_claim).strip().upper()
    if not uscc:
        return None, ""
    return enterprises.filter(uscc=uscc).first(), uscc


def asserts_mfa(claims: dict) -> bool:
    if not settings.SSO_TRUST_PROVIDER_MFA:
        return False
    amr = set(_values(claims, "amr"))
    if amr & set(settings.SSO_MFA_AMR_VALUES):
        return True
    acr = _first(claims, "acr")
    return bool(acr and acr in settings.SSO_MFA_ACR_VALUES)


def _wanted(mapping: SsoMapping, claims: dict) -> dict[str, Any]:
    """The account's fields as the claims say (only those the claims carry)."""
    wanted: dict[str, Any] = {}
    for field, claim in (
        ("full_name", mapping.name_claim),
        ("email", mapping.email_claim),
        ("phone", mapping.phone_claim),
    ):
        value = _first(claims, claim)
        if value:
            wanted[field] = value[: User._meta.get_field(field).max_length]
    enterprise, uscc = mapped_enterprise(mapping, claims)
    if uscc:
        if enterprise is None:
            raise SsoRefused(
                _("No enterprise with the unified social credit code %(uscc)s is registered.")
                % {"uscc": uscc}
            )
        wanted |= {"role": Role.ENTERPRISE, "enterprise": enterprise, "department": None}
        return wanted
    role = mapped_role(mapping, claims)
    if role == Role.ENTERPRISE:
        raise SsoRefused(_("An enterprise account needs the enterprise's USCC in the claims."))
    if role:
        wanted |= {"role": role, "enterprise": None}
    department = mapped_department(mapping, claims)
    if department is not None:
        wanted["department"] = department
    return wanted


def sign_in_user(*, provider: str, subject: str, claims: dict) -> User:
    """The user to sign in, or SsoRefused (an inactive account created for an unknown person
    is committed before the refusal, so an administrator finds it)."""
    created = _sign_in_or_create(provider=provider, subject=subject, claims=claims)
    if isinstance(created, SsoRefused):
        raise created
    return created


@transaction.atomic
def _sign_in_or_create(*, provider: str, subject: str, claims: dict) -> User | SsoRefused:
    if not subject:
        raise SsoRefused(_("The sign-in service did not say who you are."))
    mapping = mapping_for(provider)
    identity = (
        SsoIdentity.objects.select_related("user")
        .filter(provider=provider, subject=subject)
        .first()
    )
    user = identity.user if identity else None
    username = (_first(claims, mapping.username_claim) or subject)[:150]
    if user is None and settings.SSO_LINK_BY_USERNAME:
        user = User.objects.filter(username=username).first()
    wanted = _wanted(mapping, claims)
    if user is None:
        if settings.SSO_UNKNOWN_USERS == "refuse":
            logger.warning("SSO %s: refused unknown subject %s", provider, subject)
            raise SsoRefused(_("You have no account on this platform. Ask an administrator."))
        user = User(username=username, is_active=False, role=Role.STAFF)
        for field, value in wanted.items():
            setattr(user, field, value)
        user.set_unusable_password()
        user.save()
        audit.record(action=AuditAction.CREATE, obj=user, by=None, after=audit.snapshot(user))
        SsoIdentity.objects.create(user=user, provider=provider, subject=subject)
        logger.warning("SSO %s: created inactive account %s", provider, username)
        return SsoRefused(
            _(
                "Your account was created and waits for an administrator to switch it on. "
                "Please try again later."
            )
        )
    if identity is None:
        SsoIdentity.objects.create(user=user, provider=provider, subject=subject)
    if not user.is_active:
        raise SsoRefused(_("Your account is switched off. Ask an administrator."))
    before = audit.snapshot(user)
    changed = [f for f, v in wanted.items() if getattr(user, f) != v]
    if changed:
        for field in changed:
            setattr(user, field, wanted[field])
        # The phone's lookup hash is computed on save and must be written with it.
        user.save(update_fields=[*changed, *(["phone_hash"] if "phone" in changed else [])])
        audit.record(
            action=AuditAction.UPDATE,
            obj=user,
            by=None,
            before=before,
            after=audit.snapshot(user),
        )
        api_tokens_forget(user=user)  # a new role or department reaches the API at once
    SsoIdentity.objects.filter(provider=provider, subject=subject).update(
        last_sign_in_at=timezone.now()
    )
    return user


def finish_sign_in(request, user, *, provider: str, claims: dict) -> None:
    """After ``auth.login``: the session's second-factor state, as after a password."""
    twofactor.on_sign_in(request, user)
    request.session[SESSION_PROVIDER] = provider
    if asserts_mfa(claims):
        request.session[twofactor.SESSION_SSO_MFA] = provider
    logger.info("SSO %s: %s signed in (provider MFA: %s)", provider, user, asserts_mfa(claims))
