"""The zone map behind the battle map (挂图作战): the admin's GeoJSON of the zone's plots, and
which project stands on which plot. The cockpit otherwise only reads."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models import RestrictedQuerySet, TimeStampedModel


class ZoneMap(TimeStampedModel):
    """An uploaded GeoJSON FeatureCollection of plots; the newest is the one shown."""

    name = models.CharField(_("name"), max_length=100)
    geojson = models.JSONField(_("GeoJSON"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("zone map")
        verbose_name_plural = _("zone maps")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class Plot(models.Model):
    """A plot of land on the zone map, known by the code in its GeoJSON feature."""

    code = models.CharField(_("plot code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    area_mu = models.DecimalField(_("area (mu)"), max_digits=10, decimal_places=1, null=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("plot")
        verbose_name_plural = _("plots")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ProjectPlot(models.Model):
    """Where a project stands: one plot per project; a plot may hold several projects."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, related_name="plot_placement"
    )
    plot = models.ForeignKey(Plot, on_delete=models.PROTECT, related_name="placements")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("project placement")
        verbose_name_plural = _("project placements")

    def __str__(self) -> str:
        return f"{self.project} @ {self.plot.code}"
