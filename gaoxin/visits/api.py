"""API of liaison and visits (/api/v1/visits/)."""

import datetime as dt
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from gaoxin.accounts.models import Department
from gaoxin.core.api_forms import clean_with
from gaoxin.core.api_types import Id, IsoDate, Pagination
from gaoxin.core.excel import XLSX, xlsx_response
from gaoxin.core.permissions import api_permission
from gaoxin.dispatch.api.base import found
from gaoxin.dispatch.models import AppealCategory
from gaoxin.enterprises.models import Enterprise
from gaoxin.visits import exports, selectors, services
from gaoxin.visits.forms import PlanForm
from gaoxin.visits.models import VisitKind

__all__ = ["router"]

router = Router(tags=["visits"])
# A year as a client may send it (2000–2100 is checked with the page's message).
Year = Annotated[int, Field(ge=1, le=9999)]

XLSX_ANSWER = {
    "responses": {
        200: {
            "description": "The workbook (.xlsx)",
            "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


class VisitOut(Schema):
    id: int
    enterprise: int = Field(..., alias="enterprise_id")
    visited_by: int = Field(..., alias="visited_by_id")
    visited_on: dt.date
    kind: VisitKind
    met: str
    notes: str


class VisitAppealIn(Schema):
    category: AppealCategory
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field(..., min_length=1, max_length=5000)
    department: Id | None = None
    policy_feedback: bool = False


class VisitIn(Schema):
    enterprise: Id
    visited_on: IsoDate
    kind: VisitKind
    met: str = Field("", max_length=200)
    notes: str = Field(..., min_length=1, max_length=10000)
    appeals: list[VisitAppealIn] = Field(default_factory=list, max_length=20)


class VisitNoContactOut(Schema):
    id: int
    name: str
    liaison: int | None = Field(None, alias="liaison_id")
    last_visit: dt.date | None


class VisitCoverageOut(Schema):
    label: str
    enterprises: int
    visited: int
    met_plan: int
    visits: int
    visited_pct: float | None
    met_plan_pct: float | None


@router.get("/", response=list[VisitOut], summary="Visits")
@api_permission("visits.view_visit")
@paginate(Pagination, page_size=50)
def list_visits(request):
    return selectors.visits_for(request.auth)


@router.post("/", response={201: VisitOut}, summary="Record a visit and the appeals it raised")
@api_permission("visits.add_visit")
def record_visit(request, payload: VisitIn):
    data = payload.dict()
    enterprise = found(Enterprise.objects.all(), data.pop("enterprise"), "enterprise")
    appeals = []
    for appeal in data.pop("appeals"):
        if appeal["department"] is not None:
            appeal["department"] = found(
                Department.objects.filter(is_active=True), appeal["department"], "department"
            )
        appeals.append(appeal)
    visit = services.visit_record(enterprise=enterprise, by=request.auth, appeals=appeals, **data)
    return Status(201, visit)


@router.get(
    "/no-contact", response=list[VisitNoContactOut], summary="My enterprises without contact"
)
@api_permission("visits.view_coverage")
def no_contact(request):
    return selectors.no_contact(liaison=request.auth)


@router.get(
    "/coverage", response=list[VisitCoverageOut], summary="Coverage per liaison or department"
)
@api_permission("visits.view_coverage")
def coverage(request, year: Year | None = None, by: Literal["liaison", "department"] = "liaison"):
    return selectors.coverage(year=_year(year), by=by)


def _year(year: int | None) -> int:
    year = year or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": [_("Give a year between 2000 and 2100.")]})
    return year


# --- the pages' other actions (issue 22): the plan, the Excel of coverage and of visits ---


class VisitPlanIn(Schema):
    year: int = Field(..., ge=1, le=9999)


class VisitPlanOut(Schema):
    year: int
    planned: int = Field(description="planned visits added (existing planned days are kept)")


@router.post(
    "/plan",
    response={201: VisitPlanOut},
    summary="Plan my year's visits to the enterprises in my care (生成走访计划)",
)
@api_permission("visits.change_plan")
def plan_visits(request, payload: VisitPlanIn):
    year = clean_with(PlanForm, payload)["year"]
    made = services.plan_generate(liaison=request.auth, year=year, by=request.auth)
    return Status(201, {"year": year, "planned": made})


@router.get(
    "/coverage/export",
    summary="The year's coverage as a workbook, per liaison and department (导出走访覆盖)",
    openapi_extra=XLSX_ANSWER,
)
@api_permission("visits.view_coverage")
def coverage_export(request, year: Year | None = None):
    year = _year(year)
    return xlsx_response(*exports.coverage_workbook(year))


@router.get(
    "/export",
    summary="The visits I may see as a workbook (导出走访记录)",
    openapi_extra=XLSX_ANSWER,
)
@api_permission("visits.export_visit")
def export_visits(request):
    return xlsx_response(*exports.visits_workbook(request.auth))
