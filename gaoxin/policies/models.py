"""The policy library (政策库): policies, their clauses with structured eligibility criteria and
an amount rule, and the payouts of 免申即享 clauses in batches that keep the clause's version.

The criteria and the amount rule are JSON checked by ``criteria.check_criteria`` /
``criteria.check_amount_rule`` (the one place that knows their shapes)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models import RestrictedQuerySet, TimeStampedModel, VersionedModel


class PolicyQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):
        if user.is_zone_staff:
            return self
        return self.filter(is_published=True)


class Policy(TimeStampedModel, VersionedModel):
    """A policy document (政策文件) with its issuing body and period."""

    title = models.CharField(_("title"), max_length=200)
    document_number = models.CharField(_("document number"), max_length=80, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=100)
    starts_on = models.DateField(_("in force from"))
    ends_on = models.DateField(_("in force until"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    is_published = models.BooleanField(_("published"), default=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["-starts_on", "title"]

    def __str__(self) -> str:
        return self.title


class ClauseMode(models.TextChoices):
    AUTOMATIC = "automatic", _("Paid without application (免申即享)")
    APPLICATION = "application", _("Quick application (快申快享)")


class ClauseQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):
        if user.is_zone_staff:
            return self
        return self.filter(policy__is_published=True, is_active=True)


class Clause(TimeStampedModel, VersionedModel):
    """One clause (条款) of a policy: who is eligible and how much they get."""

    policy = models.ForeignKey(
        Policy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="clauses"
    )
    number = models.CharField(_("clause number"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    mode = models.CharField(_("mode"), max_length=12, choices=ClauseMode.choices)
    criteria = models.JSONField(_("eligibility criteria"), default=list, blank=True)
    amount_rule = models.JSONField(_("amount rule"), default=dict)
    service_item = models.ForeignKey(
        "affairs.ServiceItem",
        verbose_name=_("service item (快申快享)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The government service an application is filed as, with its materials."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = ClauseQuerySet.as_manager()

    class Meta:
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        ordering = ["policy", "number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="clause_number_per_policy")
        ]

    def __str__(self) -> str:
        return f"{self.policy} · {self.number} {self.title}"


class BatchState(models.TextChoices):
    DRAWN = "drawn", _("Drawn")
    REVIEWED = "reviewed", _("Reviewed")
    APPROVED = "approved", _("Approved for payment")
    PAID = "paid", _("Paid")


class BatchQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):
        if user.is_zone_staff:
            return self
        return self.none()


class PayoutBatch(TimeStampedModel, VersionedModel):
    """A 免申即享 payout batch: drawn from the clause as it stood (its version and content kept
    here), reviewed, approved, paid."""

    clause = models.ForeignKey(
        Clause, verbose_name=_("clause"), on_delete=models.PROTECT, related_name="batches"
    )
    number = models.CharField(_("number"), max_length=30, unique=True)
    clause_version = models.PositiveIntegerField(_("clause version"))
    clause_snapshot = models.JSONField(_("clause as drawn"))
    state = models.CharField(
        _("state"), max_length=10, choices=BatchState.choices, default=BatchState.DRAWN
    )
    as_of = models.DateField(_("figures as of"))
    total = models.DecimalField(_("total (10k CNY)"), max_digits=14, decimal_places=2, default=0)
    undeterminable = models.JSONField(_("not determinable"), default=list)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drawn by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("paid by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    objects = BatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("payout batch")
        verbose_name_plural = _("payout batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number


class PayoutQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):
        if user.is_zone_staff:
            return self
        return self.filter(enterprise_id=user.enterprise_id, batch__state=BatchState.PAID)


class Payout(models.Model):
    """One enterprise's payout in a batch, with the reasons it was found eligible."""

    batch = models.ForeignKey(
        PayoutBatch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="payouts"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="payouts",
    )
    amount = models.DecimalField(_("amount (10k CNY)"), max_digits=14, decimal_places=2)
    reasons = models.JSONField(_("reasons"), default=list)
    eligible_on = models.DateField(_("eligible on"))
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    objects = PayoutQuerySet.as_manager()

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        ordering = ["batch", "enterprise"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "enterprise"], name="one_payout_per_batch")
        ]

    def __str__(self) -> str:
        return f"{self.batch} · {self.enterprise}"


class QuickApplicationQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):
        if user.is_zone_staff:
            return self
        return self.filter(enterprise_id=user.enterprise_id)


class QuickApplication(TimeStampedModel):
    """A 快申快享 application: the clause an enterprise applied under and the government-service
    case it was filed as."""

    clause = models.ForeignKey(
        Clause, verbose_name=_("clause"), on_delete=models.PROTECT, related_name="applications"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="policy_applications",
    )
    case = models.OneToOneField(
        "affairs.Application",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="policy_application",
    )
    reasons = models.JSONField(_("reasons"), default=list)

    objects = QuickApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy application")
        verbose_name_plural = _("policy applications")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.clause} · {self.enterprise}"
