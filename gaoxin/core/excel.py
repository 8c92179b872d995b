"""Excel export: the one writer of every .xlsx the platform produces.

Every list exports exactly what its filters select, and every workbook (lists, the audit log,
the statistics and period reports, the ledger template) is written here, so text is always
stored as text: a value that a spreadsheet would read as a formula never becomes one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Column = tuple[str, Callable[[Any], Any]]
Sheet = tuple[str, list[Column], Iterable[Any]]

# OWASP's CSV-injection guidance: a cell starting with one of these is taken as a formula (or,
# for tab and carriage return, hides one that follows) by Excel, WPS or LibreOffice. A line
# feed is treated alike: XML reads a carriage return back as one.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Characters XML 1.0 cannot carry (openpyxl refuses them): dropped rather than failing the export.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell(value: Any) -> Any:
    """The value as a spreadsheet type: numbers and dates stay typed, the rest is text."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, Decimal):
        return float(value)
    if value is None or isinstance(value, int | float | bool | dt.date):
        return value
    return _ILLEGAL.sub("", str(value))


def text_cell(ws, value: Any) -> WriteOnlyCell:
    """A cell of a write-only sheet that keeps text as text.

    openpyxl turns any string starting with "=" into a live formula. Two things stop that here,
    and both are needed:

    * the cell's type is forced to string (``data_type = "s"``), so the file stores the text as an
      inline string (``t="inlineStr"``) and carries no ``<f>`` element: Excel, WPS and LibreOffice
      only ever evaluate ``<f>``, so nothing runs when the workbook is opened;
    * text starting with a formula trigger also gets ``quotePrefix`` in its cell style — the
      file format's own form of the apostrophe typed before text. Without it, a user who edits
      such a cell (F2, Enter) or copies it re-enters "=…" and the spreadsheet evaluates it then;
      with it, Excel, WPS and LibreOffice keep the cell text after an edit too.

    The text itself is left exactly as it was (no visible apostrophe is added: inside an .xlsx
    an added quote would be shown and would change the data that a re-import reads back).
    """
    value = _cell(value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True
    return cell


def build_workbook(sheet_title: str, columns: list[Column], rows: Iterable[Any]) -> bytes:
    return build_sheets([(sheet_title, columns, rows)])


def build_sheets(
    sheets: list[Sheet],
    *,
    header_fill: str | None = None,
    column_width: float | None = None,
) -> bytes:
    """A workbook with one sheet per (title, columns, rows), streamed in write-only mode."""
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor=header_fill) if header_fill else None
    for title, columns, rows in sheets:
        ws = wb.create_sheet(title=str(title)[:31])
        if column_width:
            for index in range(1, len(columns) + 1):
                ws.column_dimensions[get_column_letter(index)].width = column_width
        header = []
        for heading, _accessor in columns:
            cell = text_cell(ws, str(heading))
            cell.font = bold
            if fill is not None:
                cell.fill = fill
            header.append(cell)
        ws.append(header)
        for row in rows:
            ws.append([text_cell(ws, accessor(row)) for _heading, accessor in columns])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"{filename}-{stamp}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
