"""A case's files in the API: which file was handed in for which material, and the file
itself — only to those who may see the case (never a public URL), as on the case page."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from gaoxin.affairs.api.filing import applications
from gaoxin.affairs.models import CaseMaterial
from gaoxin.core.attachments import attachments_of, download
from gaoxin.core.permissions import api_permission

__all__ = ["router"]

router = Router(tags=["government services"])


class CaseFileOut(Schema):
    id: int = Field(description="the file's id, for the download")
    material: int | None = Field(None, description="the material it was handed in for")
    original_name: str
    mime_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


@router.get(
    "/applications/{int:pk}/files",
    response=list[CaseFileOut],
    summary="A case's files, by material (办件材料)",
)
@api_permission("affairs.view_application")
def case_files(request, pk: int):
    application = get_object_or_404(applications(request.auth), pk=pk)
    material_of = dict(
        CaseMaterial.objects.filter(application=application).values_list(
            "attachment_id", "material_id"
        )
    )
    files = list(attachments_of(application))
    for attachment in files:
        attachment.material = material_of.get(attachment.pk)
    return files


@router.get(
    "/applications/{int:pk}/files/{int:attachment_pk}",
    summary="Download one of a case's files (下载办件材料)",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file as handed in",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
@api_permission("affairs.view_application")
def material_download(request, pk: int, attachment_pk: int):
    application = get_object_or_404(applications(request.auth), pk=pk)
    return download(get_object_or_404(attachments_of(application), pk=attachment_pk))
