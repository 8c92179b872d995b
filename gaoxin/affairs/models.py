"""Government services (政务服务, 一次办好). This first part: the catalogue of service items."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Role
from gaoxin.affairs.search import pinyin_key
from gaoxin.core.models import RestrictedQuerySet, TimeStampedModel, VersionedModel


class LimitUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    WORKING_HOURS = "working_hours", _("working hours")
    WORKING_MINUTES = "working_minutes", _("working minutes")


def in_force_for_agent(user, prefix: str = "authorization__") -> models.Q:
    """Rows carried by an authorisation of this agent that is in force today: every read an
    agent makes goes through it, so a revocation or an expiry takes effect at once."""
    today = timezone.localdate()
    return models.Q(
        **{
            f"{prefix}agent": user,
            f"{prefix}revoked_at__isnull": True,
            f"{prefix}valid_from__lte": today,
            f"{prefix}valid_until__gte": today,
        }
    )


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
    # The name's pinyin, initials and syllables ("qysldj qiyesheli…"), so applicants find an
    # item by typing "qysl" on a phone; kept in step with the name on every save.
    search_key = models.CharField(max_length=600, blank=True, editable=False)

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

    def save(self, *args, **kwargs):
        # A derived search index, not a rule: every path that saves an item keeps it true.
        self.search_key = pinyin_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)


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
        if user.role == Role.ENTERPRISE:
            return self.filter(enterprise_id=user.enterprise_id)
        if user.role == Role.AGENT:
            # An agent sees what it filed under an authorisation still in force.
            return self.filter(in_force_for_agent(user))
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
    deadline_certain = models.BooleanField(_("deadline certain"), default=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    pre_review = models.ForeignKey(
        "PreReview",
        verbose_name=_("pre-review"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The window that accepted the case (for its statistics), the agent's authorisation when
    # an agent filed it, and the bundle run and step it belongs to.
    window = models.ForeignKey(
        "Window",
        verbose_name=_("window"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    authorization = models.ForeignKey(
        "Authorization",
        verbose_name=_("authorisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    bundle_case = models.ForeignKey(
        "BundleCase", null=True, blank=True, on_delete=models.CASCADE, related_name="cases"
    )
    bundle_step = models.ForeignKey(
        "BundleStep", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Waivable materials the applicant asks to bring later (容缺); the window decides at
    # acceptance.
    deficiency_requested = models.ManyToManyField(
        Material, verbose_name=_("asked to bring later (容缺)"), blank=True, related_name="+"
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
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application} {self.from_state}→{self.to_state}"


class ReviewState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUPPLEMENT = "supplement", _("Waiting for supplements")
    # A department agrees or not; only the case as a whole is 准予许可 / 不予许可.
    APPROVED = "approved", _("Agreed")
    REJECTED = "rejected", _("Disagreed")


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
    # The department's own clock: it starts with the case's acceptance and stands still only
    # while this department waits for the supplements it asked for (or the whole case is
    # stopped for a hearing, testing, inspection or expert review).
    deadline = models.DateTimeField(_("deadline"))
    deadline_certain = models.BooleanField(_("deadline certain"), default=True)
    paused_minutes = models.PositiveIntegerField(default=0)
    paused_since = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reasons = models.TextField(_("reasons"), blank=True)

    class Meta:
        verbose_name = _("department review")
        verbose_name_plural = _("department reviews")
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
        verbose_name = _("supplement request")
        verbose_name_plural = _("supplement requests")
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
    # The applicant hands the materials in (supplied); the window checks them and either
    # accepts them (fulfilled: the commitment is met) or returns them with reasons.
    supplied_at = models.DateTimeField(null=True, blank=True)
    supplied_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_reasons = models.TextField(_("reasons for returning"), blank=True)
    unmet_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self) -> str:
        return f"{self.application} → {self.due_on}"


class CaseMaterial(models.Model):
    """A file the applicant handed in as one of the item's listed materials."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="case_materials"
    )
    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="+")
    attachment = models.OneToOneField("core.Attachment", on_delete=models.CASCADE, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case material")
        verbose_name_plural = _("case materials")
        ordering = ["material__order", "uploaded_at"]

    def __str__(self) -> str:
        return f"{self.application} / {self.material}"


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
        verbose_name = _("period not counted")
        verbose_name_plural = _("periods not counted")
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

    class Meta:
        verbose_name = _("time limit extension")
        verbose_name_plural = _("time limit extensions")

    def __str__(self) -> str:
        return f"{self.application} +{self.days}"


class PreReviewQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):
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
        verbose_name = _("pre-review opinion")
        verbose_name_plural = _("pre-review opinions")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pre_review", "department"], name="one_opinion_per_department"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pre_review} / {self.department}"


