"""The enterprise register: enterprises known to the zone, their industry, cluster and contacts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.core.fields import BlindIndexField, EncryptedCharField
from gaoxin.core.models import RestrictedQuerySet, TimeStampedModel, VersionedModel
from gaoxin.enterprises.validators import validate_uscc


class Cluster(TimeStampedModel, VersionedModel):
    """An industrial cluster (产业集群); the reference zone runs three."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("industrial cluster")
        verbose_name_plural = _("industrial clusters")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class IndustryCode(models.Model):
    """GB/T 4754-2017 national industry classification: sections (A–T) and divisions (01–97)."""

    class Level(models.TextChoices):
        SECTION = "section", _("Section")
        DIVISION = "division", _("Division")

    code = models.CharField(_("code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("industry code")
        verbose_name_plural = _("industry codes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class EnterpriseSize(models.TextChoices):
    MICRO = "micro", _("Micro")
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")
    LARGE = "large", _("Large")


class EnterpriseQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):
        if user.is_zone_staff:
            return self
        return self.filter(pk=user.enterprise_id)


class Enterprise(TimeStampedModel, VersionedModel):
    """An enterprise known to the zone, identified by its unified social credit code."""

    name = models.CharField(_("name"), max_length=200)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_uscc],
        help_text=_("18 characters, GB 32100-2015, with a valid check character."),
    )
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    industry = models.ForeignKey(
        IndustryCode,
        verbose_name=_("industry (GB/T 4754)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
        limit_choices_to={"level": IndustryCode.Level.DIVISION},
    )
    cluster = models.ForeignKey(
        Cluster,
        verbose_name=_("industrial cluster"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    origin_region = models.CharField(
        _("origin region"),
        max_length=100,
        blank=True,
        help_text=_("Where the investor comes from, e.g. 江苏省苏州市."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    registered_capital = models.DecimalField(
        _("registered capital (10k CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    is_dishonest = models.BooleanField(
        _("on the dishonesty list"),
        default=False,
        help_text=_(
            "Listed as a dishonest party (失信); such enterprises cannot use "
            "conditional acceptance."
        ),
    )
    notes = models.TextField(_("notes"), blank=True)
    # The register at scale (issue 20): size, people, land and the liaison officer (包联干部).
    size = models.CharField(_("size"), max_length=8, choices=EnterpriseSize.choices, blank=True)
    headcount = models.PositiveIntegerField(_("headcount"), null=True, blank=True)
    land_mu = models.DecimalField(
        _("land (mu)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    in_zone = models.BooleanField(
        _("located in the zone"),
        null=True,
        blank=True,
        help_text=_("Empty when not known; policies that require it cannot decide without it."),
    )
    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("liaison officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="liaison_enterprises",
    )

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name


class ContactQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):
        if user.is_zone_staff:
            return self
        return self.filter(enterprise_id=user.enterprise_id)


class EnterpriseContact(TimeStampedModel):
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("position"), max_length=50, blank=True)
    phone = EncryptedCharField(_("phone"), max_length=20, blank=True)  # core.fields
    phone_hash = BlindIndexField(of="phone", db_index=True)
    email = models.EmailField(_("email"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_primary", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.enterprise})"


class QualificationType(models.Model):
    """A qualification the zone tracks (高新技术企业, 科技型中小企业, 专精特新 …); the admin adds
    others."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    remind_days = models.PositiveSmallIntegerField(_("remind days before expiry"), default=60)
    is_active = models.BooleanField(_("active"), default=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("qualification type")
        verbose_name_plural = _("qualification types")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class QualificationQuerySet(RestrictedQuerySet):
    def visible_to(self, user, action):
        if user.is_zone_staff:
            return self
        return self.filter(enterprise_id=user.enterprise_id)

    def held_on(self, day):
        return self.filter(valid_from__lte=day).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day)
        )


class Qualification(TimeStampedModel):
    """A qualification an enterprise holds from one date to another (an empty end: no expiry)."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="qualifications",
    )
    type = models.ForeignKey(
        QualificationType,
        verbose_name=_("qualification"),
        on_delete=models.PROTECT,
        related_name="qualifications",
    )
    certificate_number = models.CharField(_("certificate number"), max_length=60, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    reminded_on = models.DateField(_("expiry reminder sent on"), null=True, blank=True)

    objects = QualificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["enterprise", "type", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="qualification_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["type", "valid_from", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.type}"

    def held_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)
