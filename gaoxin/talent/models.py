"""Talent (人才): the talent programme in batches (call → applications → panel review →
awards), talents and teams with the enterprises they join, benefits paid in instalments or a
talent apartment, and the commissioners who serve them. Personal data is for talent staff and
the talent alone."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Role
from gaoxin.core.fields import BlindIndexField, EncryptedCharField
from gaoxin.core.models import RestrictedQuerySet, TimeStampedModel, VersionedModel
from gaoxin.talent.idnumbers import mask_id_number


class TalentKind(models.TextChoices):
    INNOVATIVE_TALENT = "innovative_talent", _("Innovative talent (创新人才)")
    STARTUP_TEAM = "startup_team", _("Startup team (创业团队)")
    INNOVATION_TEAM = "innovation_team", _("Innovation team (创新团队)")


class TalentQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):
        if user.role in (Role.ADMIN, Role.COMMISSIONER):
            return self
        return self.filter(user=user)


class Talent(TimeStampedModel, VersionedModel):
    """A person the programme brought in; the ID number and phone are stored encrypted, the
    ID number shown masked."""

    name = models.CharField(_("name"), max_length=50)
    # Encrypted at rest (core.fields); unique and looked up through the blind index.
    id_number = EncryptedCharField(_("ID number"), max_length=18, mask="id_number")
    id_number_hash = BlindIndexField(of="id_number", unique=True)
    phone = EncryptedCharField(_("phone"), max_length=20, blank=True)
    phone_hash = BlindIndexField(of="phone", db_index=True)
    education = models.CharField(_("education"), max_length=30, blank=True)
    title = models.CharField(_("title"), max_length=50, blank=True)
    field = models.CharField(_("field"), max_length=100, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="talents",
    )
    arrived_on = models.DateField(_("arrived on"))
    commissioner = models.ForeignKey(
        "accounts.User",
        verbose_name=_("talent commissioner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="served_talents",
    )
    # The talent's own account, if they sign in to see their record.
    user = models.OneToOneField(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="talent"
    )

    objects = TalentQuerySet.as_manager()

    class Meta:
        verbose_name = _("talent")
        verbose_name_plural = _("talents")
        ordering = ["-arrived_on", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def id_masked(self) -> str:
        return mask_id_number(self.id_number)


class Team(TimeStampedModel, VersionedModel):
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"),
        max_length=16,
        choices=[
            (TalentKind.STARTUP_TEAM, TalentKind.STARTUP_TEAM.label),
            (TalentKind.INNOVATION_TEAM, TalentKind.INNOVATION_TEAM.label),
        ],
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise it joins"),
        on_delete=models.PROTECT,
        related_name="talent_teams",
    )
    leader = models.ForeignKey(
        Talent, verbose_name=_("leader"), on_delete=models.PROTECT, related_name="led_teams"
    )
    members = models.ManyToManyField(Talent, verbose_name=_("members"), related_name="teams")
    arrived_on = models.DateField(_("arrived on"))

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["-arrived_on", "name"]

    def __str__(self) -> str:
        return self.name


class BatchState(models.TextChoices):
    CALL = "call", _("Call open")
    REVIEW = "review", _("Panel review")
    AWARDED = "awarded", _("Awarded")


class Batch(TimeStampedModel, VersionedModel):
    """One round of the talent programme (高新英才计划)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    closes_on = models.DateField(_("applications close on"))
    state = models.CharField(
        _("state"), max_length=8, choices=BatchState.choices, default=BatchState.CALL
    )
    panel = models.ManyToManyField(
        "accounts.User", verbose_name=_("review panel"), related_name="talent_panels"
    )
    # An application is awarded when its mean score reaches this.
    pass_score = models.PositiveSmallIntegerField(_("pass score"), default=75)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        ordering = ["-closes_on"]

    def __str__(self) -> str:
        return self.name


class TalentApplicationState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    AWARDED = "awarded", _("Awarded")
    NOT_AWARDED = "not_awarded", _("Not awarded")


class TalentApplication(TimeStampedModel):
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="applications")
    kind = models.CharField(_("category"), max_length=18, choices=TalentKind.choices)
    talent = models.ForeignKey(
        Talent, verbose_name=_("talent"), null=True, blank=True, on_delete=models.PROTECT
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.PROTECT
    )
    summary = models.TextField(_("what they bring"))
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=TalentApplicationState.choices,
        default=TalentApplicationState.SUBMITTED,
    )
    mean_score = models.DecimalField(
        _("mean score"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme application")
        verbose_name_plural = _("programme applications")
        ordering = ["batch", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(talent__isnull=False, team__isnull=True)
                | models.Q(talent__isnull=True, team__isnull=False),
                name="application_is_a_talent_or_a_team",
            ),
        ]

    def __str__(self) -> str:
        return str(self.talent or self.team)


class PanelScore(models.Model):
    application = models.ForeignKey(
        TalentApplication, on_delete=models.CASCADE, related_name="scores"
    )
    reviewer = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))
    opinion = models.TextField(_("opinion"), blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("panel score")
        verbose_name_plural = _("panel scores")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="one_score_each"),
            models.CheckConstraint(condition=models.Q(score__lte=100), name="score_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.score}"


class BenefitKind(models.TextChoices):
    SUBSIDY = "subsidy", _("Subsidy")
    APARTMENT = "apartment", _("Talent apartment")


class Benefit(TimeStampedModel):
    """What an award brings: a subsidy paid in instalments, or a talent apartment (a lease of
    a unit in a talent-apartment building)."""

    application = models.ForeignKey(
        TalentApplication, on_delete=models.PROTECT, related_name="benefits"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=BenefitKind.choices)
    total = models.DecimalField(
        _("total (10k CNY)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    lease = models.OneToOneField(
        "spaces.Lease", null=True, blank=True, on_delete=models.PROTECT, related_name="benefit"
    )

    class Meta:
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")


class Instalment(models.Model):
    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="instalments")
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(_("amount (10k CNY)"), max_digits=10, decimal_places=2)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    class Meta:
        verbose_name = _("benefit instalment")
        verbose_name_plural = _("benefit instalments")
        ordering = ["due_on"]

    def __str__(self) -> str:
        return f"{self.due_on} {self.amount}"


class ServiceLogEntry(models.Model):
    """A commissioner's service to a talent (人才服务专员)."""

    talent = models.ForeignKey(Talent, on_delete=models.CASCADE, related_name="service_log")
    commissioner = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("date"))
    note = models.TextField(_("what was done"))

    class Meta:
        verbose_name = _("talent service log entry")
        verbose_name_plural = _("talent service log entries")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.talent} {self.on}"
