"""The enterprise register's Excel import: every row checked first, then all saved in one
transaction or nothing, with a report of every bad cell (row, column, message).

Runs in the task worker (``core.jobs.run_import``); the page only checks the upload
(``core.uploads.check_spreadsheet``). Enterprises are matched by USCC: a known code updates the
enterprise, a new one creates it. Refused: a bad USCC, a USCC twice in the file, a name already
used by another enterprise (in the file or the register), an unknown industry code, cluster or
qualification, a bad number or date."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from gaoxin.core import audit
from gaoxin.core.excel import build_workbook
from gaoxin.core.models import AuditAction
from gaoxin.core.uploads import check_xlsx_archive
from gaoxin.enterprises.models import (
    Cluster,
    Enterprise,
    EnterpriseSize,
    IndustryCode,
    Qualification,
    QualificationType,
)
from gaoxin.enterprises.validators import normalize_uscc, validate_uscc

__all__ = ["COLUMNS", "MAX_ROWS", "ImportResult", "import_workbook", "template_workbook"]

MAX_ROWS = 20000
COLUMNS = [
    "企业名称",
    "统一社会信用代码",
    "法定代表人",
    "行业代码",
    "产业集群",
    "企业规模",
    "从业人数",
    "用地（亩）",
    "位于园区",
    "成立日期",
    "地址",
    "资质",
]
REQUIRED = ("企业名称", "统一社会信用代码")
SIZES = {str(label): value for value, label in EnterpriseSize.choices} | {
    "微型": "micro",
    "小型": "small",
    "中型": "medium",
    "大型": "large",
}
YES = {"是": True, "否": False, "yes": True, "no": False, "": None}


@dataclass
class ImportResult:
    errors: list[tuple[int, str, str]] = field(default_factory=list)
    created: int = 0
    updated: int = 0


def template_workbook() -> bytes:
    example = [
        "日照示例科技有限公司",
        "91371100MA0000001X",
        "张三",
        "39",
        "",
        "小型",
        "85",
        "30.5",
        "是",
        "2021-05-01",
        "日照高新区创新大道1号",
        "高新技术企业:2024-01-01:2026-12-31；专精特新:2025-06-01:2028-05-31",
    ]
    return build_workbook(
        "企业名录", [(c, lambda row, i=i: row[i]) for i, c in enumerate(COLUMNS)], [example]
    )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(_text(value))


class _Row:
    def __init__(self, number: int, values: dict[str, Any], errors: list):
        self.number, self.values, self.errors = number, values, errors

    def error(self, column: str, message) -> None:
        self.errors.append((self.number, column, str(message)))

    def text(self, column: str) -> str:
        return _text(self.values.get(column))


def _parse(row: _Row, lookups: dict) -> dict | None:
    before = len(row.errors)
    data: dict[str, Any] = {"name": row.text("企业名称")}
    for column in REQUIRED:
        if not row.text(column):
            row.error(column, _("Required."))
    uscc = normalize_uscc(row.text("统一社会信用代码"))
    if uscc:
        try:
            validate_uscc(uscc)
        except ValidationError as error:
            row.error("统一社会信用代码", error.messages[0])
    data["uscc"] = uscc
    data["legal_representative"] = row.text("法定代表人")[:50]
    data["address"] = row.text("地址")[:200]
    code = row.text("行业代码")
    data["industry"] = None
    if code:
        data["industry"] = lookups["industries"].get(code)
        if data["industry"] is None:
            row.error("行业代码", _("Not a GB/T 4754 division code."))
    cluster = row.text("产业集群")
    data["cluster"] = None
    if cluster:
        data["cluster"] = lookups["clusters"].get(cluster)
        if data["cluster"] is None:
            row.error("产业集群", _("Unknown cluster."))
    size = row.text("企业规模")
    data["size"] = SIZES.get(size, "") if size else ""
    if size and not data["size"]:
        row.error("企业规模", _("Micro, small, medium or large."))
    for column, key, kind in (("从业人数", "headcount", int), ("用地（亩）", "land_mu", Decimal)):
        raw = row.text(column)
        data[key] = None
        if raw:
            try:
                value = kind(raw)
                if value < 0:
                    raise ValueError
                data[key] = value
            except (ValueError, InvalidOperation):
                row.error(column, _("Give a number of zero or more."))
    zone = row.text("位于园区").lower()
    if zone not in YES:
        row.error("位于园区", _("是 or 否."))
    data["in_zone"] = YES.get(zone)
    try:
        data["established_on"] = _date(row.values.get("成立日期"))
    except ValueError:
        row.error("成立日期", _("Give a date as YYYY-MM-DD."))
    data["qualifications"] = []
    for part in re.split(r"[;；\n]", row.text("资质")):
        if not part.strip():
            continue
        pieces = [p.strip() for p in re.split(r"[:：]", part)]
        kind = lookups["qualifications"].get(pieces[0])
        if kind is None:
            row.error("资质", _("Unknown qualification “%(q)s”.") % {"q": pieces[0]})
            continue
        try:
            start = _date(pieces[1]) if len(pieces) > 1 else None
            end = _date(pieces[2]) if len(pieces) > 2 and pieces[2] else None
        except ValueError:
            start = end = None
        if start is None or (end is not None and end < start):
            row.error("资质", _("“%(q)s”: give name:start:end, dates as YYYY-MM-DD.") % {"q": part})
            continue
        data["qualifications"].append((kind, start, end))
    return data if len(row.errors) == before else None


def _read(content: bytes, result: ImportResult) -> list[tuple] | None:
    try:
        check_xlsx_archive(content)
    except ValidationError as exc:
        result.errors.append((0, "", exc.messages[0]))
        return None
    try:
        book = load_workbook(BytesIO(content), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append(values)
            if len(rows) - 1 > MAX_ROWS:
                break
        book.close()
    except Exception:  # an unreadable file is the user's to hear about, not a 500
        result.errors.append((0, "", _("The file is not an Excel workbook (.xlsx).")))
        return None
    if len(rows) - 1 > MAX_ROWS:
        result.errors.append((0, "", _("At most %(n)d rows at a time.") % {"n": MAX_ROWS}))
        return None
    return rows


def import_workbook(content: bytes, *, by) -> ImportResult:
    """Check every row, then create or update every enterprise (by USCC) and add its
    qualifications, in one transaction — or save nothing and report every bad cell."""
    result = ImportResult()
    rows = _read(content, result)
    if rows is None:
        return result
    if len(rows) < 2:
        result.errors.append((0, "", _("The workbook has no rows.")))
        return result
    header = [_text(h) for h in rows[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        result.errors.append((1, "", _("Missing columns: %(c)s") % {"c": "、".join(missing)}))
        return result
    lookups = {
        "industries": {
            c.code: c for c in IndustryCode.objects.filter(level=IndustryCode.Level.DIVISION)
        },
        "clusters": {k: c for c in Cluster.objects.all() for k in (c.code, c.name)},
        "qualifications": {
            k: q for q in QualificationType.objects.filter(is_active=True) for k in (q.code, q.name)
        },
    }
    parsed: list[tuple[int, dict]] = []
    seen_uscc: dict[str, int] = {}
    seen_name: dict[str, str] = {}
    for number, values in enumerate(rows[1:], 2):
        if not any(v not in (None, "") for v in values):
            continue
        row = _Row(number, dict(zip(header, values, strict=False)), result.errors)
        data = _parse(row, lookups)
        uscc, name = normalize_uscc(row.text("统一社会信用代码")), row.text("企业名称")
        if uscc in seen_uscc:
            row.error("统一社会信用代码", _("Also in row %(n)d.") % {"n": seen_uscc[uscc]})
            data = None
        if name and seen_name.get(name, uscc) != uscc:
            row.error("企业名称", _("The same name with another USCC in this file."))
            data = None
        seen_uscc.setdefault(uscc, number)
        seen_name.setdefault(name, uscc)
        if data is not None:
            parsed.append((number, data))
    known = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=[d["uscc"] for _n, d in parsed])}
    clashes = dict(
        Enterprise.objects.filter(name__in=[d["name"] for _n, d in parsed]).values_list(
            "name", "uscc"
        )
    )
    for number, data in parsed:
        if data["name"] in clashes and clashes[data["name"]] != data["uscc"]:
            result.errors.append(
                (number, "企业名称", _("Another enterprise in the register has this name."))
            )
    if result.errors:
        result.errors.sort()
        return result
    with transaction.atomic():
        for _number, data in parsed:
            qualifications = data.pop("qualifications")
            enterprise = known.get(data["uscc"])
            if enterprise is None:
                enterprise = Enterprise(**data)
                enterprise.save()
                audit.record(
                    action=AuditAction.CREATE,
                    obj=enterprise,
                    by=by,
                    after=audit.snapshot(enterprise),
                )
                result.created += 1
            else:
                before = audit.snapshot(enterprise)
                for key, value in data.items():
                    setattr(enterprise, key, value)
                enterprise.version += 1
                enterprise.save()
                audit.record(
                    action=AuditAction.UPDATE,
                    obj=enterprise,
                    by=by,
                    before=before,
                    after=audit.snapshot(enterprise),
                )
                result.updated += 1
            for kind, start, end in qualifications:
                held, made = Qualification.objects.get_or_create(
                    enterprise=enterprise, type=kind, valid_from=start, defaults={"valid_to": end}
                )
                if made:
                    audit.record(
                        action=AuditAction.CREATE, obj=held, by=by, after=audit.snapshot(held)
                    )
    return result
