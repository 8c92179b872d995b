"""Users, departments, roles and personal API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.core.fields import BlindIndexField, EncryptedCharField
from gaoxin.core.models import RestrictedQuerySet, TimeStampedModel, VersionedModel


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    LEADER = "leader", _("Zone leader")
    STAFF = "staff", _("Department staff")
    STEWARD = "steward", _("Project steward")
    CLERK = "clerk", _("Window clerk")
    AGENT = "agent", _("Agent (代办员)")
    COMMISSIONER = "commissioner", _("Talent commissioner")
    ENTERPRISE = "enterprise", _("Enterprise user")


class Department(TimeStampedModel, VersionedModel):
    """A department (局/办) of the zone's administrative committee."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_departments",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class UserQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):
        if user.role in (Role.ADMIN, Role.LEADER):
            return self
        if user.role == Role.ENTERPRISE:
            return self.filter(enterprise_id=user.enterprise_id)
        return self.exclude(role=Role.ENTERPRISE) | self.filter(pk=user.pk)


class GaoxinUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in: zone staff of a department, or a user of one enterprise."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = EncryptedCharField(_("mobile phone"), max_length=20, blank=True)  # core.fields
    phone_hash = BlindIndexField(of="phone", db_index=True)
    title = models.CharField(_("position"), max_length=50, blank=True)
    # Set when an administrator creates the account or sets its password; cleared when the
    # person chooses their own (accounts.middleware sends them to do so first).
    must_change_password = models.BooleanField(_("must change password"), default=False)

    objects = GaoxinUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            # An enterprise user belongs to exactly one enterprise; staff belong to none.
            models.CheckConstraint(
                condition=(Q(role="enterprise") & Q(enterprise__isnull=False))
                | (~Q(role="enterprise") & Q(enterprise__isnull=True)),
                name="enterprise_user_has_enterprise",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_zone_staff(self) -> bool:
        return self.role != Role.ENTERPRISE


class ApiToken(TimeStampedModel):
    """A personal token for integrations (``Authorization: Bearer <token>``).

    Only a SHA-256 digest is stored; the token itself is shown once, when it is created.
    """

    PREFIX = "gx_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    key_prefix = models.CharField(_("token prefix"), max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def generate(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def is_usable(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()


# --- single sign-on (accounts/sso.py) -------------------------------------------------------


class SsoProvider(models.TextChoices):
    OIDC = "oidc", _("OpenID Connect")
    CAS = "cas", _("CAS")


class SsoMapping(TimeStampedModel):
    """How a provider's claims (OIDC) or attributes (CAS) become a user, a role and a
    department; edited by an administrator, one per provider."""

    provider = models.CharField(
        _("provider"), max_length=10, choices=SsoProvider.choices, unique=True
    )
    username_claim = models.CharField(
        _("user name claim"), max_length=64, default="preferred_username"
    )
    name_claim = models.CharField(_("full name claim"), max_length=64, default="name", blank=True)
    email_claim = models.CharField(_("e-mail claim"), max_length=64, default="email", blank=True)
    phone_claim = models.CharField(
        _("mobile phone claim"), max_length=64, default="phone_number", blank=True
    )
    role_claim = models.CharField(_("role claim"), max_length=64, default="roles", blank=True)
    # {"the provider's value": "role code"}; the first value of the claim that maps wins.
    role_map = models.JSONField(_("roles by claim value"), default=dict, blank=True)
    default_role = models.CharField(
        _("role when none maps"), max_length=20, choices=Role.choices, blank=True
    )
    department_claim = models.CharField(
        _("department claim"), max_length=64, default="department", blank=True
    )
    # {"the provider's value": "department code"}; else a department with that code.
    department_map = models.JSONField(_("departments by claim value"), default=dict, blank=True)
    uscc_claim = models.CharField(
        _("enterprise USCC claim"), max_length=64, default="uscc", blank=True
    )

    class Meta:
        verbose_name = _("single sign-on mapping")
        verbose_name_plural = _("single sign-on mappings")

    def __str__(self) -> str:
        return self.get_provider_display()


class SsoIdentity(models.Model):
    """A person's account at a provider (its subject), bound to one platform user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="sso_identities",
    )
    provider = models.CharField(_("provider"), max_length=10, choices=SsoProvider.choices)
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_sign_in_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="unique_sso_subject")
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.subject}"
