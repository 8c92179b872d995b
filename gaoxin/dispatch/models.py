"""Key-project dispatch. This first part: the problem list (问题清单) that chases every
blockage of a project to its end."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models import RestrictedQuerySet, TimeStampedModel, VersionedModel


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


OPEN_STATES = (
    ProblemState.SUBMITTED,
    ProblemState.ACCEPTED,
    ProblemState.IN_PROGRESS,
    ProblemState.REOPENED,
)


class ProblemQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):
        from gaoxin.accounts.models import Role

        if user.role in (Role.ADMIN, Role.LEADER):
            return self
        if user.role == Role.ENTERPRISE:
            return self.filter(project__enterprise_id=user.enterprise_id)
        if action == "view":  # staff read the list of the projects they can see
            return self
        # Changes: the department the problem is assigned to, or the project's steward.
        return self.filter(
            models.Q(department_id=user.department_id) | models.Q(project__steward=user)
        )

    def open(self):
        return self.filter(state__in=OPEN_STATES)


class Problem(TimeStampedModel, VersionedModel):
    """A problem blocking a project, raised by staff or by the enterprise, chased to the end."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="problems",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ProblemKind.choices)
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
    deadline_certain = models.BooleanField(default=True)
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

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class ProblemStep(models.Model):
    """One step of a problem's life: a state change, an escalation or a comment."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="steps")
    from_state = models.CharField(max_length=12, choices=ProblemState.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=ProblemState.choices, blank=True)
    escalation_level = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
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
        from gaoxin.accounts.models import Role

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
