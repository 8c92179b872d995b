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


# Attachments: documents and scans. The content must start as its type says.
ATTACHMENT_TYPES = {
    ".pdf": ("application/pdf", [b"%PDF"]),
    ".png": ("image/png", [b"\x89PNG\r\n\x1a\n"]),
    ".jpg": ("image/jpeg", [b"\xff\xd8\xff"]),
    ".jpeg": ("image/jpeg", [b"\xff\xd8\xff"]),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        [XLSX_MAGIC],
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", [XLSX_MAGIC]),
}
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


def safe_name(name: str) -> str:
    """The file's own name for display: no folders, no control characters, not too long."""
    import unicodedata

    base = PurePath((name or "").replace("\\", "/")).name
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip(" .")
    return base[-150:] or "file"


def check_attachment(upload) -> tuple[str, str]:
    """(display name, MIME type) of an acceptable attachment, or a ValidationError."""
    name = safe_name(upload.name)
    suffix = PurePath(name).suffix.lower()
    if suffix not in ATTACHMENT_TYPES:
        raise ValidationError(
            _("Allowed file types: %(types)s.") % {"types": ", ".join(sorted(ATTACHMENT_TYPES))},
            code="file_type",
        )
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(_("The file is larger than 20 MB."), code="file_size")
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    mime, magics = ATTACHMENT_TYPES[suffix]
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(m) for m in magics):
        raise ValidationError(
            _("The file's content is not a %(type)s file.") % {"type": suffix.lstrip(".").upper()},
            code="file_content",
        )
    return name, mime
