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
