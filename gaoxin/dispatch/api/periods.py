"""API of progress dispatch (/api/v1/dispatch/periods…): periods, reporting status, reports."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from gaoxin.core.api_types import Id, IsoDate, Pagination
from gaoxin.core.permissions import api_permission
from gaoxin.dispatch import selectors, services
from gaoxin.dispatch.api.base import found, key_projects_for
from gaoxin.dispatch.models import (
    DispatchPeriod,
)

__all__ = ["router"]


router = Router(tags=["dispatch"])


class PeriodOut(Schema):
    id: int
    kind: str
    start: dt.date
    end: dt.date
    due: dt.date


class PeriodIn(Schema):
    kind: str = Field(..., pattern="^(week|month)$")
    start: IsoDate
    due: IsoDate | None = None


class ReportOut(Schema):
    id: int
    period: int = Field(..., alias="period_id")
    key_project: int = Field(..., alias="key_project_id")
    done: str
    next: str
    problems: str
    filed_on: dt.date
    on_time: bool


class ReportingStatusOut(Schema):
    period: PeriodOut
    reports: list[ReportOut]
    missing: list[int]


class ReportIn(Schema):
    key_project: Id
    done: str = Field(..., min_length=1)
    next: str = Field(..., min_length=1)
    problems: str = ""


def _periods(user):

    return DispatchPeriod.objects.restrict(user)


@router.get("/periods", response=list[PeriodOut], summary="Dispatch periods")
@api_permission("dispatch.view_dispatchperiod")
@paginate(Pagination, page_size=50)
def list_periods(request):
    return _periods(request.auth)


@router.post("/periods", response={201: PeriodOut}, summary="Open a dispatch period")
@api_permission("dispatch.add_dispatchperiod")
def open_period(request, payload: PeriodIn):
    return Status(201, services.period_open(by=request.auth, **payload.dict()))


@router.get(
    "/periods/{int:pk}",
    response=ReportingStatusOut,
    summary="A period's reports and the key projects that have not reported",
)
@api_permission("dispatch.view_dispatchperiod")
def period_status(request, pk: int):

    period = get_object_or_404(_periods(request.auth), pk=pk)
    reports, missing = selectors.reporting_status(period)
    return {"period": period, "reports": reports, "missing": [kp.pk for kp in missing]}


@router.post(
    "/periods/{int:pk}/reports", response={201: ReportOut}, summary="File a progress report"
)
@api_permission("dispatch.view_dispatchperiod")
def file_report(request, pk: int, payload: ReportIn):
    period = get_object_or_404(_periods(request.auth), pk=pk)
    data = payload.dict()
    key_project = found(key_projects_for(request.auth), data.pop("key_project"), "key_project")
    return Status(
        201, services.report_file(period=period, key_project=key_project, by=request.auth, **data)
    )
