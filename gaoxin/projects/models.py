"""The project register: investment projects, their stage history, engagements and money."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gaoxin.core.fields import BlindIndexField, EncryptedCharField
from gaoxin.core.models import RestrictedQuerySet, TimeStampedModel, VersionedModel
from gaoxin.projects.stages import Phase, Stage

MONEY = {"max_digits": 14, "decimal_places": 2}


# The particulars a person edits, in the form's order: the project form and
# services.project_create/update take exactly these (the stage moves through project_advance).
PROJECT_FIELDS = [
    "name",
    "enterprise",
    "prospective_investor",
    "cluster",
    "industry",
    "chain_link",
    "source_province",
    "source_city",
    "channel",
    "total_investment",
    "fixed_asset_investment",
    "foreign_investment",
    "expected_output_value",
    "expected_tax",
    "land_need_mu",
    "space_need_m2",
    "planned_start_on",
    "department",
    "steward",
    "contact_name",
    "contact_phone",
    "description",
]


class Channel(models.TextChoices):
    EVENT = "event", _("Investment event")
    INVESTOR_REFERRAL = "investor_referral", _("Referral by an investor (以商招商)")
    CHAIN = "chain", _("Industry-chain attraction")
    PLATFORM = "platform", _("Platform attraction")
    TALENT_TEAM = "talent_team", _("Talent team")
    AGENCY = "agency", _("Commissioned agency")
    DIRECT = "direct", _("Direct contact")
    OTHER = "other", _("Other")


class Chain(models.Model):
    """An industry chain (产业链) within a cluster."""

    cluster = models.ForeignKey(
        "enterprises.Cluster",
        verbose_name=_("industrial cluster"),
        on_delete=models.PROTECT,
        related_name="chains",
    )
    name = models.CharField(_("name"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("industry chain")
        verbose_name_plural = _("industry chains")
        ordering = ["cluster__order", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "name"], name="unique_chain_name")
        ]

    def __str__(self) -> str:
        return self.name


class ChainLink(models.Model):
    """A link of an industry chain (链环节): design, materials, equipment …"""

    chain = models.ForeignKey(
        Chain, verbose_name=_("industry chain"), on_delete=models.PROTECT, related_name="links"
    )
    name = models.CharField(_("name"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("chain link")
        verbose_name_plural = _("chain links")
        ordering = ["chain__order", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "name"], name="unique_chain_link_name")
        ]

    def __str__(self) -> str:
        return f"{self.chain.name} · {self.name}"


class ProjectQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):
        if user.is_zone_staff:
            return self
        return self.filter(enterprise_id=user.enterprise_id)


class Project(TimeStampedModel, VersionedModel):
    """An investment project the zone attracts (招商引资项目)."""

    name = models.CharField(_("project name"), max_length=200)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("investor enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        help_text=_(
            "From the enterprise register; leave empty for an investor not yet registered."
        ),
    )
    prospective_investor = models.CharField(
        _("prospective investor"),
        max_length=200,
        blank=True,
        help_text=_("The investor's name while it has no enterprise in the register."),
    )
    cluster = models.ForeignKey(
        "enterprises.Cluster",
        verbose_name=_("industrial cluster"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    industry = models.ForeignKey(
        "enterprises.IndustryCode",
        verbose_name=_("industry (GB/T 4754)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        limit_choices_to={"level": "division"},
    )
    chain_link = models.ForeignKey(
        ChainLink,
        verbose_name=_("chain link"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    source_province = models.CharField(_("source province"), max_length=20, blank=True)
    source_city = models.CharField(_("source city"), max_length=30, blank=True)
    channel = models.CharField(
        _("attraction channel"), max_length=20, choices=Channel.choices, default=Channel.DIRECT
    )
    total_investment = models.DecimalField(_("total investment (10k CNY)"), default=0, **MONEY)
    fixed_asset_investment = models.DecimalField(
        _("fixed-asset investment (10k CNY)"), default=0, **MONEY
    )
    foreign_investment = models.DecimalField(_("foreign investment (10k CNY)"), default=0, **MONEY)
    expected_output_value = models.DecimalField(
        _("expected annual output value (10k CNY)"), default=0, **MONEY
    )
    expected_tax = models.DecimalField(_("expected annual tax (10k CNY)"), default=0, **MONEY)
    land_need_mu = models.DecimalField(
        _("land needed (mu)"), max_digits=10, decimal_places=2, default=0
    )
    space_need_m2 = models.DecimalField(
        _("floor space needed (m²)"), max_digits=12, decimal_places=2, default=0
    )
    planned_start_on = models.DateField(
        _("planned construction start"),
        null=True,
        blank=True,
        help_text=_("Used for the on-time construction start rate."),
    )
    steward = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("steward"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stewarded_projects",
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("responsible department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    contact_name = models.CharField(_("investor contact"), max_length=50, blank=True)
    contact_phone = EncryptedCharField(_("contact phone"), max_length=20, blank=True)
    contact_phone_hash = BlindIndexField(of="contact_phone", db_index=True)
    description = models.TextField(_("description"), blank=True)
    # The stage of the latest effective event, kept by the services in the same transaction
    # as the event, so lists can filter by it; statistics always read the events.
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.LEAD, db_index=True
    )
    stage_since = models.DateField(_("in this stage since"), null=True, blank=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_investment__gte=0)
                & Q(fixed_asset_investment__gte=0)
                & Q(foreign_investment__gte=0)
                & Q(expected_output_value__gte=0)
                & Q(expected_tax__gte=0)
                & Q(land_need_mu__gte=0)
                & Q(space_need_m2__gte=0),
                name="project_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(fixed_asset_investment__lte=models.F("total_investment"))
                & Q(foreign_investment__lte=models.F("total_investment")),
                name="project_parts_within_total",
            ),
        ]
        indexes = [
            models.Index(fields=["cluster", "stage"]),
            models.Index(fields=["-created_at", "-id"], name="project_newest_first"),
            # The cockpit's data stamp reads MAX(updated_at) on every view.
            models.Index(fields=["updated_at"], name="project_updated_at"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def investor_name(self) -> str:
        return self.enterprise.name if self.enterprise_id else self.prospective_investor


class ProjectPartQuerySet(RestrictedQuerySet):
    """Rows that belong to a project are visible to whoever may see the project."""

    def visible_to(self, user, action):
        if user.is_zone_staff:
            return self
        return self.filter(project__enterprise_id=user.enterprise_id)


class StageEventQuerySet(ProjectPartQuerySet):
    def effective(self):
        """Events that count: those no correction has voided."""
        return self.filter(correction__isnull=True)


class StageEvent(models.Model):
    """A project entered a stage on a date. Append-only: a mistake is voided by a correction."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="events"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    from_stage = models.CharField(_("from stage"), max_length=20, choices=Stage.choices, blank=True)
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    evidence = models.CharField(
        _("evidence"),
        max_length=200,
        blank=True,
        help_text=_("Contract number, licence number, photo record … that proves the step."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = StageEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("stage event")
        verbose_name_plural = _("stage events")
        ordering = ["on", "id"]
        indexes = [
            models.Index(fields=["project", "on", "id"]),
            models.Index(fields=["stage", "on"]),
        ]

    def __str__(self) -> str:
        return f"{self.project} → {self.get_stage_display()} {self.on}"


class StageCorrection(models.Model):
    """Voids a mistaken stage event; the event itself is never edited or deleted."""

    event = models.OneToOneField(
        StageEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="correction"
    )
    reason = models.CharField(_("reason"), max_length=200)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stage correction")
        verbose_name_plural = _("stage corrections")

    def __str__(self) -> str:
        return f"{self.event}: {self.reason}"


class EngagementKind(models.TextChoices):
    VISIT = "visit", _("Visit")
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    EVENT = "event", _("Event")


class Engagement(TimeStampedModel):
    """A visit, call, meeting or event with the investor (洽谈记录)."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="engagements"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EngagementKind.choices)
    on = models.DateField(_("date"))
    people = models.CharField(_("people"), max_length=300, blank=True)
    summary = models.TextField(_("summary"))
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ProjectPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["project", "on"])]

    def __str__(self) -> str:
        return f"{self.project} {self.get_kind_display()} {self.on}"


class MoneyKind(models.TextChoices):
    FUNDS_IN_PLACE = "funds_in_place", _("Funds in place")
    INVESTMENT_COMPLETED = "investment_completed", _("Investment completed")


class MoneyEntry(models.Model):
    """Funds in place (到位资金) or investment completed, recorded as dated amounts.

    Append-only: a mistake is corrected by a further entry with a negative amount.
    """

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="money_entries"
    )
    kind = models.CharField(_("kind"), max_length=25, choices=MoneyKind.choices)
    on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (10k CNY)"), **MONEY)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ProjectPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("money entry")
        verbose_name_plural = _("money entries")
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["kind", "on"])]

    def __str__(self) -> str:
        return f"{self.project} {self.get_kind_display()} {self.amount}"


class Figure(models.TextChoices):
    """What an annual target is set on."""

    NEW_NEGOTIATING = "negotiating", _("New negotiations")
    NEW_SIGNED = "signed", _("New signings")
    NEW_REGISTERED = "registered", _("New registrations")
    NEW_UNDER_CONSTRUCTION = "under_construction", _("Construction starts")
    NEW_IN_PRODUCTION = "in_production", _("Production starts")
    NEW_AT_CAPACITY = "at_capacity", _("Capacity reached")
    FUNDS_IN_PLACE = "funds_in_place", _("Funds in place (10k CNY)")


class Target(TimeStampedModel, VersionedModel):
    """An annual target (年度目标), set by an administrator."""

    year = models.PositiveSmallIntegerField(_("year"))
    figure = models.CharField(_("figure"), max_length=25, choices=Figure.choices)
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual target")
        verbose_name_plural = _("annual targets")
        ordering = ["-year", "figure"]
        constraints = [
            models.UniqueConstraint(fields=["year", "figure"], name="unique_target"),
            models.CheckConstraint(condition=Q(value__gt=0), name="target_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_figure_display()} {self.value}"


class StewardHandover(models.Model):
    """A recorded change of a project's steward (the steward's history)."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="steward_handovers"
    )
    from_steward = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_steward = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    phase = models.CharField(_("phase"), max_length=8, choices=Phase.choices)
    note = models.TextField(_("handover note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # Recorded by the project register since #16; the table and its permissions keep
        # their dispatch names, so no data moves.
        app_label = "dispatch"
        ordering = ["at", "id"]
        verbose_name = _("steward handover")
        verbose_name_plural = _("steward handovers")

    def __str__(self) -> str:
        return f"{self.project}: {self.from_steward} → {self.to_steward}"
