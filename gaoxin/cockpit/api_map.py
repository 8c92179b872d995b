"""The battle map (挂图作战) in the API: the plots with the projects placed on them, replacing
the zone map (a GeoJSON of plots), and placing a project on a plot or taking it off — the
battle map page's services (cockpit.services), the same checks and audit entries."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from gaoxin.cockpit import services
from gaoxin.cockpit.models import Plot, ProjectPlot
from gaoxin.core.permissions import api_permission
from gaoxin.projects.selectors import project_base

__all__ = ["router"]

router = Router(tags=["cockpit"])


class PlotOut(Schema):
    code: str
    name: str
    area_mu: Decimal | None = Field(None, description="Area in 亩 (mu)")
    projects: list[int] = Field(description="the projects placed on the plot")

    @staticmethod
    def resolve_projects(obj) -> list[int]:
        return [p.project_id for p in obj.placements.all()]


class ZoneMapOut(Schema):
    id: int
    name: str
    plots: int = Field(description="number of plots on the map")


class PlacementIn(Schema):
    plot: str | None = Field(
        None, max_length=30, description="the plot's code; null takes the project off the map"
    )


class PlacementOut(Schema):
    project: int
    plot: str | None


@router.get("/plots", response=list[PlotOut], summary="The zone map's plots (地块)")
@api_permission("cockpit.view_zonemap")
def list_plots(request):
    return Plot.objects.prefetch_related("placements")


@router.post(
    "/map",
    response={201: ZoneMapOut},
    summary="Replace the zone map with a GeoJSON of plots (上传园区地图)",
)
@api_permission("cockpit.add_zonemap")
def zone_map_upload(request, geojson: File[UploadedFile], name: Form[str] = ""):
    zone_map = services.zone_map_upload(
        raw=geojson.read(services.MAX_MAP_BYTES + 1), name=name[:100], by=request.auth
    )
    return Status(201, {"id": zone_map.pk, "name": zone_map.name, "plots": Plot.objects.count()})


@router.put(
    "/projects/{int:pk}/plot",
    response=PlacementOut,
    summary="Place a project on a plot, or take it off the map (项目落图)",
)
@api_permission("cockpit.change_projectplot")
def project_place(request, pk: int, payload: PlacementIn):
    project = get_object_or_404(project_base(request.auth), pk=pk)
    plot = None
    if payload.plot:
        plot = Plot.objects.filter(code=payload.plot).first()
        if plot is None:
            raise ValidationError({"plot": [_("Choose a project and a plot from the lists.")]})
    services.project_place(project=project, plot=plot, by=request.auth)
    placed = ProjectPlot.objects.filter(project=project).select_related("plot").first()
    return {"project": project.pk, "plot": placed.plot.code if placed else None}
