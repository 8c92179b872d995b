"""API of appeals (/api/v1/appeals/): list, raise, the enterprise's evaluation, the figures.
An appeal is a problem: it is read and moved (accept, answer) under /api/v1/problems/."""

from django.shortcuts import get_object_or_404
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from gaoxin.accounts.models import Department
from gaoxin.core.api_types import Id, IsoDate, Pagination, refuse_unknown_params
from gaoxin.core.excel import XLSX, xlsx_response
from gaoxin.core.permissions import api_permission
from gaoxin.dispatch import exports, selectors, services
from gaoxin.dispatch.api.base import found
from gaoxin.dispatch.api.problems import ProblemOut
from gaoxin.dispatch.appeal_forms import AppealFilter
from gaoxin.dispatch.models import AppealCategory, AppealChannel, ProblemState
from gaoxin.enterprises.models import Enterprise

__all__ = ["router"]

router = Router(tags=["appeals"])

XLSX_ANSWER = {
    "responses": {
        200: {
            "description": "The workbook (.xlsx)",
            "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


class AppealIn(Schema):
    enterprise: Id | None = Field(None, description="Staff only; an enterprise raises its own.")
    category: AppealCategory
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field(..., min_length=1, max_length=5000)
    channel: AppealChannel = AppealChannel.PORTAL
    hotline_number: str = Field("", max_length=30)
    policy_feedback: bool = False
    department: Id | None = None


class AppealEvaluationIn(Schema):
    satisfied: bool
    reasons: str = Field("", max_length=2000)


class AppealFilters(FilterSchema):
    q: str | None = None
    category: AppealCategory | None = None
    state: ProblemState | None = None
    channel: AppealChannel | None = None
    department: Id | None = None
    policy_feedback: bool | None = None


class AppealTallyOut(Schema):
    label: str
    total: int
    open: int
    answered: int
    on_time: int
    late: int
    on_time_rate: float | None
    satisfied: int
    evaluated: int
    satisfaction: float | None
    policy_feedback: int


class AppealFiguresOut(Schema):
    overall: AppealTallyOut
    by_category: list[AppealTallyOut]
    by_department: list[AppealTallyOut]


@router.get("/", response=list[ProblemOut], summary="List appeals")
@api_permission("dispatch.view_problem")
@paginate(Pagination, page_size=50)
def list_appeals(request, filters: Query[AppealFilters]):
    params = {k: v for k, v in filters.dict().items() if v is not None}
    return AppealFilter(params, queryset=selectors.appeals_for(request.auth)).qs


@router.post("/", response={201: ProblemOut}, summary="Raise an appeal (诉求)")
@api_permission("dispatch.add_appeal")
def raise_appeal(request, payload: AppealIn):
    user = request.auth
    data = payload.dict()
    pk = data.pop("enterprise")
    if user.enterprise_id is not None:
        enterprise = user.enterprise
    else:
        enterprise = found(Enterprise.objects.all(), pk, "enterprise")
    department = data.pop("department")
    if department is not None:
        department = found(Department.objects.filter(is_active=True), department, "department")
    appeal = services.appeal_raise(enterprise=enterprise, by=user, department=department, **data)
    return Status(201, appeal)


@router.post(
    "/{int:pk}/evaluate",
    response=ProblemOut,
    summary="Rate an answered appeal: satisfied confirms it, not satisfied (with reasons) "
    "reopens it",
)
@api_permission("dispatch.view_problem")
def evaluate_appeal(request, pk: int, payload: AppealEvaluationIn):
    appeal = get_object_or_404(selectors.appeals_for(request.auth), pk=pk)
    return services.appeal_evaluate(appeal=appeal, by=request.auth, **payload.dict())


@router.get("/figures", response=AppealFiguresOut, summary="Appeals per category and department")
@api_permission("dispatch.view_internal")
def appeal_figures(request, start: IsoDate | None = None, end: IsoDate | None = None):
    return selectors.appeal_figures(start=start, end=end)


@router.get(
    "/export",
    summary="Export the appeals as a workbook, the list's filters (导出诉求清单)",
    openapi_extra=XLSX_ANSWER,
)
@api_permission("dispatch.view_internal")
def export_appeals(request, filters: Query[AppealFilters]):
    refuse_unknown_params(request, AppealFilters)
    params = {k: v for k, v in filters.dict().items() if v is not None}
    rows = AppealFilter(params, queryset=selectors.appeals_for(request.auth)).qs
    return xlsx_response(*exports.appeals_workbook(rows))


@router.get(
    "/figures/export",
    summary="Export the appeal figures as a workbook (导出诉求统计)",
    openapi_extra=XLSX_ANSWER,
)
@api_permission("dispatch.view_internal")
def export_appeal_figures(request, start: IsoDate | None = None, end: IsoDate | None = None):
    figures = selectors.appeal_figures(start=start, end=end)
    return xlsx_response(*exports.appeal_figures_workbook(figures))