# --- the enterprise service desk: windows and appointments (预约服务) ------------------------


class Window(TimeStampedModel):
    """A service window (窗口) of the hall and the items it serves."""

    number = models.CharField(_("window number"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="windows",
    )
    location = models.CharField(_("location"), max_length=100, blank=True)
    items = models.ManyToManyField(
        ServiceItem, verbose_name=_("items served"), related_name="windows", blank=True
    )
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=30)
    slot_capacity = models.PositiveSmallIntegerField(_("places per slot"), default=2)
    # How late a booking may still be cancelled or moved before its slot starts.
    cancel_until_minutes = models.PositiveSmallIntegerField(
        _("cancel up to (minutes before)"), default=120
    )
    is_active = models.BooleanField(_("open"), default=True)

    class Meta:
        verbose_name = _("window")
        verbose_name_plural = _("windows")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(slot_minutes__gte=5, slot_capacity__gte=1),
                name="window_slots_sensible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class Slot(models.Model):
    """A time at a window with its places; ``booked`` is kept by conditional updates so two
    people can never take the last place together."""

    window = models.ForeignKey(Window, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(_("places"))
    booked = models.PositiveSmallIntegerField(_("booked"), default=0)
    off_hours = models.BooleanField(_("outside office hours"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    opened_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["starts_at", "window"]
        constraints = [
            models.UniqueConstraint(fields=["window", "starts_at"], name="one_slot_per_time"),
            models.CheckConstraint(
                condition=models.Q(booked__lte=models.F("capacity")), name="slot_not_overbooked"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.window.number} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def free(self) -> int:
        return self.capacity - self.booked


class AppointmentState(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    CHECKED_IN = "checked_in", _("Checked in")
    NO_SHOW = "no_show", _("Did not come")


class AppointmentQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):
        if user.role == Role.ENTERPRISE:
            return self.filter(enterprise_id=user.enterprise_id)
        if user.role == Role.AGENT:
            # What it booked, and only while the authorisation it booked under is in force.
            return self.filter(in_force_for_agent(user), booked_by=user)
        if user.role in (Role.ADMIN, Role.LEADER, Role.CLERK):
            return self
        return self.filter(slot__window__department_id=user.department_id)


class Appointment(TimeStampedModel):
    """A booking (预约) of a place in a slot by an enterprise, or its agent for it."""

    number = models.CharField(_("booking number"), max_length=20, unique=True)
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="appointments")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    booked_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    authorization = models.ForeignKey(
        "Authorization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=AppointmentState.choices,
        default=AppointmentState.BOOKED,
        db_index=True,
    )
    note = models.CharField(_("what it is about"), max_length=200, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    rescheduled_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="rescheduled_to"
    )

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["slot__starts_at", "id"]
        constraints = [
            # One place per enterprise in a slot, however its requests (or its agent's) arrive.
            models.UniqueConstraint(
                fields=["slot", "enterprise"],
                condition=models.Q(state="booked"),
                name="one_booking_per_enterprise_and_slot",
            ),
        ]

    def __str__(self) -> str:
        return self.number


# --- bundles (一件事) -------------------------------------------------------------------------


class Bundle(TimeStampedModel):
    """Several items done as one (一件事), in order, against one promise end to end."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    promised_limit = models.PositiveSmallIntegerField(_("promised limit"))
    promised_unit = models.CharField(
        _("unit of the promised limit"),
        max_length=16,
        choices=LimitUnit.choices,
        default=LimitUnit.WORKING_DAYS,
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("bundle")
        verbose_name_plural = _("bundles")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class BundleStep(models.Model):
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    after = models.ManyToManyField(
        "self", symmetrical=False, blank=True, verbose_name=_("comes after"), related_name="+"
    )

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["bundle", "order"]
        constraints = [
            models.UniqueConstraint(fields=["bundle", "item"], name="bundle_item_once"),
            models.UniqueConstraint(fields=["bundle", "order"], name="bundle_order_once"),
        ]

    def __str__(self) -> str:
        return f"{self.bundle} #{self.order} {self.item.name}"


class BundleCaseState(models.TextChoices):
    OPEN = "open", _("In progress")
    DONE = "done", _("Done")
    STOPPED = "stopped", _("Stopped")


class BundleCaseQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):
        if user.role == Role.ENTERPRISE:
            return self.filter(enterprise_id=user.enterprise_id)
        if user.role == Role.AGENT:
            return self.filter(in_force_for_agent(user))
        if user.role in (Role.ADMIN, Role.LEADER, Role.CLERK):
            return self
        return self.filter(cases__reviews__department_id=user.department_id).distinct()


class BundleCase(TimeStampedModel):
    """One enterprise's run of a bundle: each step a case of the core workflow."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    bundle = models.ForeignKey(
        Bundle, verbose_name=_("bundle"), on_delete=models.PROTECT, related_name="cases"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="bundle_cases",
    )
    applicant = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    authorization = models.ForeignKey(
        "Authorization", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=8, choices=BundleCaseState.choices, default=BundleCaseState.OPEN
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    limit_minutes = models.PositiveIntegerField()
    deadline = models.DateTimeField(_("deadline"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = BundleCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("bundle case")
        verbose_name_plural = _("bundle cases")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return self.number


# --- agency (代办委托) -------------------------------------------------------------------------


class AuthorizationQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):
        if user.role == Role.ENTERPRISE:
            return self.filter(enterprise_id=user.enterprise_id)
        if user.role == Role.AGENT:
            return self.filter(agent=user)
        return self

    def active_on(self, day):
        return self.filter(valid_from__lte=day, valid_until__gte=day, revoked_at__isnull=True)


class AuthorizationScope(models.TextChoices):
    ITEMS = "items", _("Listed items")
    PROJECT = "project", _("Everything about one project")


class Authorization(TimeStampedModel):
    """An enterprise's authorisation (代办委托书) of an agent, for a scope and a period;
    revocable."""

    number = models.CharField(_("number"), max_length=30, unique=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="authorizations",
    )
    agent = models.ForeignKey(
        "accounts.User",
        verbose_name=_("agent"),
        on_delete=models.PROTECT,
        related_name="authorizations",
    )
    scope = models.CharField(_("scope"), max_length=8, choices=AuthorizationScope.choices)
    items = models.ManyToManyField(ServiceItem, verbose_name=_("items"), blank=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    signatory = models.CharField(_("signed for the enterprise by"), max_length=50)
    granted_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = AuthorizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("authorisation")
        verbose_name_plural = _("authorisations")
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="authorization_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.enterprise} → {self.agent}"

    def active_on(self, day) -> bool:
        return self.revoked_at is None and self.valid_from <= day <= self.valid_until


# --- ratings (好差评) ---------------------------------------------------------------------------


class RatingLevel(models.IntegerChoices):
    """The national five levels; the bottom two are bad ratings (差评)."""

    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    BASICALLY_SATISFIED = 3, _("Basically satisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


BAD_LEVELS = (RatingLevel.DISSATISFIED, RatingLevel.VERY_DISSATISFIED)


class Rating(models.Model):
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="rating")
    level = models.PositiveSmallIntegerField(_("rating"), choices=RatingLevel.choices)
    reasons = models.TextField(_("reasons"), blank=True)
    by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Not rated within the period: counted as satisfied, and marked so.
    defaulted = models.BooleanField(_("counted by default"), default=False)
    rated_at = models.DateTimeField(_("rated at"))

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-rated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="rating_level_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.get_level_display()}"

    @property
    def is_bad(self) -> bool:
        return self.level in BAD_LEVELS


class RemediationQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):
        if user.role == Role.ENTERPRISE:
            return self.filter(rating__application__enterprise_id=user.enterprise_id)
        if user.role in (Role.ADMIN, Role.LEADER, Role.CLERK):
            return self
        return self.filter(department_id=user.department_id)


class Remediation(TimeStampedModel):
    """A bad rating's follow-up (整改): the department replies by the deadline and visits the
    enterprise again; the enterprise sees both."""

    rating = models.OneToOneField(Rating, on_delete=models.CASCADE, related_name="remediation")
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="remediations",
    )
    due_on = models.DateField(_("due on"))
    reply = models.TextField(_("reply and measures"), blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_visit = models.TextField(_("return visit"), blank=True)
    visited_at = models.DateTimeField(null=True, blank=True)
    visited_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RemediationQuerySet.as_manager()

    class Meta:
        verbose_name = _("remediation")
        verbose_name_plural = _("remediations")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.rating}"
