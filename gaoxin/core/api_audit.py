"""The audit log over the API (/api/v1/audit/): its workbook, for auditors only, with the log
page's filters (core.filters.AuditEntryFilter) and the page's writer (core.exports)."""

from django.core.exceptions import ValidationError
from django.http import QueryDict
from ninja import Field, Query, Router, Schema

from gaoxin.core import exports
from gaoxin.core.api_types import XLSX_ANSWER, Id, IsoDate, refuse_unknown_params
from gaoxin.core.excel import xlsx_response
from gaoxin.core.filters import AuditEntryFilter
from gaoxin.core.models import AuditAction, AuditEntry
from gaoxin.core.permissions import api_permission

__all__ = ["router"]

router = Router(tags=["audit"])


class AuditFilters(Schema):
    user: str | None = Field(None, max_length=150, description="part of the user's name")
    action: AuditAction | None = None
    content_type: Id | None = Field(None, description="the object type's id")
    object: str | None = Field(None, max_length=200, description="part of the object's name")
    since: IsoDate | None = None
    until: IsoDate | None = None
    request_id: str | None = Field(None, max_length=36)


@router.get(
    "/export",
    summary="Export the audit log as filtered, auditors only (导出审计日志)",
    openapi_extra=XLSX_ANSWER,
)
@api_permission("core.view_auditentry")
def audit_export(request, filters: Query[AuditFilters]):
    refuse_unknown_params(request, AuditFilters)
    params = QueryDict(mutable=True)
    for key, value in filters.dict().items():
        if value is not None:
            params[key] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    filterset = AuditEntryFilter(
        params, queryset=AuditEntry.objects.select_related("content_type", "user")
    )
    if not filterset.is_valid():  # e.g. an object type the log does not offer
        raise ValidationError(dict(filterset.errors))
    return xlsx_response(*exports.audit_workbook(filterset.qs))
