"""Uploaded files: type and size checked, stored under a random name, never served directly."""

from __future__ import annotations

import unicodedata
import uuid
import zipfile
from io import BytesIO
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

XLSX_MAGIC = b"PK\x03\x04"
# A workbook has a few dozen parts; thousands can only be an attack on the zip reader.
MAX_SPREADSHEET_MEMBERS = 1000
# The ratio is only judged on parts that unpack to more than this: a small part (a style sheet
# of a few kilobytes) may compress very well and can do no harm.
RATIO_GRACE_BYTES = 1024 * 1024
_MB = 1024 * 1024


def _megabytes(n: int) -> str:
    return f"{n / _MB:g}"


def check_spreadsheet(upload) -> None:
    """An .xlsx workbook within the size limits whose content really is a zip container.

    The archive is checked before anything parses it (see ``check_xlsx_archive``), so a
    spreadsheet bomb — a few hundred kilobytes that unpack to gigabytes — is refused here.
    """
    name = PurePath(upload.name or "").name
    if not name.lower().endswith(".xlsx"):
        raise ValidationError(_("Upload an Excel workbook (.xlsx)."), code="file_type")
    limit = settings.SPREADSHEET_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(limit)s MB.") % {"limit": _megabytes(limit)},
            code="file_size",
        )
    head = upload.read(4)
    upload.seek(0)
    if head != XLSX_MAGIC:
        raise ValidationError(_("This file is not a valid .xlsx workbook."), code="file_content")
    try:
        check_xlsx_archive(upload)
    finally:
        upload.seek(0)


def check_xlsx_archive(source) -> None:
    """Refuse a workbook whose parts would unpack beyond the limits, before parsing it.

    Reads only the zip's central directory (no member is decompressed). The declared sizes can
    be trusted as an upper bound because Python's zipfile, which openpyxl reads through, stops
    at a member's declared size and then fails its CRC check: a part cannot unpack to more than
    it says. Limits: ``SPREADSHEET_MAX_UNCOMPRESSED_BYTES`` for each part and for all parts
    together, ``SPREADSHEET_MAX_RATIO`` for the compression ratio of each part larger than 1 MB.
    """
    if isinstance(source, bytes | bytearray):
        source = BytesIO(source)
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ValidationError(
            _("This file is not a valid .xlsx workbook."), code="file_content"
        ) from None
    if len(members) > MAX_SPREADSHEET_MEMBERS:
        raise ValidationError(
            _("The workbook has more than %(n)d parts; it is not an ordinary Excel file.")
            % {"n": MAX_SPREADSHEET_MEMBERS},
            code="file_parts",
        )
    max_bytes = settings.SPREADSHEET_MAX_UNCOMPRESSED_BYTES
    max_ratio = settings.SPREADSHEET_MAX_RATIO
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > max_bytes or total > max_bytes:
            raise ValidationError(
                _(
                    "The workbook unpacks to more than %(limit)s MB (the limit for an upload); "
                    "split it into smaller files."
                )
                % {"limit": _megabytes(max_bytes)},
                code="file_unpacked_size",
            )
        if member.file_size > RATIO_GRACE_BYTES:
            ratio = member.file_size / max(member.compress_size, 1)
            if ratio > max_ratio:
                raise ValidationError(
                    _(
                        "The workbook is compressed %(ratio)d times over, more than the limit "
                        "of %(limit)d: it is refused as a possible zip bomb."
                    )
                    % {"ratio": ratio, "limit": max_ratio},
                    code="file_ratio",
                )


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
