"""Long jobs in the API: an upload that starts a job answers 202 with the job, and this
operation reports its progress and, at the end, its outcome — the row/column report of a
refused workbook (nothing saved: all or nothing, as on the pages) or the counts saved."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from gaoxin.core.models import BackgroundJob
from gaoxin.core.permissions import AUTHENTICATED, api_permission

__all__ = ["JobOut", "router"]

router = Router(tags=["jobs"])


class JobErrorOut(Schema):
    row: int = Field(description="the workbook's row (0: the file as a whole)")
    column: str
    message: str


class JobOut(Schema):
    id: int
    kind: str = Field(description="projects.import, affairs.catalogue_import or enterprises.import")
    status: BackgroundJob.Status
    file_name: str
    total: int = Field(description="rows to check (0 until known)")
    done: int = Field(description="rows checked so far")
    message: str
    errors: list[JobErrorOut] = Field(description="every bad cell when the job failed")
    result: dict[str, int] = Field(description="what was saved, e.g. created and updated")
    created_at: dt.datetime
    finished_at: dt.datetime | None

    @staticmethod
    def resolve_errors(obj):
        return [
            {
                "row": int(e.get("row") or 0),
                "column": str(e.get("column") or ""),
                "message": str(e.get("message") or ""),
            }
            for e in obj.errors or []
            if isinstance(e, dict)
        ]

    @staticmethod
    def resolve_result(obj):
        return {k: int(v) for k, v in (obj.result or {}).items() if isinstance(v, int)}


@router.get("/{int:pk}", response=JobOut, summary="A long job's progress and outcome (任务进度)")
@api_permission(AUTHENTICATED)
def job_detail(request, pk: int):
    """One of the caller's own jobs; anybody else's is a 404, as on the job page."""
    return get_object_or_404(BackgroundJob, pk=pk, user=request.auth)
