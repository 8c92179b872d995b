"""Uploaded files: type and size checked, stored under a random name, never served directly."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

MAX_SPREADSHEET_BYTES = 10 * 1024 * 1024
XLSX_MAGIC = b"PK\x03\x04"


def check_spreadsheet(upload) -> None:
    """An .xlsx workbook of at most 10 MB whose content really is a zip container."""
    name = PurePath(upload.name or "").name
    if not name.lower().endswith(".xlsx"):
        raise ValidationError(_("Upload an Excel workbook (.xlsx)."), code="file_type")
    if upload.size > MAX_SPREADSHEET_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."), code="file_size")
    head = upload.read(4)
    upload.seek(0)
    if head != XLSX_MAGIC:
        raise ValidationError(_("This file is not a valid .xlsx workbook."), code="file_content")


def store(upload, folder: str) -> str:
    """Save under a random name (the user's file name is never used as a path)."""
    return default_storage.save(f"{folder}/{uuid.uuid4().hex}.xlsx", upload)
