"""Excel export: every list exports exactly what its filters select."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Column = tuple[str, Callable[[Any], Any]]


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, str | int | float | bool | dt.date):
        return value
    return str(value)


def build_workbook(sheet_title: str, columns: list[Column], rows: Iterable[Any]) -> bytes:
    return build_sheets([(sheet_title, columns, rows)])


def build_sheets(sheets: list[tuple[str, list[Column], Iterable[Any]]]) -> bytes:
    """A workbook with one sheet per (title, columns, rows), streamed in write-only mode."""
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, columns, rows in sheets:
        ws = wb.create_sheet(title=str(title)[:31])
        header = []
        for heading, _accessor in columns:
            cell = WriteOnlyCell(ws, value=str(heading))
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for row in rows:
            ws.append([_cell(accessor(row)) for _heading, accessor in columns])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"{filename}-{stamp}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
