"""Background work of the project register."""

import logging

from django.core.files.storage import default_storage
from django.utils import timezone
from django_tasks import task

from gaoxin.core.models import BackgroundJob
from gaoxin.projects import importer

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 50


@task()
def import_projects(job_id: int) -> dict:
    """Check and save an uploaded ledger, reporting progress on the job as it goes."""

    job = BackgroundJob.objects.select_related("user").get(pk=job_id)
    BackgroundJob.objects.filter(pk=job.pk).update(status=BackgroundJob.Status.RUNNING)
    try:
        with default_storage.open(job.file_path, "rb") as fh:
            content = fh.read()
        rows, errors = importer.read_rows(content)
        BackgroundJob.objects.filter(pk=job.pk).update(total=len(rows))

        def progress(done: int) -> None:
            if done % PROGRESS_EVERY == 0 or done == len(rows):
                BackgroundJob.objects.filter(pk=job.pk).update(done=done)

        parsed = []
        if not errors:
            parsed, errors = importer.check_rows(rows, progress=progress)
        if errors:
            _finish(
                job,
                BackgroundJob.Status.FAILED,
                errors=[e.as_dict() for e in errors],
                message=f"{len(errors)}",
            )
            return {"created": 0, "errors": len(errors)}
        BackgroundJob.objects.filter(pk=job.pk).update(status=BackgroundJob.Status.SAVING)
        ids = importer.save_rows(parsed, by=job.user)
        _finish(job, BackgroundJob.Status.SUCCEEDED, result={"created": len(ids)})
        return {"created": len(ids), "errors": 0}
    except Exception:
        logger.exception("project import %s failed", job.pk)
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
