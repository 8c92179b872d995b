"""The project register's workbooks over the API (/api/v1/projects/…/export): the list with the
list's filters (the same FilterSet as the page and GET /projects/) and a period's statistics
(the figures with their base period, the breakdown, the rates, the targets) — the pages'
workbooks (projects.exports), the pages' permissions."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router

from gaoxin.core.api_types import XLSX_ANSWER, IsoDate
from gaoxin.core.excel import xlsx_response
from gaoxin.core.permissions import api_permission
from gaoxin.projects import exports, stats
from gaoxin.projects.api import ProjectFilters, _querydict, refuse_invalid_filters
from gaoxin.projects.selectors import project_base, project_list

__all__ = ["router"]

router = Router(tags=["projects"])


@router.get(
    "/export",
    summary="Export the project list as filtered (导出项目清单)",
    openapi_extra=XLSX_ANSWER,
)
@api_permission("projects.view_project")
def projects_export(request, filters: Query[ProjectFilters]):
    params = {k: v for k, v in filters.dict().items() if v not in (None, [])}
    filterset, queryset = project_list(user=request.auth, params=_querydict(params))
    refuse_invalid_filters(filterset)
    return xlsx_response(*exports.projects_workbook(queryset))


@router.get(
    "/statistics/export",
    summary="Export a period's statistics with the base period (导出统计分析)",
    openapi_extra=XLSX_ANSWER,
)
@api_permission("projects.view_statistics")
def statistics_export(
    request,
    start: IsoDate,
    end: IsoDate,
    by: str = Query("cluster", pattern="^(cluster|channel|source_province|department|steward)$"),
):
    """A period running past today is counted to today and compared with the same span a year
    earlier, as on the page."""
    if end < start:
        raise ValidationError({"end": [_("The period ends before it starts.")]})
    summary = stats.summary(stats.Period(start, end), project_base(request.auth), dimension=by)
    return xlsx_response(*exports.statistics_workbook(summary, by))
