"""Imports run by the task worker, never in the web process.

The web process only checks the upload (``core.uploads.check_spreadsheet``: type, size, and the
zip archive against a spreadsheet bomb), stores it under a random name and records a
``BackgroundJob``; the worker parses it (streaming, read-only) and writes the outcome on the job,
which ``/platform/jobs/<id>/`` shows. A workbook that slipped past the checks can therefore
exhaust at most the worker, not the pages everybody uses.

The project ledger keeps its own task (``projects.tasks.import_projects``, with row progress);
other imports use ``start_import`` with a runner: a function ``runner(content, *, by)`` that
checks and saves all or nothing and returns an outcome with ``errors`` — a list of
``(row, column, message)`` — and the ``created`` and ``updated`` counts.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task

from gaoxin.core.models import BackgroundJob
from gaoxin.core.uploads import check_spreadsheet, safe_name, store

logger = logging.getLogger(__name__)


class ImportOutcome(Protocol):
    errors: list[tuple[int, str, str]]
    created: int
    updated: int


def start_import(*, upload, kind: str, runner: str, by, missing: str = "") -> BackgroundJob:
    """Check the upload (refused as ``{"file": [...]}``, the page's and the API's 400), store it,
    record the job and hand it to the task worker. ``missing`` says what to choose when no file
    came."""
    if not runner.startswith("gaoxin."):
        raise ValueError(f"not a Gaoxin import runner: {runner}")
    if upload is None:
        raise ValidationError({"file": [missing or _("Choose the file to import.")]})
    try:
        check_spreadsheet(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    job = BackgroundJob.objects.create(
        kind=kind,
        user=by,
        file_name=safe_name(upload.name)[:200],
        file_path=store(upload, "imports"),
    )
    run_import.enqueue(job.pk, runner)
    return job


@task()
def run_import(job_id: int, runner: str) -> dict[str, Any]:
    """Run an import's runner on the stored file and record its outcome on the job."""
    if not runner.startswith("gaoxin."):  # the queue is ours, but never import just anything
        raise ValueError(f"not a Gaoxin import runner: {runner}")
    function = import_string(runner)
    job = BackgroundJob.objects.select_related("user").get(pk=job_id)
    BackgroundJob.objects.filter(pk=job.pk).update(status=BackgroundJob.Status.RUNNING)
    try:
        with default_storage.open(job.file_path, "rb") as fh:
            content = fh.read()
        outcome: ImportOutcome = function(content, by=job.user)
        errors = [
            {"row": row, "column": column, "message": str(message)}
            for row, column, message in outcome.errors
        ]
        counts = {"created": outcome.created, "updated": getattr(outcome, "updated", 0)}
        if errors:
            _finish(job, BackgroundJob.Status.FAILED, errors=errors, message=f"{len(errors)}")
            return {"created": 0, "updated": 0, "errors": len(errors)}
        _finish(job, BackgroundJob.Status.SUCCEEDED, result=counts)
        return {**counts, "errors": 0}
    except Exception:
        logger.exception("import job %s (%s) failed", job.pk, runner)
        _finish(
            job,
            BackgroundJob.Status.FAILED,
            errors=[{"row": 0, "column": "", "message": "unexpected error; see the log"}],
        )
        raise
    finally:
        default_storage.delete(job.file_path)


def _finish(job, status, *, errors=None, result=None, message="") -> None:
    BackgroundJob.objects.filter(pk=job.pk).update(
        status=status,
        errors=errors or [],
        result=result or {},
        message=message[:300],
        finished_at=timezone.now(),
    )
