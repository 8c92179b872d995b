"""The catalogue's files in the API: the workbook export (the list's filters), a material's
blank form (downloaded by anyone who sees the item, uploaded by the window as on the item page),
and the workbook import — which, as on the page, only checks and stores the upload
and answers 202 with the job; the task worker checks every row and saves all or none, and
GET /api/v1/jobs/{id} reports the progress and every bad cell."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from gaoxin.affairs import catalogue, services
from gaoxin.affairs.api.catalogue import ItemFilters, _items
from gaoxin.affairs.filters import ServiceItemFilter
from gaoxin.core import jobs
from gaoxin.core.api_jobs import JobOut
from gaoxin.core.attachments import attachments_of, download
from gaoxin.core.excel import XLSX, xlsx_response
from gaoxin.core.permissions import api_permission

__all__ = ["BINARY", "XLSX_ANSWER", "router"]

router = Router(tags=["government services"])

BINARY = {"schema": {"type": "string", "format": "binary"}}
XLSX_ANSWER = {
    "responses": {
        200: {"description": "The workbook (.xlsx)", "content": {XLSX: BINARY}},
    }
}
FILE_ANSWER = {
    "responses": {
        200: {
            "description": "The file as stored",
            "content": {"application/octet-stream": BINARY},
        },
    }
}


@router.get(
    "/items/export",
    summary="Export the catalogue as a workbook (导出事项目录)",
    openapi_extra=XLSX_ANSWER,
)
@api_permission("affairs.view_serviceitem")
def items_export(request, filters: Query[ItemFilters]):
    params = {k: v for k, v in filters.dict().items() if v is not None}
    items = ServiceItemFilter(params, queryset=_items(request.auth)).qs
    return xlsx_response(_("catalogue"), catalogue.export_workbook(items))


@router.get(
    "/items/{int:pk}/materials/{int:material_pk}/template",
    summary="A material's blank form (空白表格下载)",
    openapi_extra=FILE_ANSWER,
)
@api_permission("affairs.view_serviceitem")
def material_template(request, pk: int, material_pk: int):
    item = get_object_or_404(_items(request.auth), pk=pk)
    material = get_object_or_404(item.materials, pk=material_pk)
    template = attachments_of(material).first()
    if template is None:
        raise Http404
    return download(template)


class MaterialTemplateOut(Schema):
    id: int
    original_name: str
    mime_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


@router.post(
    "/items/{int:pk}/materials/{int:material_pk}/template",
    response={201: MaterialTemplateOut},
    summary="Upload a material's blank form, replacing the old one (上传空白表格)",
)
@api_permission("affairs.change_serviceitem")
def material_template_upload(request, pk: int, material_pk: int, file: File[UploadedFile]):
    """The item page's upload (affairs.services.material_template_attach over
    core.attachments: the same content checks, storage and audit entries)."""
    item = get_object_or_404(_items(request.auth), pk=pk)
    material = get_object_or_404(item.materials, pk=material_pk)
    if file is None:
        raise ValidationError({"file": [_("Choose the file to upload.")]})
    attachment = services.material_template_attach(material=material, upload=file, by=request.auth)
    return Status(201, attachment)


@router.post(
    "/items/import",
    response={202: JobOut},
    summary="Import the catalogue workbook: starts a job (导入事项目录)",
)
@api_permission("affairs.import_serviceitem")
def items_import(request, file: File[UploadedFile]):
    job = jobs.start_import(
        upload=file,
        kind="affairs.catalogue_import",
        runner="gaoxin.affairs.catalogue.import_workbook",
        by=request.auth,
        missing=_("Choose the catalogue file to import."),
    )
    return Status(202, job)
