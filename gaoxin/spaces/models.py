"""Space the zone offers (载体): buildings, their units, and leases to enterprises."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Role
from gaoxin.core.models import RestrictedQuerySet, TimeStampedModel, VersionedModel


class BuildingKind(models.TextChoices):
    OFFICE = "office", _("Office")
    FACTORY = "factory", _("Factory")
    TALENT_APARTMENT = "talent_apartment", _("Talent apartment (人才公寓)")
    INCUBATOR = "incubator", _("Incubator (孵化器)")


class Building(TimeStampedModel, VersionedModel):
    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=BuildingKind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    # Where it stands on the battle map (挂图作战).
    plot = models.ForeignKey(
        "cockpit.Plot",
        verbose_name=_("plot on the zone map"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="buildings",
    )
    operator = models.CharField(_("operator"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Unit(TimeStampedModel, VersionedModel):
    """A lettable unit: an office suite, a factory bay, an apartment, an incubator room."""

    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="units")
    number = models.CharField(_("unit number"), max_length=30)
    floor = models.SmallIntegerField(_("floor"), default=1)
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=10, decimal_places=2)
    # Factories: what the floor carries, the power at hand, the clear height.
    floor_load_kn_m2 = models.DecimalField(
        _("floor load (kN/m²)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    power_kva = models.PositiveIntegerField(_("power (kVA)"), null=True, blank=True)
    clear_height_m = models.DecimalField(
        _("clear height (m)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    features = models.CharField(_("features"), max_length=200, blank=True)
    is_active = models.BooleanField(_("offered"), default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["building", "floor", "number"]
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="unit_number_once"),
            models.CheckConstraint(condition=models.Q(area_m2__gt=0), name="unit_area_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.building} {self.number}"


class LeaseQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):
        if user.role == Role.ENTERPRISE:
            return self.filter(enterprise_id=user.enterprise_id)
        return self

    def on(self, day):
        """Leases that hold their unit on ``day``."""
        return self.filter(starts_on__lte=day, ends_on__gte=day).exclude(terminated_on__lt=day)


class Lease(TimeStampedModel, VersionedModel):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="leases")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="leases",
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    # Rent in CNY per m² per month; shown to zone staff only.
    rent_m2_month = models.DecimalField(
        _("rent (CNY per m² per month)"), max_digits=8, decimal_places=2
    )
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    # An incubator tenant that leaves grown-up (毕业) rather than failed or moved.
    graduated = models.BooleanField(_("graduated"), default=False)
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    objects = LeaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("lease")
        verbose_name_plural = _("leases")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="lease_dates_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(rent_m2_month__gte=0), name="lease_rent_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} → {self.enterprise}"

    @property
    def last_day(self):
        return self.terminated_on or self.ends_on
