"""Innovation platforms (研究院, 公共技术平台 …) with their partners and the enterprises they
serve, technology transfer deals, and matchmaking events whose on-site signings feed the
project register."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models import RestrictedQuerySet, TimeStampedModel, VersionedModel


class PlatformKind(models.TextChoices):
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")
    PUBLIC_TECHNOLOGY = "public_technology", _("Public technology platform")
    TECH_TRANSFER = "tech_transfer", _("Technology transfer centre")
    INVESTMENT_FINANCING = "investment_financing", _("Investment and financing platform")


class Platform(TimeStampedModel, VersionedModel):
    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=PlatformKind.choices)
    partners = models.CharField(_("partner universities and academies"), max_length=300, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    services = models.TextField(_("services"), blank=True)
    building = models.ForeignKey(
        "spaces.Building",
        verbose_name=_("building"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="platforms",
    )
    enterprises_served = models.ManyToManyField(
        "enterprises.Enterprise", verbose_name=_("enterprises served"), blank=True
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class TransferDeal(TimeStampedModel):
    """A technology transfer deal (成果转化) brokered by a platform."""

    platform = models.ForeignKey(
        Platform, verbose_name=_("platform"), on_delete=models.PROTECT, related_name="deals"
    )
    title = models.CharField(_("technology"), max_length=200)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="transfer_deals",
    )
    amount = models.DecimalField(_("amount (10k CNY)"), max_digits=12, decimal_places=2)
    signed_on = models.DateField(_("signed on"))

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("technology transfer deal")
        verbose_name_plural = _("technology transfer deals")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="deal_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EventKind(models.TextChoices):
    MATCHMAKING = "matchmaking", _("Matchmaking (投融资对接)")
    PROMOTION = "promotion", _("Investment promotion (推介会)")


class Event(TimeStampedModel, VersionedModel):
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    held_on = models.DateField(_("held on"))
    venue = models.CharField(_("venue"), max_length=150, blank=True)
    organiser = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    participants = models.ManyToManyField(
        "enterprises.Enterprise", verbose_name=_("participating enterprises"), blank=True
    )
    guests = models.TextField(_("other participants"), blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.name


class Signing(TimeStampedModel):
    """A project signed on site at an event (现场签约): it is in the register as signed, with
    the event as its channel."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="signings")
    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="signing",
    )
    signed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("on-site signing")
        verbose_name_plural = _("on-site signings")
        ordering = ["event", "id"]

    def __str__(self) -> str:
        return f"{self.event}: {self.project}"
