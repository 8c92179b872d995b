"""A project's documents in the API (contracts, licence scans …): the list, attaching one,
downloading it and removing it — the project page's services (projects.services
project_attach / project_detach over core.attachments: the same content checks, storage and
audit entries). A project one may not see is a 404, one one may not change a 403/404."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from gaoxin.core.attachments import attachments_of, download
from gaoxin.core.permissions import api_permission
from gaoxin.projects import services
from gaoxin.projects.selectors import project_get

__all__ = ["router"]

router = Router(tags=["projects"])

FILE_ANSWER = {
    "responses": {
        200: {
            "description": "The file as stored",
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    }
}


class ProjectAttachmentOut(Schema):
    id: int
    original_name: str
    mime_type: str
    size: int
    sha256: str
    description: str
    uploaded_at: dt.datetime


@router.get(
    "/{int:pk}/attachments",
    response=list[ProjectAttachmentOut],
    summary="A project's documents (项目附件)",
)
@api_permission("projects.view_project")
def attachment_list(request, pk: int):
    return attachments_of(project_get(user=request.auth, pk=pk))


@router.post(
    "/{int:pk}/attachments",
    response={201: ProjectAttachmentOut},
    summary="Attach a document to a project (上传附件)",
)
@api_permission("projects.change_project")
def attachment_add(request, pk: int, file: File[UploadedFile], description: Form[str] = ""):
    project = project_get(user=request.auth, pk=pk, action="change")
    if file is None:
        raise ValidationError({"file": [_("Choose a file to attach.")]})
    attachment = services.project_attach(
        project=project, upload=file, by=request.auth, description=description[:200]
    )
    return Status(201, attachment)


@router.get(
    "/{int:pk}/attachments/{int:attachment_pk}",
    summary="Download a project's document (下载附件)",
    openapi_extra=FILE_ANSWER,
)
@api_permission("projects.view_project")
def attachment_download(request, pk: int, attachment_pk: int):
    project = project_get(user=request.auth, pk=pk)
    return download(get_object_or_404(attachments_of(project), pk=attachment_pk))


@router.delete(
    "/{int:pk}/attachments/{int:attachment_pk}",
    response={204: None},
    summary="Remove a project's document (删除附件)",
)
@api_permission("projects.change_project")
def attachment_remove(request, pk: int, attachment_pk: int):
    project = project_get(user=request.auth, pk=pk, action="change")
    attachment = get_object_or_404(attachments_of(project), pk=attachment_pk)
    services.project_detach(project=project, attachment=attachment, by=request.auth)
    return Status(204, None)
