"""投产达效: what a project promised for its land and whether it delivers.

Investment agreements (投资协议 / 履约监管协议) are kept as versions: an amendment is a new
``AgreementVersion`` with its reason and its own ``AgreementTerm``s, the earlier versions stay.
The yearly per-mu evaluation (亩均效益评价) is an ``Evaluation`` of one year with one
``EvaluationScore`` per enterprise, computed from the admin's ``Indicator``s of that year.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models import RestrictedQuerySet, TimeStampedModel, VersionedModel

MONEY = {"max_digits": 14, "decimal_places": 2}


# --- investment agreements --------------------------------------------------------------------


class TermKind(models.TextChoices):
    # What the enterprise promises.
    START = "start", _("Construction started by")
    COMPLETION = "completion", _("Construction completed by")
    PRODUCTION = "production", _("Production started by")
    INVESTMENT = "investment", _("Fixed-asset investment completed (10k CNY)")
    INTENSITY = "intensity", _("Investment intensity (10k CNY per mu)")
    OUTPUT_PER_MU = "output_per_mu", _("Output per mu per year (10k CNY)")
    TAX_PER_MU = "tax_per_mu", _("Tax per mu per year (10k CNY)")
    HEADCOUNT = "headcount", _("Headcount")
    # What the zone promises.
    LAND_DELIVERY = "land_delivery", _("Land delivered by (zone)")
    UTILITIES = "utilities", _("Utilities connected by (zone)")
    SUBSIDY = "subsidy", _("Subsidy paid by (zone)")


ZONE_KINDS = frozenset({TermKind.LAND_DELIVERY, TermKind.UTILITIES, TermKind.SUBSIDY})
# Kept on a date: the stage events say when (start, production), or a recorded date does
# (completion, the zone's promises).
DATE_KINDS = frozenset({TermKind.START, TermKind.COMPLETION, TermKind.PRODUCTION}) | ZONE_KINDS
# Kept when an amount reaches its target by the date.
AMOUNT_KINDS = frozenset({TermKind.INVESTMENT, TermKind.INTENSITY})
# Kept year after year from the date on, measured over the last 12 ledger months.
YEARLY_KINDS = frozenset({TermKind.OUTPUT_PER_MU, TermKind.TAX_PER_MU, TermKind.HEADCOUNT})
# Whose date is recorded by hand (no stage event marks it).
RECORDED_KINDS = ZONE_KINDS | {TermKind.COMPLETION}


class TermStatus(models.TextChoices):
    KEPT = "kept", _("Kept")
    ON_TRACK = "on_track", _("Not yet due")
    DUE_SOON = "due_soon", _("Due soon")
    AT_RISK = "at_risk", _("At risk")
    BROKEN = "broken", _("Broken")
    UNKNOWN = "unknown", _("Figures missing")


class AgreementQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):
        if user.is_zone_staff:
            return self
        return self.filter(project__enterprise_id=user.enterprise_id)


class Agreement(TimeStampedModel, VersionedModel):
    """An investment agreement of a project; its content is in its versions."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    number = models.CharField(_("agreement number"), max_length=50, unique=True)
    title = models.CharField(_("title"), max_length=200)
    current_version = models.PositiveSmallIntegerField(_("current version"), default=1)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("investment agreement")
        verbose_name_plural = _("investment agreements")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class VersionQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):
        if user.is_zone_staff:
            return self
        return self.filter(agreement__project__enterprise_id=user.enterprise_id)


