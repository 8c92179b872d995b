"""The project ledger's import in the API: the upload is checked and stored and the answer is
202 with the job, as the page redirects to the job's page; the task worker checks every row
and saves all or none (GET /api/v1/jobs/{id} reports progress and every bad cell). The
export and the blank template are files too."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.files import UploadedFile

from gaoxin.core.api_jobs import JobOut
from gaoxin.core.excel import XLSX, xlsx_response
from gaoxin.core.models import BackgroundJob
from gaoxin.core.permissions import api_permission
from gaoxin.core.uploads import check_spreadsheet, store
from gaoxin.projects.importer import template_workbook
from gaoxin.projects.tasks import import_projects

__all__ = ["router"]

router = Router(tags=["projects"])


@router.post(
    "/import",
    response={202: JobOut},
    summary="Import the project ledger workbook: starts a job (导入项目台账)",
)
@api_permission("projects.import_project")
def ledger_import(request, file: File[UploadedFile]):
    if file is None:
        raise ValidationError({"file": [_("Choose the ledger file to import.")]})
    try:
        check_spreadsheet(file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    job = BackgroundJob.objects.create(
        kind="projects.import",
        user=request.auth,
        file_name=file.name[:200],
        file_path=store(file, "imports"),
    )
    import_projects.enqueue(job.pk)
    return Status(202, job)


@router.get(
    "/import/template",
    summary="The ledger's blank template (台账导入模板)",
    openapi_extra={
        "responses": {
            200: {
                "description": "The workbook (.xlsx)",
                "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
@api_permission("projects.import_project")
def ledger_import_template(request):
    return xlsx_response(_("project-ledger-template"), template_workbook())
