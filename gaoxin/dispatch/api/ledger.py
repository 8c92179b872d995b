"""API of the work ledger (/api/v1/dispatch/ledger)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from gaoxin.core.api_types import XLSX_ANSWER, Id, IsoDate, Pagination
from gaoxin.core.excel import xlsx_response
from gaoxin.core.permissions import api_permission
from gaoxin.dispatch import exports, selectors, services
from gaoxin.dispatch.api.base import found
from gaoxin.dispatch.models import (
    LedgerEntry,
)
from gaoxin.projects.selectors import project_base

__all__ = ["router"]


router = Router(tags=["dispatch"])


class LedgerOut(Schema):
    id: int
    project: int = Field(..., alias="project_id")
    month: dt.date
    output_value: Decimal
    tax: Decimal
    employees: int
    investment_completed: Decimal
    energy_tce: Decimal | None
    rd_spending: Decimal | None
    version: int


class LedgerIn(Schema):
    project: Id
    month: IsoDate
    output_value: Decimal = Field(..., ge=0, max_digits=14, decimal_places=2)
    tax: Decimal = Field(..., ge=0, max_digits=14, decimal_places=2)
    employees: int = Field(..., ge=0, le=1_000_000)
    investment_completed: Decimal = Field(Decimal(0), ge=0, max_digits=14, decimal_places=2)
    # For the per-mu evaluation; leave out when not reported (never taken as zero).
    energy_tce: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    rd_spending: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)


@router.get("/ledger", response=list[LedgerOut], summary="Ledger entries (工作台账)")
@api_permission("dispatch.view_ledgerentry")
@paginate(Pagination, page_size=100)
def list_ledger(request, project: Id | None = None, month: IsoDate | None = None):

    queryset = LedgerEntry.objects.restrict(request.auth)
    if project is not None:
        queryset = queryset.filter(project_id=project)
    if month is not None:
        queryset = queryset.filter(month=month.replace(day=1))
    return queryset


@router.post("/ledger", response={201: LedgerOut}, summary="Enter a ledger month")
@api_permission("dispatch.add_ledgerentry")
def enter_ledger(request, payload: LedgerIn):

    data = payload.dict()
    project = found(project_base(request.auth), data.pop("project"), "project")
    month = data.pop("month")
    return Status(
        201, services.ledger_enter(project=project, month=month, by=request.auth, data=data)
    )


@router.get(
    "/ledger/export",
    summary="Export a month of the ledger (导出工作台账)",
    openapi_extra=XLSX_ANSWER,
)
@api_permission("dispatch.view_ledgerentry")
def ledger_export(
    request,
    month: str | None = Query(
        None,
        pattern=r"^(19|2\d)\d{2}-(0[1-9]|1[0-2])$",
        description="YYYY-MM; last month if left out",
    ),
):
    """The ledger page's workbook: every project in production the caller sees, with the
    month's entry (or 'missing') and the year's sums."""
    today = timezone.localdate()
    if month:
        start = dt.date.fromisoformat(f"{month}-01")
    else:
        start = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    start = min(max(start, dt.date(2000, 1, 1)), today.replace(day=1))
    rows = selectors.ledger_month(request.auth, start)
    return xlsx_response(*exports.ledger_workbook(start, rows))
