"""Key-project dispatch. This first part: the problem list (问题清单) that chases every
blockage of a project to its end."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Role
from gaoxin.core.models import RestrictedQuerySet, TimeStampedModel, VersionedModel
from gaoxin.projects.stages import Phase


class ProblemKind(models.TextChoices):
    BLOCKAGE = "blockage", _("Blockage (堵点)")
    BOTTLENECK = "bottleneck", _("Bottleneck (卡点)")
    HARD = "hard", _("Hard problem (难点)")


class ProblemState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CONFIRMED = "confirmed", _("Confirmed")
    REOPENED = "reopened", _("Reopened")


class AppealCategory(models.TextChoices):
    POLICY = "policy", _("Policy")
    LAND = "land", _("Land")
    UTILITIES = "utilities", _("Utilities (water, power, gas)")
    FINANCE = "finance", _("Finance")
    TALENT = "talent", _("Talent")
    APPROVALS = "approvals", _("Approvals")
    OTHER = "other", _("Other")


class AppealChannel(models.TextChoices):
    PROJECT = "project", _("Project dispatch")
    PORTAL = "portal", _("Enterprise portal")
    PHONE = "phone", _("Phone call")
    VISIT = "visit", _("Visit")
    HOTLINE = "hotline", _("12345 hotline")
    STAFF = "staff", _("Recorded by staff")


OPEN_STATES = (
    ProblemState.SUBMITTED,
    ProblemState.ACCEPTED,
    ProblemState.IN_PROGRESS,
    ProblemState.REOPENED,
)


class ProblemQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):

        if user.role in (Role.ADMIN, Role.LEADER):
            return self
        if user.role == Role.ENTERPRISE:
            return self.filter(
                models.Q(enterprise_id=user.enterprise_id)
                | models.Q(project__enterprise_id=user.enterprise_id)
            )
        if action == "view":  # staff read the list of the projects they can see
            return self
        # Changes: the department the problem is assigned to, or the project's steward.
        return self.filter(
            models.Q(department_id=user.department_id) | models.Q(project__steward=user)
        )

    def open(self):
        return self.filter(state__in=OPEN_STATES)


class Problem(TimeStampedModel, VersionedModel):
    """A problem blocking a project, or an enterprise's appeal (诉求), raised by staff or by the
    enterprise, chased to the end. One mechanism for both: a project's problem is an appeal
    linked to a project (its enterprise, once registered); an appeal has an enterprise and no
    project."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="problems",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ProblemKind.choices, blank=True)
    category = models.CharField(
        _("category"), max_length=12, choices=AppealCategory.choices, blank=True, db_index=True
    )
    policy_feedback = models.BooleanField(_("policy feedback"), default=False)
    channel = models.CharField(
        _("channel"), max_length=10, choices=AppealChannel.choices, default=AppealChannel.PROJECT
    )
    hotline_number = models.CharField(_("12345 ticket number"), max_length=30, blank=True)
    satisfied = models.BooleanField(_("satisfied"), null=True, blank=True)
    evaluation_reasons = models.TextField(_("evaluation reasons"), blank=True)
    evaluated_at = models.DateTimeField(_("evaluated at"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("assigned department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    limit_days = models.PositiveSmallIntegerField(
        _("time limit (working days)"), null=True, blank=True
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_certain = models.BooleanField(_("deadline certain"), default=True)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=ProblemState.choices,
        default=ProblemState.SUBMITTED,
        db_index=True,
    )
    resolution = models.TextField(_("resolution"), blank=True)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["-created_at", "-id"]
        constraints = [
            # An appeal without a project names its enterprise.
            models.CheckConstraint(
                condition=models.Q(project__isnull=False) | models.Q(enterprise__isnull=False),
                name="problem_has_project_or_enterprise",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_appeal(self) -> bool:
        return self.project_id is None

    @property
    def subject(self):
        """What the problem concerns: its project, else the enterprise of the appeal."""
        return self.project if self.project_id else self.enterprise


class StepKind(models.TextChoices):
    STATE = "state", _("State change")
    ESCALATION = "escalation", _("Escalation")
    HAND_BACK = "hand_back", _("Handed back")
    REASSIGN = "reassign", _("Moved to another department")


# Steps that are internal coordination: shown to zone staff only (docs/security.md).
INTERNAL_STEP_KINDS = (StepKind.ESCALATION, StepKind.HAND_BACK, StepKind.REASSIGN)


class ProblemStep(models.Model):
    """One step of a problem's life: a state change, an escalation, a hand-back by the
    assigned department or a move to another department by the coordinating office."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=10, choices=StepKind.choices, default=StepKind.STATE)
    # The department a problem was moved to (REASSIGN) or handed back by (HAND_BACK).
    department = models.ForeignKey(
        "accounts.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_state = models.CharField(max_length=12, choices=ProblemState.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=ProblemState.choices, blank=True)
    escalation_level = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("problem step")
        verbose_name_plural = _("problem steps")
        ordering = ["at", "id"]
        constraints = [
            # Each escalation level happens once per problem: a second scheduler run cannot
            # escalate twice.
            models.UniqueConstraint(
                fields=["problem", "escalation_level"],
                condition=models.Q(escalation_level__isnull=False),
                name="one_escalation_per_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.problem} {self.from_state}→{self.to_state}"


class SupervisionQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):

        if user.role in (Role.ADMIN, Role.LEADER):
            return self
        if user.role == Role.ENTERPRISE:
            return self.none()
        return self.filter(problem__department_id=user.department_id)


class Supervision(TimeStampedModel):
    """A formal supervision notice (督办单) a leader issues on a problem, with its own deadline
    and the department's written reply."""

    problem = models.ForeignKey(
        Problem, verbose_name=_("problem"), on_delete=models.CASCADE, related_name="supervisions"
    )
    number = models.CharField(_("number"), max_length=30, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    demand = models.TextField(_("demand"))
    limit_days = models.PositiveSmallIntegerField(_("time limit (working days)"))
    deadline = models.DateField(_("deadline"))
    reply = models.TextField(_("reply"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replied by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    objects = SupervisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.number


# --- key projects and 五个一 -----------------------------------------------------------------


class KeyProjectQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):

        if user.role in (Role.ADMIN, Role.LEADER):
            return self
        if user.role == Role.ENTERPRISE:
            return self.filter(project__enterprise_id=user.enterprise_id)
        if action == "view":
            return self
        # Changes: the lead department, the project's steward, the task force.
        return self.filter(
            models.Q(lead_department_id=user.department_id)
            | models.Q(project__steward=user)
            | models.Q(task_force__user=user)
        ).distinct()


class KeyProject(TimeStampedModel, VersionedModel):
    """A project on one year's key-project list, with its 五个一: the sponsor leader (包保),
    the lead department, the task force and the implementation plan."""

    year = models.PositiveSmallIntegerField(_("year"))
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="key_listings",
    )
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sponsor leader"),
        on_delete=models.PROTECT,
        related_name="sponsored_key_projects",
    )
    lead_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("lead department"),
        on_delete=models.PROTECT,
        related_name="key_projects",
    )
    plan_start = models.DateField(_("plan starts on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = KeyProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("key project")
        verbose_name_plural = _("key projects")
        ordering = ["-year", "project__name"]
        constraints = [
            models.UniqueConstraint(fields=["year", "project"], name="one_listing_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.project}"


class TaskForceRole(models.TextChoices):
    LEAD = "lead", _("Team leader")
    DEPUTY = "deputy", _("Deputy leader")
    MEMBER = "member", _("Member")
    LIAISON = "liaison", _("Liaison")


class TaskForceMember(models.Model):
    """One member of a key project's task force (工作专班)."""

    key_project = models.ForeignKey(KeyProject, on_delete=models.CASCADE, related_name="task_force")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="task_forces",
    )
    role = models.CharField(_("role"), max_length=10, choices=TaskForceRole.choices)
    duty = models.CharField(_("duty"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("task force member")
        verbose_name_plural = _("task force members")
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["key_project", "user"], name="one_seat_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class PlanTemplate(models.Model):
    """The usual node flow of a kind of project, from which a plan starts."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("plan template")
        verbose_name_plural = _("plan templates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PlanTemplateStep(models.Model):
    template = models.ForeignKey(PlanTemplate, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=100)
    duration_days = models.PositiveSmallIntegerField(_("duration (working days)"))
    # Steps that must finish first; steps with the same predecessors run in parallel.
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, blank=True, verbose_name=_("depends on")
    )
    marks_start = models.BooleanField(_("marks the construction start"), default=False)

    class Meta:
        verbose_name = _("plan template step")
        verbose_name_plural = _("plan template steps")
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "order"], name="one_step_per_order"),
        ]

    def __str__(self) -> str:
        return self.name


class Milestone(TimeStampedModel, VersionedModel):
    """A dated node of a key project's implementation plan (实施方案 / 节点计划)."""

    key_project = models.ForeignKey(
        KeyProject,
        verbose_name=_("key project"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=100)
    duration_days = models.PositiveSmallIntegerField(_("duration (working days)"))
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, blank=True, verbose_name=_("depends on")
    )
    marks_start = models.BooleanField(_("marks the construction start"), default=False)
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    planned_certain = models.BooleanField(default=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["key_project", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["key_project", "order"], name="one_milestone_per_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_done(self) -> bool:
        return self.actual_end is not None


# --- 1+N service matters ---------------------------------------------------------------------


class MatterMode(models.TextChoices):
    ESCORT = "escort", _("Escort (跟踪帮办)")
    SUPERVISE = "supervise", _("Coordinate and supervise (协调督办)")
    JOINT = "joint", _("Joint handling (部门联办)")


class MatterState(models.TextChoices):
    OPEN = "open", _("In hand")
    DONE = "done", _("Done")


class ServiceMatterQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):

        if user.role in (Role.ADMIN, Role.LEADER):
            return self
        if user.role == Role.ENTERPRISE:
            return self.filter(key_project__project__enterprise_id=user.enterprise_id)
        if action == "view":
            return self
        return self.filter(
            models.Q(parts__department_id=user.department_id)
            | models.Q(key_project__lead_department_id=user.department_id)
            | models.Q(key_project__project__steward=user)
        ).distinct()


class ServiceMatter(TimeStampedModel, VersionedModel):
    """One of the N service matters handled for a key project (1+N)."""

    key_project = models.ForeignKey(
        KeyProject,
        verbose_name=_("key project"),
        on_delete=models.CASCADE,
        related_name="matters",
    )
    title = models.CharField(_("title"), max_length=200)
    mode = models.CharField(_("mode"), max_length=10, choices=MatterMode.choices)
    description = models.TextField(_("description"), blank=True)
    deadline = models.DateField(_("deadline"))
    state = models.CharField(
        _("state"), max_length=6, choices=MatterState.choices, default=MatterState.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = ServiceMatterQuerySet.as_manager()

    class Meta:
        verbose_name = _("service matter")
        verbose_name_plural = _("service matters")
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return self.title


class MatterPart(models.Model):
    """One department's part of a service matter (for joint handling, each has its own)."""

    matter = models.ForeignKey(ServiceMatter, on_delete=models.CASCADE, related_name="parts")
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="matter_parts",
    )
    task = models.CharField(_("its part"), max_length=300, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("matter part")
        verbose_name_plural = _("matter parts")
        ordering = ["department__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["matter", "department"], name="one_part_per_department"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matter} / {self.department}"


class MatterAction(models.Model):
    """The log of a service matter: what was done, by whom, for which department's part."""

    matter = models.ForeignKey(ServiceMatter, on_delete=models.CASCADE, related_name="actions")
    part = models.ForeignKey(MatterPart, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.TextField(_("note"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("matter action")
        verbose_name_plural = _("matter actions")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.note[:60]


# --- progress dispatch ----------------------------------------------------------------------


class PeriodKind(models.TextChoices):
    WEEK = "week", _("Week")
    MONTH = "month", _("Month")


class DispatchPeriod(models.Model):
    """A week or month for which every key project of its year files a progress report."""

    kind = models.CharField(_("kind"), max_length=5, choices=PeriodKind.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    due = models.DateField(_("reports due"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("dispatch period")
        verbose_name_plural = _("dispatch periods")
        ordering = ["-start", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "start"], name="one_period_per_start"),
        ]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d}–{self.end:%Y-%m-%d}"


class ProgressReport(TimeStampedModel):
    """A key project's progress report for one dispatch period: done, next, problems."""

    period = models.ForeignKey(
        DispatchPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="reports"
    )
    key_project = models.ForeignKey(
        KeyProject,
        verbose_name=_("key project"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    done = models.TextField(_("done this period"))
    next = models.TextField(_("planned next"))
    problems = models.TextField(_("problems"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_on = models.DateField(_("filed on"))

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["period", "key_project"]
        constraints = [
            models.UniqueConstraint(fields=["period", "key_project"], name="one_report_per_period"),
        ]

    @property
    def on_time(self) -> bool:
        return self.filed_on <= self.period.due


class DispatchMeeting(TimeStampedModel):
    """A dispatch meeting (调度会): who attended and what was decided."""

    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    chaired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chaired by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("attendees"), related_name="dispatch_meetings"
    )
    minutes = models.TextField(_("minutes"), blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("dispatch meeting")
        verbose_name_plural = _("dispatch meetings")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class DecisionTaskQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):

        if user.role in (Role.ADMIN, Role.LEADER) or action == "view":
            return self
        return self.filter(models.Q(owner=user) | models.Q(department_id=user.department_id))

    def open(self):
        return self.filter(done_on__isnull=True)


class DecisionTask(TimeStampedModel):
    """A decision of a dispatch meeting, tracked as a task with an owner and a deadline."""

    meeting = models.ForeignKey(
        DispatchMeeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    key_project = models.ForeignKey(
        KeyProject,
        verbose_name=_("key project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    decision = models.TextField(_("decision"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="decision_tasks",
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decision_tasks",
    )
    deadline = models.DateField(_("deadline"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)

    objects = DecisionTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision task")
        verbose_name_plural = _("decision tasks")
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return self.decision[:60]


# --- lights, the monthly list and assessment ------------------------------------------------


class LightSettings(VersionedModel):
    """The thresholds of the traffic lights (one row, admin-set)."""

    yellow_within_days = models.PositiveSmallIntegerField(
        _("yellow within (working days of a deadline)"), default=2
    )
    lag_yellow_points = models.PositiveSmallIntegerField(
        _("schedule lag for yellow (points)"), default=10
    )
    lag_red_points = models.PositiveSmallIntegerField(
        _("schedule lag for red (points)"), default=30
    )
    not_started_red_months = models.PositiveSmallIntegerField(
        _("red when not started this many months after the planned start"), default=3
    )
    # A key project's open problems: an overdue problem and an unanswered supervision notice
    # make its light at least this colour (issue 18).
    overdue_problem_light = models.CharField(
        _("light of a key project with an overdue problem"),
        max_length=6,
        choices=[("yellow", _("Yellow")), ("red", _("Red"))],
        default="red",
    )
    open_supervision_light = models.CharField(
        _("light of a key project with an open supervision notice"),
        max_length=6,
        choices=[("yellow", _("Yellow")), ("red", _("Red"))],
        default="yellow",
    )

    class Meta:
        verbose_name = _("light thresholds")
        verbose_name_plural = _("light thresholds")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class LightListEntry(models.Model):
    """A key project on a month's published red/yellow list, with the reasons, frozen at the
    month's end so the list stays what was published."""

    month = models.DateField(_("month"))
    key_project = models.ForeignKey(KeyProject, on_delete=models.CASCADE, related_name="+")
    light = models.CharField(_("light"), max_length=6)
    reasons = models.JSONField(default=list)
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("light list entry")
        verbose_name_plural = _("light list entries")
        ordering = ["month", "light", "key_project"]
        constraints = [
            models.UniqueConstraint(fields=["month", "key_project"], name="one_entry_per_month"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.key_project} {self.light}"


class Indicator(models.TextChoices):
    SIGNINGS = "signings", _("Signings")
    STARTS = "starts", _("Construction starts")
    VISITS = "visits", _("Visits and talks")
    PROBLEMS_ON_TIME = "problems_on_time", _("Problems solved on time (%)")
    REPORTS_ON_TIME = "reports_on_time", _("Reports filed on time (%)")


class AssessmentWeight(VersionedModel):
    """The weight of one indicator in the comprehensive assessment (综合考评), admin-set."""

    indicator = models.CharField(
        _("indicator"), max_length=20, choices=Indicator.choices, unique=True
    )
    weight = models.PositiveSmallIntegerField(_("weight"))

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment weight")
        verbose_name_plural = _("assessment weights")
        ordering = ["indicator"]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()}: {self.weight}"


# --- stewards and the ledger ----------------------------------------------------------------
# (A change of steward, StewardHandover, is the project register's: gaoxin.projects.models.)


class ServiceLogEntry(models.Model):
    """One entry of a steward's service log for a project."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="service_log"
    )
    steward = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("steward"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    phase = models.CharField(_("phase"), max_length=8, choices=Phase.choices)
    on = models.DateField(_("date"))
    note = models.TextField(_("service given"))
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service log entry")
        verbose_name_plural = _("service log entries")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.project} {self.on}"


class LedgerEntryQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):

        if user.role == Role.ENTERPRISE:
            return self.filter(project__enterprise_id=user.enterprise_id)
        return self


class LedgerEntry(TimeStampedModel, VersionedModel):
    """A month's operating figures of a project in production (工作台账)."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="ledger",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    output_value = models.DecimalField(_("output value (10k CNY)"), max_digits=14, decimal_places=2)
    tax = models.DecimalField(_("tax paid (10k CNY)"), max_digits=14, decimal_places=2)
    employees = models.PositiveIntegerField(_("employees"))
    investment_completed = models.DecimalField(
        _("investment completed (10k CNY)"), max_digits=14, decimal_places=2, default=0
    )
    # For the yearly per-mu evaluation (亩均效益): empty means not reported, never zero, so a
    # month without them leaves the enterprise unscored rather than scored as wasteful.
    energy_tce = models.DecimalField(
        _("energy used (tonnes of standard coal)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    rd_spending = models.DecimalField(
        _("R&D spending (10k CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-month", "project"]
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="one_ledger_entry_per_month"),
            models.CheckConstraint(
                condition=models.Q(output_value__gte=0, tax__gte=0, investment_completed__gte=0),
                name="ledger_figures_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.month:%Y-%m}"