class AgreementVersion(models.Model):
    """The agreement as signed (number 1) or as amended (2, 3 …). Never changed afterwards."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    signed_on = models.DateField(_("signed on"))
    reason = models.CharField(_("reason for the amendment"), max_length=300, blank=True)
    total_investment = models.DecimalField(_("total investment (10k CNY)"), **MONEY)
    fixed_asset_investment = models.DecimalField(_("fixed-asset investment (10k CNY)"), **MONEY)
    land_area_mu = models.DecimalField(_("land (mu)"), max_digits=10, decimal_places=2)
    plots = models.ManyToManyField(
        "cockpit.Plot", verbose_name=_("plots"), blank=True, related_name="+"
    )
    leases = models.ManyToManyField(
        "spaces.Lease", verbose_name=_("leases"), blank=True, related_name="+"
    )
    breach_clauses = models.TextField(_("what follows a breach"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="one_agreement_version_number"
            ),
            models.CheckConstraint(
                condition=Q(total_investment__gte=0, fixed_asset_investment__gte=0)
                & Q(land_area_mu__gt=0),
                name="agreement_figures_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.number} v{self.number}"

    @property
    def intensity(self):
        """Committed fixed-asset investment per mu (万元/亩)."""
        return (self.fixed_asset_investment / self.land_area_mu).quantize(Decimal("0.01"))


class TermQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):
        if user.is_zone_staff:
            return self
        return self.filter(version__agreement__project__enterprise_id=user.enterprise_id)


class AgreementTerm(models.Model):
    """One promise of a version: a date to keep, an amount to reach, or a yearly figure."""

    version = models.ForeignKey(
        AgreementVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="terms"
    )
    kind = models.CharField(_("commitment"), max_length=20, choices=TermKind.choices)
    due_on = models.DateField(
        _("due on"), help_text=_("For a yearly figure: the day from which it is promised.")
    )
    target = models.DecimalField(_("target"), null=True, blank=True, **MONEY)
    depends_on = models.ForeignKey(
        "self",
        verbose_name=_("depends on the zone's promise"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dependants",
    )
    fulfilled_on = models.DateField(_("fulfilled on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement term")
        verbose_name_plural = _("agreement terms")
        ordering = ["version", "due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "kind"], name="one_term_per_kind"),
            models.CheckConstraint(
                condition=Q(target__isnull=True) | Q(target__gte=0), name="term_target_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.get_kind_display()}"

    @property
    def is_zones(self) -> bool:
        return self.kind in ZONE_KINDS


# --- the yearly per-mu evaluation --------------------------------------------------------------


class Figure(models.TextChoices):
    """The enterprise's yearly figures an indicator is built from."""

    TAX = "tax", _("Tax paid (10k CNY)")
    OUTPUT = "output", _("Output value (10k CNY)")
    ENERGY = "energy", _("Energy used (tce)")
    RD = "rd", _("R&D spending (10k CNY)")
    EMPLOYEES = "employees", _("Employees (monthly average)")
    LAND = "land", _("Land (mu)")
    ONE = "one", _("(none)")


