"""Government services (政务服务, 一次办好). This first part: the catalogue of service items."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models import RestrictedQuerySet, TimeStampedModel, VersionedModel


class LimitUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    WORKING_HOURS = "working_hours", _("working hours")
    WORKING_MINUTES = "working_minutes", _("working minutes")


class ServiceItemQuerySet(RestrictedQuerySet):
    def active(self):
        return self.filter(is_active=True)


class ServiceItem(TimeStampedModel, VersionedModel):
    """An administrative service item (政务服务事项) of the published catalogue."""

    code = models.CharField(_("item code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="service_items",
    )
    # The Administrative Licensing Law counts the legal limit in working days.
    legal_limit_days = models.PositiveSmallIntegerField(_("legal limit (working days)"))
    promised_limit = models.PositiveSmallIntegerField(_("promised limit"))
    promised_unit = models.CharField(
        _("unit of the promised limit"),
        max_length=16,
        choices=LimitUnit.choices,
        default=LimitUnit.WORKING_DAYS,
    )
    fee = models.DecimalField(_("fee (CNY)"), max_digits=10, decimal_places=2, default=0)
    fee_note = models.CharField(_("fee basis"), max_length=200, blank=True)
    one_go = models.BooleanField(_("done in one go (一次办好)"), default=True)
    appointment_allowed = models.BooleanField(_("appointments"), default=True)
    online_allowed = models.BooleanField(_("online"), default=True)
    reviewing_departments = models.ManyToManyField(
        "accounts.Department",
        verbose_name=_("reviewing departments"),
        blank=True,
        related_name="reviewed_items",
    )
    is_active = models.BooleanField(_("published"), default=True)
    unmet_commitment_terminates = models.BooleanField(
        _("an unmet commitment terminates the case"), default=True
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = ServiceItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(legal_limit_days__gte=1, promised_limit__gte=1),
                name="item_limits_positive",
            ),
            models.CheckConstraint(condition=models.Q(fee__gte=0), name="item_fee_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Material(models.Model):
    """A material an application for the item needs: essential, or waivable for now (容缺)."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="materials")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=200)
    essential = models.BooleanField(_("essential"), default=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["item", "order"]
        constraints = [
            models.UniqueConstraint(fields=["item", "order"], name="one_material_per_order"),
        ]

    def __str__(self) -> str:
        return self.name


# --- applications (办件) ---------------------------------------------------------------------


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    ACCEPTED_WITH_DEFICIENCY = "accepted_with_deficiency", _("Accepted with deficiency (容缺)")
    UNDER_REVIEW = "under_review", _("Under review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CLOSED = "closed", _("Closed")


class ApplicationChannel(models.TextChoices):
    ONLINE = "online", _("Filed online")
    WINDOW = "window", _("At the window")
    AGENT = "agent", _("By an agent")


class ApplicationQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):
        from gaoxin.accounts.models import Role

        if user.role == Role.ENTERPRISE:
            return self.filter(enterprise_id=user.enterprise_id)
        if user.role in (Role.ADMIN, Role.LEADER, Role.CLERK):
            return self
        # Departments see the cases they review or own.
        return self.filter(
            models.Q(reviews__department_id=user.department_id)
            | models.Q(items__department_id=user.department_id)
        ).distinct()


class Application(TimeStampedModel, VersionedModel):
    """One application (办件) of an enterprise for one or more items, with its clock."""

    number = models.CharField(_("case number"), max_length=30, unique=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    items = models.ManyToManyField(ServiceItem, verbose_name=_("items"), related_name="+")
    channel = models.CharField(_("channel"), max_length=8, choices=ApplicationChannel.choices)
    applicant = models.ForeignKey(
        "accounts.User", verbose_name=_("filed by"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("state"),
        max_length=26,
        choices=ApplicationState.choices,
        default=ApplicationState.DRAFT,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    # The clock: the promised limit in working minutes (frozen at acceptance), the paused
    # working minutes so far, the start of a pause in progress, and the deadline they give.
    limit_minutes = models.PositiveIntegerField(null=True, blank=True)
    paused_minutes = models.PositiveIntegerField(default=0)
    paused_since = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    deadline_certain = models.BooleanField(default=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    pre_review = models.ForeignKey(
        "PreReview",
        verbose_name=_("pre-review"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number


class ApplicationStep(models.Model):
    """The case's timeline: every move and act, with who and when."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    from_state = models.CharField(max_length=26, choices=ApplicationState.choices, blank=True)
    to_state = models.CharField(max_length=26, choices=ApplicationState.choices, blank=True)
    note = models.TextField(blank=True)
    by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application} {self.from_state}→{self.to_state}"


class ReviewState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUPPLEMENT = "supplement", _("Waiting for supplements")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Review(models.Model):
    """One department's part of a parallel review (并联审批), with its own clock."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ReviewState.choices, default=ReviewState.PENDING
    )
    deadline = models.DateTimeField(_("deadline"))
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reasons = models.TextField(_("reasons"), blank=True)

    class Meta:
        ordering = ["deadline", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "department"], name="one_review_per_department"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} / {self.department}"


class SupplementRequest(models.Model):
    """A request to supplement materials (补正); the clock stands still until supplied."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="supplements"
    )
    review = models.ForeignKey(Review, null=True, on_delete=models.SET_NULL, related_name="+")
    what = models.TextField(_("what is wrong or missing"))
    requested_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    supplied_at = models.DateTimeField(null=True, blank=True)
    supplied_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return self.what[:60]


class Commitment(models.Model):
    """Conditional acceptance (容缺受理): the waivable materials missing, the enterprise's
    signed commitment and the date by which it will supply them."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="commitment"
    )
    materials = models.ManyToManyField(Material, verbose_name=_("missing materials"))
    due_on = models.DateField(_("to be supplied by"))
    signatory = models.CharField(_("signed by"), max_length=50)
    signed_on = models.DateField(_("signed on"))
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    unmet_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self) -> str:
        return f"{self.application} → {self.due_on}"


class ExclusionKind(models.TextChoices):
    HEARING = "hearing", _("Hearing")
    TESTING = "testing", _("Testing")
    INSPECTION = "inspection", _("Inspection")
    EXPERT_REVIEW = "expert_review", _("Expert review")


class ExcludedPeriod(models.Model):
    """Time the legal limit does not count (hearings, testing, inspection, expert review),
    notified to the applicant in writing."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="exclusions"
    )
    kind = models.CharField(_("kind"), max_length=14, choices=ExclusionKind.choices)
    written_notice = models.TextField(_("written notice to the applicant"))
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"{self.application} {self.get_kind_display()}"


class Extension(models.Model):
    """An extension of the limit (e.g. ten working days), approved by the agency's head."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="extension"
    )
    days = models.PositiveSmallIntegerField(_("extra working days"))
    reason = models.TextField(_("reason"))
    approved_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.application} +{self.days}"


class PreReviewQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):
        from gaoxin.accounts.models import Role

        if user.role == Role.ENTERPRISE:
            return self.filter(enterprise_id=user.enterprise_id)
        if user.role in (Role.ADMIN, Role.LEADER, Role.CLERK):
            return self
        return self.filter(
            models.Q(lead_department_id=user.department_id)
            | models.Q(departments__id=user.department_id)
        ).distinct()


class PreReview(TimeStampedModel):
    """A light consultation before filing (预审, 1+3): the lead department and the consulted
    departments give their opinions; the outcome is attached to the later application."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="pre_reviews",
    )
    items = models.ManyToManyField(ServiceItem, verbose_name=_("items"), related_name="+")
    question = models.TextField(_("what the enterprise plans and asks"))
    lead_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("lead department"),
        on_delete=models.PROTECT,
        related_name="led_pre_reviews",
    )
    departments = models.ManyToManyField(
        "accounts.Department", verbose_name=_("consulted departments"), related_name="+"
    )
    requested_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    conclusion = models.TextField(_("conclusion"), blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)

    objects = PreReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("pre-review")
        verbose_name_plural = _("pre-reviews")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.created_at:%Y-%m-%d}"


class PreReviewOpinion(models.Model):
    pre_review = models.ForeignKey(PreReview, on_delete=models.CASCADE, related_name="opinions")
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opinion = models.TextField(_("opinion"))
    by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pre_review", "department"], name="one_opinion_per_department"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pre_review} / {self.department}"
