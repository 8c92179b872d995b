"""The catalogue (事项清单) as an Excel workbook: exported in the layout zones publish, and
imported all or nothing — every row and column is checked first; one bad cell and nothing
changes, with a report of each row, column and problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from gaoxin.accounts.models import Department
from gaoxin.affairs import services
from gaoxin.affairs.models import LimitUnit, ServiceItem
from gaoxin.core.excel import build_workbook
from gaoxin.core.uploads import check_xlsx_archive

MAX_ROWS = 5000
YES, NO = "是", "否"
UNITS = {
    "工作日": LimitUnit.WORKING_DAYS,
    "工作小时": LimitUnit.WORKING_HOURS,
    "工作分钟": LimitUnit.WORKING_MINUTES,
}
UNIT_NAMES = {v: k for k, v in UNITS.items()}
ESSENTIAL, WAIVABLE = "【必要】", "【容缺】"
HEADERS = [
    "事项编码",
    "事项名称",
    "实施部门",
    "法定时限（工作日）",
    "承诺时限",
    "承诺时限单位",
    "收费（元）",
    "收费依据",
    "一次办好",
    "可预约",
    "可网办",
    "并联审查部门",
    "申请材料",
    "是否发布",
    "备注",
]


# Where a service's error on a field shows in the report.
FIELD_HEADERS = {
    "code": "事项编码",
    "name": "事项名称",
    "department": "实施部门",
    "legal_limit_days": "法定时限（工作日）",
    "promised_limit": "承诺时限",
    "promised_unit": "承诺时限单位",
    "fee": "收费（元）",
    "materials": "申请材料",
}


def export_workbook(items) -> bytes:
    def materials(item):
        return "\n".join(
            f"{ESSENTIAL if m.essential else WAIVABLE}{m.name}" for m in item.materials.all()
        )

    def yes(value):
        return YES if value else NO

    columns = [
        ("事项编码", lambda i: i.code),
        ("事项名称", lambda i: i.name),
        ("实施部门", lambda i: i.department.name),
        ("法定时限（工作日）", lambda i: i.legal_limit_days),
        ("承诺时限", lambda i: i.promised_limit),
        ("承诺时限单位", lambda i: UNIT_NAMES[i.promised_unit]),
        ("收费（元）", lambda i: i.fee),
        ("收费依据", lambda i: i.fee_note),
        ("一次办好", lambda i: yes(i.one_go)),
        ("可预约", lambda i: yes(i.appointment_allowed)),
        ("可网办", lambda i: yes(i.online_allowed)),
        ("并联审查部门", lambda i: "、".join(d.name for d in i.reviewing_departments.all())),
        ("申请材料", materials),
        ("是否发布", lambda i: yes(i.is_active)),
        ("备注", lambda i: i.notes),
    ]
    items = items.select_related("department").prefetch_related(
        "reviewing_departments", "materials"
    )
    return build_workbook("事项清单", columns, items)


@dataclass
class ImportResult:
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # row, column, message
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _departments() -> dict[str, Department]:
    found = {}
    for d in Department.objects.filter(is_active=True):
        for key in (d.name, d.short_name, d.code):
            if key:
                found[key.strip()] = d
    return found


def _parse_row(values: dict[str, Any], departments, add_error) -> dict | None:
    def text(column):
        value = values.get(column)
        return "" if value is None else str(value).strip()

    def number(column, kind=int):
        raw = text(column)
        try:
            value = kind(Decimal(raw)) if kind is int else Decimal(raw)
        except (InvalidOperation, ValueError):
            add_error(column, _("Not a number: %(v)s") % {"v": raw or "—"})
            return None
        if kind is int and Decimal(raw) != value:
            add_error(column, _("Give a whole number."))
            return None
        return value

    def flag(column, default=True):
        raw = text(column)
        if raw == "":
            return default
        if raw not in (YES, NO):
            add_error(column, _("Write 是 or 否."))
        return raw == YES

    def department(name, column):
        found = departments.get(name)
        if found is None:
            add_error(column, _("Unknown department: %(name)s") % {"name": name})
        return found

    code, name = text("事项编码"), text("事项名称")
    if not code:
        add_error("事项编码", _("Required."))
    if not name:
        add_error("事项名称", _("Required."))
    unit = UNITS.get(text("承诺时限单位") or "工作日")
    if unit is None:
        add_error("承诺时限单位", _("Write 工作日, 工作小时 or 工作分钟."))
    reviewing = [
        department(n.strip(), "并联审查部门")
        for n in text("并联审查部门").replace(",", "、").replace("，", "、").split("、")
        if n.strip()
    ]
    materials = []
    for line in text("申请材料").splitlines():
        line = line.strip()
        if not line:
            continue
        essential = not line.startswith(WAIVABLE)
        materials.append(
            {"name": line.removeprefix(ESSENTIAL).removeprefix(WAIVABLE), "essential": essential}
        )
    return {
        "data": {
            "code": code[:40],
            "name": name[:200],
            "department": department(text("实施部门"), "实施部门"),
            "legal_limit_days": number("法定时限（工作日）"),
            "promised_limit": number("承诺时限"),
            "promised_unit": unit,
            "fee": number("收费（元）", Decimal) if text("收费（元）") else Decimal(0),
            "fee_note": text("收费依据")[:200],
            "one_go": flag("一次办好"),
            "appointment_allowed": flag("可预约"),
            "online_allowed": flag("可网办"),
            "is_active": flag("是否发布"),
            "notes": text("备注"),
        },
        "reviewing": reviewing,
        "materials": materials,
    }


def import_workbook(content: bytes, *, by) -> ImportResult:
    """Check every row, then create or update the items by code in one transaction.

    Runs in the task worker (``core.jobs.run_import``). The archive is checked against a
    spreadsheet bomb before parsing, the sheet is streamed in read-only mode, and reading stops
    as soon as the row limit is passed, so no more than ``MAX_ROWS`` rows are ever held.
    """
    result = ImportResult()
    try:
        check_xlsx_archive(content)
    except ValidationError as exc:
        result.errors.append((0, "", exc.messages[0]))
        return result
    try:
        book = load_workbook(BytesIO(content), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        # Rows as long as their cells, not as a (possibly forged) declared sheet size.
        sheet.reset_dimensions()
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append(values)
            if len(rows) - 1 > MAX_ROWS:
                break
        book.close()
    except Exception:  # any unreadable file is the user's problem to hear about, not a 500
        result.errors.append((0, "", _("The file is not an Excel workbook (.xlsx).")))
        return result
    if not rows:
        result.errors.append((0, "", _("The workbook is empty.")))
        return result
    header = [str(h or "").strip() for h in rows[0]]
    missing = [
        h
        for h in ("事项编码", "事项名称", "实施部门", "法定时限（工作日）", "承诺时限")
        if h not in header
    ]
    if missing:
        result.errors.append((1, "", _("Missing columns: %(c)s") % {"c": "、".join(missing)}))
        return result
    if len(rows) - 1 > MAX_ROWS:
        result.errors.append((0, "", _("At most %(n)d items at a time.") % {"n": MAX_ROWS}))
        return result
    departments = _departments()
    parsed, seen = [], {}
    for number, raw in enumerate(rows[1:], start=2):
        if not any(v not in (None, "") for v in raw):
            continue
        values = dict(zip(header, raw, strict=False))

        def add_error(column, message, number=number):
            result.errors.append((number, column, str(message)))

        row = _parse_row(values, departments, add_error)
        code = row["data"]["code"]
        if code and code in seen:
            add_error("事项编码", _("Also on row %(n)d.") % {"n": seen[code]})
        seen[code] = number
        parsed.append((number, row))
    if not parsed and not result.errors:
        result.errors.append((0, "", _("The workbook has no items.")))
    if result.errors:
        return result
    existing = {i.code: i for i in ServiceItem.objects.filter(code__in=seen)}
    try:
        with transaction.atomic():
            for number, row in parsed:
                try:
                    item = existing.get(row["data"]["code"])
                    if item is None:
                        services.item_create(
                            by=by,
                            data=row["data"],
                            reviewing_departments=row["reviewing"],
                            materials=row["materials"],
                        )
                        result.created += 1
                    else:
                        services.item_update(
                            item=item,
                            by=by,
                            data=row["data"],
                            expected_version=item.version,
                            reviewing_departments=row["reviewing"],
                            materials=row["materials"],
                        )
                        result.updated += 1
                except ValidationError as error:
                    fields = getattr(error, "message_dict", {"": error.messages})
                    for name, messages in fields.items():
                        for message in messages:
                            result.errors.append((number, FIELD_HEADERS.get(name, ""), message))
            if result.errors:
                raise _Rollback
    except _Rollback:
        result.created = result.updated = 0
    return result


class _Rollback(Exception):
    """Raised inside the transaction so that a row refused by a service undoes every row."""