class EvaluationYear(TimeStampedModel, VersionedModel):
    """The admin's rules for one year: cut points between classes and the score cap."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    cut_a = models.DecimalField(_("class A from score"), max_digits=6, decimal_places=2)
    cut_b = models.DecimalField(_("class B from score"), max_digits=6, decimal_places=2)
    cut_c = models.DecimalField(_("class C from score"), max_digits=6, decimal_places=2)
    cap = models.DecimalField(
        _("score cap (times the weight)"),
        max_digits=4,
        decimal_places=2,
        default=2,
        help_text=_("An indicator scores at most this many times its weight."),
    )
    min_years = models.PositiveSmallIntegerField(
        _("years in production before evaluation"), default=2
    )
    source = models.TextField(_("source of the indicator set"), blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation year")
        verbose_name_plural = _("evaluation years")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cut_a__gt=models.F("cut_b"), cut_b__gt=models.F("cut_c"), cut_c__gte=0),
                name="evaluation_cuts_descending",
            ),
            models.CheckConstraint(condition=Q(cap__gte=1), name="evaluation_cap_at_least_one"),
        ]

    def __str__(self) -> str:
        return str(self.year)


class Indicator(models.Model):
    """One indicator of a year: numerator ÷ denominator × scale, its weight and benchmark."""

    year = models.ForeignKey(
        EvaluationYear, verbose_name=_("year"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=60)
    numerator = models.CharField(_("numerator"), max_length=10, choices=Figure.choices)
    denominator = models.CharField(_("denominator"), max_length=10, choices=Figure.choices)
    scale = models.DecimalField(_("scale"), max_digits=8, decimal_places=2, default=1)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)
    benchmark = models.DecimalField(_("benchmark"), max_digits=14, decimal_places=4)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["year", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="one_indicator_code_per_year"),
            models.CheckConstraint(
                condition=Q(weight__gt=0, weight__lte=100, benchmark__gt=0, scale__gt=0),
                name="indicator_weight_benchmark_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year.year} {self.name}"


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published (公示)")
    FROZEN = "frozen", _("Final (frozen)")
    SUPERSEDED = "superseded", _("Superseded by a correction")


SHOWN_TO_ENTERPRISES = (EvaluationStatus.PUBLISHED, EvaluationStatus.FROZEN)


class EvaluationQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):
        if user.is_zone_staff:
            return self
        return self.filter(status__in=SHOWN_TO_ENTERPRISES)


class Evaluation(TimeStampedModel, VersionedModel):
    """One year's evaluation; a correction of a published one is a new number with a reason."""

    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=12, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT
    )
    reason = models.CharField(_("reason for the correction"), max_length=300, blank=True)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    # The indicators, weights, benchmarks and cut points the scores were computed with.
    rules = models.JSONField(_("rules used"), default=dict)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("per-mu evaluation")
        verbose_name_plural = _("per-mu evaluations")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="one_evaluation_number"),
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(status="draft"),
                name="one_draft_evaluation_per_year",
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(status__in=["published", "frozen"]),
                name="one_current_evaluation_per_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} v{self.number}"


class Klass(models.TextChoices):
    A = "A", _("A (encouraged)")
    B = "B", _("B (supported)")
    C = "C", _("C (upgrade)")
    D = "D", _("D (restricted)")
    T = "T", _("T (under two years, not evaluated)")
    NOT_SCORED = "-", _("Not scored (figures missing)")


class ScoreQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):
        if user.is_zone_staff:
            return self
        return self.filter(
            enterprise_id=user.enterprise_id, evaluation__status__in=SHOWN_TO_ENTERPRISES
        )


class EvaluationScore(models.Model):
    """An enterprise's result in one evaluation: its figures, each indicator's score, class."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("evaluation"), on_delete=models.CASCADE, related_name="scores"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="evaluation_scores",
    )
    klass = models.CharField(_("class"), max_length=1, choices=Klass.choices)
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, null=True)
    land_mu = models.DecimalField(_("land (mu)"), max_digits=12, decimal_places=4, null=True)
    # Figures of the year: output, tax, energy, rd, employees (as text, exact decimals).
    figures = models.JSONField(_("figures"), default=dict)
    # One entry per indicator: code, name, unit, value, benchmark, weight, score.
    values = models.JSONField(_("indicator values"), default=list)
    missing = models.JSONField(_("what is missing"), default=list)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation score")
        verbose_name_plural = _("evaluation scores")
        ordering = ["evaluation", "-score", "enterprise_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "enterprise"], name="one_score_per_enterprise"
            )
        ]
        indexes = [models.Index(fields=["evaluation", "klass"])]

    def __str__(self) -> str:
        return f"{self.evaluation} {self.enterprise_id} {self.klass}"


class LandShare(TimeStampedModel):
    """The share of a plot's area an enterprise holds, when several enterprises share it."""

    plot = models.ForeignKey(
        "cockpit.Plot", verbose_name=_("plot"), on_delete=models.CASCADE, related_name="+"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="land_shares",
    )
    percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("land share")
        verbose_name_plural = _("land shares")
        ordering = ["plot", "enterprise"]
        constraints = [
            models.UniqueConstraint(fields=["plot", "enterprise"], name="one_share_per_plot"),
            models.CheckConstraint(
                condition=Q(percent__gt=0, percent__lte=100), name="land_share_percent_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plot_id} {self.enterprise_id} {self.percent}%"
