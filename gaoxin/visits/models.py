"""Visits (走访) by liaison officers (包联干部): the rules (visits a year, days without contact),
the plan, and the records with the appeals they raised."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models import RestrictedQuerySet, TimeStampedModel, VersionedModel


class VisitRules(VersionedModel):
    """The zone's rules of liaison, one row the admin edits."""

    visits_per_year = models.PositiveSmallIntegerField(
        _("visits per enterprise per year"), default=4
    )
    no_contact_days = models.PositiveSmallIntegerField(
        _("days without contact before an enterprise is flagged"), default=90
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit rules")
        verbose_name_plural = _("visit rules")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class VisitKind(models.TextChoices):
    ON_SITE = "on_site", _("On-site visit")
    PHONE = "phone", _("Phone call")
    ONLINE = "online", _("Online meeting")
    MEETING = "meeting", _("Meeting at the zone")


class VisitQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):
        if user.is_zone_staff:
            return self
        return self.filter(enterprise_id=user.enterprise_id)


class Visit(TimeStampedModel):
    """One contact with an enterprise: who, when, how, what was said and raised."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visited by"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    visited_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=VisitKind.choices)
    met = models.CharField(_("people met"), max_length=200, blank=True)
    notes = models.TextField(_("what was discussed"))
    appeals = models.ManyToManyField(
        "dispatch.Problem", verbose_name=_("appeals raised"), blank=True, related_name="visits"
    )

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["enterprise", "visited_on"])]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.visited_on}"


class PlannedVisitQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):
        if user.is_zone_staff:
            return self
        return self.none()


class PlannedVisit(models.Model):
    """A visit in a liaison's plan; done when a visit to the enterprise is recorded in its
    window (from the planned date to the next planned one)."""

    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("liaison officer"),
        on_delete=models.CASCADE,
        related_name="planned_visits",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="planned_visits",
    )
    planned_on = models.DateField(_("planned on"))
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="planned"
    )

    objects = PlannedVisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("planned visit")
        verbose_name_plural = _("planned visits")
        ordering = ["planned_on", "enterprise"]
        constraints = [
            models.UniqueConstraint(
                fields=["liaison", "enterprise", "planned_on"], name="one_planned_visit_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.planned_on}"
