"""Import of an existing project ledger (项目台账) from Excel: validated first, all-or-nothing.

The workbook has one row per project with its particulars and the dates at which it reached
each stage, the way zones keep their ledgers today. Every row and field is checked first; if
any is wrong, nothing is written and the report lists each bad row and field. Otherwise the
whole ledger is saved in one transaction through the same services as the pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO
from itertools import pairwise
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from gaoxin.accounts.models import Department, Role, User
from gaoxin.core.excel import build_sheets
from gaoxin.core.uploads import check_xlsx_archive
from gaoxin.enterprises.models import Cluster, Enterprise, IndustryCode
from gaoxin.projects import services
from gaoxin.projects.models import Channel, Project
from gaoxin.projects.stages import INITIAL, TRANSITIONS, Stage

MAX_ROWS = 20000

# (header, key, required). Stage dates follow, one column per stage.
COLUMNS = [
    ("项目名称", "name", True),
    ("投资方", "investor", True),
    ("投资方统一社会信用代码", "uscc", False),
    ("产业集群", "cluster", False),
    ("行业代码", "industry", False),
    ("招引渠道", "channel", False),
    ("来源省份", "source_province", False),
    ("来源城市", "source_city", False),
    ("总投资（万元）", "total_investment", False),
    ("固定资产投资（万元）", "fixed_asset_investment", False),
    ("外资（万元）", "foreign_investment", False),
    ("预计年产值（万元）", "expected_output_value", False),
    ("预计年税收（万元）", "expected_tax", False),
    ("计划开工日期", "planned_start_on", False),
    ("责任部门", "department", False),
    ("项目管家", "steward", False),
    ("联系人", "contact_name", False),
    ("联系电话", "contact_phone", False),
]
STAGE_COLUMNS = [
    ("线索日期", Stage.LEAD),
    ("洽谈日期", Stage.NEGOTIATING),
    ("签约日期", Stage.SIGNED),
    ("注册日期", Stage.REGISTERED),
    ("开工日期", Stage.UNDER_CONSTRUCTION),
    ("投产日期", Stage.IN_PRODUCTION),
    ("达效日期", Stage.AT_CAPACITY),
    ("终止日期", Stage.DROPPED),
]
HEADERS = [c[0] for c in COLUMNS] + [c[0] for c in STAGE_COLUMNS]
MONEY_KEYS = {
    "total_investment",
    "fixed_asset_investment",
    "foreign_investment",
    "expected_output_value",
    "expected_tax",
}


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ParsedRow:
    row: int
    data: dict[str, Any]
    steps: list[tuple[str, dt.date]] = field(default_factory=list)


class Lookups:
    """Reference data loaded once, so checking a large ledger costs a fixed few queries."""

    def __init__(self):
        self.clusters = {c.name: c for c in Cluster.objects.all()}
        self.industries = {c.code: c for c in IndustryCode.objects.filter(level="division")}
        self.departments = {}
        for d in Department.objects.filter(is_active=True):
            self.departments[d.name] = d
            if d.short_name:
                self.departments[d.short_name] = d
        self.stewards = {}
        for u in User.objects.filter(role=Role.STEWARD, is_active=True):
            self.stewards[u.username] = u
            if u.full_name:
                self.stewards[u.full_name] = u
        self.channels = {str(label): value for value, label in Channel.choices}
        self.channels.update({value: value for value in Channel.values})

    def enterprises_by_uscc(self, codes: set[str]) -> dict[str, Enterprise]:
        return {e.uscc: e for e in Enterprise.objects.filter(uscc__in=codes)}


def template_workbook() -> bytes:
    """The ledger template: headers, one example row, and the allowed values.

    Written by the platform's one Excel writer, so names an administrator typed (clusters,
    departments) stay text in the notes.
    """
    example = [
        "示例：智能装备制造项目",
        "苏州某某科技有限公司",
        "",
        "高端智能装备制造",
        "34",
        "以商招商",
        "江苏省",
        "苏州市",
        20000,
        15000,
        0,
        30000,
        1000,
        "2026-09-01",
        "投资促进局",
        "",
        "王总",
        "13900000000",
        "",
        "2026-03-01",
        "2026-05-20",
        "",
        "",
        "",
        "",
        "",
    ]
    notes = [
        ("项目名称、投资方", "必填"),
        ("投资方统一社会信用代码", "投资方已在企业库登记时填写，用于关联企业"),
        ("产业集群", "、".join(Cluster.objects.values_list("name", flat=True))),
        ("行业代码", "GB/T 4754-2017 大类代码，两位数字，如 39"),
        ("招引渠道", "、".join(str(label) for _v, label in Channel.choices)),
        ("责任部门", "、".join(Department.objects.values_list("name", flat=True))),
        ("金额", "单位：万元，不得为负"),
        (
            "阶段日期",
            "格式 YYYY-MM-DD；按 线索→洽谈→签约→注册→开工→投产→达效 的顺序，"
            "日期不得倒序、不得晚于今天；至少填写线索或洽谈日期；"
            "已在企业库的企业扩建项目可不填注册日期",
        ),
    ]
    ledger_columns = [(h, lambda row, i=i: row[i]) for i, h in enumerate(HEADERS)]
    note_columns = [("列", lambda row: row[0]), ("说明", lambda row: row[1])]
    return build_sheets(
        [("项目台账", ledger_columns, [example]), ("填写说明", note_columns, notes)],
        header_fill="DDEBF7",
        column_width=16,
    )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value, column: str, row: int, errors: list[RowError]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(_text(value).replace("/", "-").replace(".", "-"))
    except ValueError:
        errors.append(
            RowError(row, column, _("“%(v)s” is not a date (YYYY-MM-DD).") % {"v": _text(value)})
        )
        return None


def _money(value, column: str, row: int, errors: list[RowError]) -> Decimal:
    if value in (None, ""):
        return Decimal(0)
    try:
        amount = Decimal(_text(value).replace(",", ""))
    except InvalidOperation:
        errors.append(RowError(row, column, _("“%(v)s” is not a number.") % {"v": _text(value)}))
        return Decimal(0)
    if amount < 0:
        errors.append(RowError(row, column, _("Amounts cannot be negative.")))
    if amount >= Decimal("1e12"):
        errors.append(RowError(row, column, _("The amount is too large (unit: 10k CNY).")))
    return amount.quantize(Decimal("0.01"))


def read_rows(content: bytes) -> tuple[list[dict[str, Any]], list[RowError]]:
    """The data rows as {header: value}, or an error about the workbook's shape.

    Runs in the task worker. The archive is checked again before parsing (the upload was
    checked in the web process; a file that reached storage another way is not trusted), and
    the sheet is streamed in read-only mode, stopping at the row limit.
    """
    try:
        check_xlsx_archive(content)
    except ValidationError as exc:
        return [], [RowError(0, "", exc.messages[0])]
    try:
        wb = load_workbook(BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        return [], [RowError(0, "", _("The file cannot be read as an Excel workbook."))]
    try:
        ws = wb.worksheets[0]
        # Rows as long as their cells, not as the sheet's declared size: a forged dimension
        # (A1:XFD1048576) would otherwise pad every row to 16,384 columns and a million rows.
        ws.reset_dimensions()
        rows = ws.iter_rows(values_only=True)
        header = [(_text(h)) for h in next(rows, ())]
        missing = [h for h in HEADERS if h not in header]
        if missing:
            return [], [
                RowError(1, h, _("Column missing; download the template.")) for h in missing
            ]
        out = []
        for values in rows:
            if values is None or all(v in (None, "") for v in values):
                continue
            out.append(dict(zip(header, values, strict=False)))
            if len(out) > MAX_ROWS:
                return [], [RowError(0, "", _("At most %(n)d rows per import.") % {"n": MAX_ROWS})]
        return out, []
    finally:
        wb.close()


def check_rows(
    rows: list[dict[str, Any]], *, progress=None
) -> tuple[list[ParsedRow], list[RowError]]:
    """Check every row; returns what would be saved and every error found."""
    lookups = Lookups()
    today = timezone.localdate()
    codes = {_text(r.get("投资方统一社会信用代码")).upper() for r in rows} - {""}
    enterprises = lookups.enterprises_by_uscc(codes)
    seen_names: dict[str, int] = {}
    existing = set(
        Project.objects.filter(name__in=[_text(r.get("项目名称")) for r in rows]).values_list(
            "name", flat=True
        )
    )
    parsed, errors = [], []
    for index, raw in enumerate(rows, start=2):  # row 1 is the header
        row_errors: list[RowError] = []
        data: dict[str, Any] = {}
        for header, key, required in COLUMNS:
            value = raw.get(header)
            if required and _text(value) == "":
                row_errors.append(RowError(index, header, _("Required.")))
                continue
            if key in MONEY_KEYS:
                data[key] = _money(value, header, index, row_errors)
            elif key == "planned_start_on":
                data[key] = _date(value, header, index, row_errors)
            else:
                data[key] = _text(value)
        name = data.get("name", "")
        if name in existing:
            row_errors.append(
                RowError(index, "项目名称", _("A project of this name is already in the register."))
            )
        elif name in seen_names:
            row_errors.append(
                RowError(index, "项目名称", _("Same name as row %(n)d.") % {"n": seen_names[name]})
            )
        seen_names.setdefault(name, index)
        _resolve(data, lookups, enterprises, index, row_errors)
        steps = _steps(raw, index, today, row_errors)
        if data.get("fixed_asset_investment", 0) > data.get("total_investment", 0):
            row_errors.append(
                RowError(index, "固定资产投资（万元）", _("Cannot exceed the total investment."))
            )
        if data.get("foreign_investment", 0) > data.get("total_investment", 0):
            row_errors.append(
                RowError(index, "外资（万元）", _("Cannot exceed the total investment."))
            )
        errors += row_errors
        if not row_errors:
            parsed.append(ParsedRow(index, data, steps))
        if progress:
            progress(index - 1)
    return parsed, errors


def _resolve(data, lookups: Lookups, enterprises, row: int, errors: list[RowError]) -> None:
    uscc = data.pop("uscc", "").upper()
    investor = data.pop("investor", "")
    data["enterprise"] = None
    data["prospective_investor"] = investor
    if uscc:
        enterprise = enterprises.get(uscc)
        if enterprise is None:
            errors.append(
                RowError(
                    row,
                    "投资方统一社会信用代码",
                    _(
                        "Not in the enterprise register; register the enterprise "
                        "first or leave the code empty."
                    ),
                )
            )
        else:
            data["enterprise"], data["prospective_investor"] = enterprise, ""
    for key, header, table in [
        ("cluster", "产业集群", lookups.clusters),
        ("industry", "行业代码", lookups.industries),
        ("department", "责任部门", lookups.departments),
        ("steward", "项目管家", lookups.stewards),
    ]:
        value = data.get(key, "")
        if not value:
            data[key] = None
        elif value in table:
            data[key] = table[value]
        else:
            errors.append(RowError(row, header, _("Unknown value “%(v)s”.") % {"v": value}))
            data[key] = None
    channel = data.get("channel", "")
    if not channel:
        data["channel"] = Channel.DIRECT
    elif channel in lookups.channels:
        data["channel"] = lookups.channels[channel]
    else:
        errors.append(RowError(row, "招引渠道", _("Unknown value “%(v)s”.") % {"v": channel}))


def _steps(raw, row: int, today: dt.date, errors: list[RowError]) -> list[tuple[str, dt.date]]:
    steps = []
    for header, stage in STAGE_COLUMNS:
        on = _date(raw.get(header), header, row, errors)
        if on is None:
            continue
        if on > today:
            errors.append(RowError(row, header, _("The date cannot be in the future.")))
        steps.append((stage, on, header))
    if not steps:
        errors.append(RowError(row, "洽谈日期", _("Give at least the lead or negotiation date.")))
        return []
    if steps[0][0] not in INITIAL:
        errors.append(
            RowError(
                row, steps[0][2], _("A project's history starts with a lead or a negotiation date.")
            )
        )
        return []
    for (stage, on, _h), (nxt, nxt_on, header) in pairwise(steps):
        if nxt not in TRANSITIONS[stage]:
            errors.append(
                RowError(
                    row,
                    header,
                    _("“%(next)s” cannot follow “%(stage)s”; fill in the missing stage dates.")
                    % {"next": Stage(nxt).label, "stage": Stage(stage).label},
                )
            )
        elif nxt_on < on:
            errors.append(RowError(row, header, _("Earlier than the previous stage's date.")))
    return [(stage, on) for stage, on, _h in steps]


@transaction.atomic
def save_rows(parsed: list[ParsedRow], *, by) -> list[int]:
    """Create every project with its history through the services (one transaction)."""
    ids = []
    for item in parsed:
        (first, first_on), *rest = item.steps
        project = services.project_create(
            by=by, data=item.data, stage=first, on=first_on, note=_("Imported from the ledger")
        )
        for stage, on in rest:
            services.project_advance(
                project=project, to_stage=stage, on=on, by=by, note=_("Imported from the ledger")
            )
        ids.append(project.pk)
    return ids


def run_import(content: bytes, *, by, progress=None) -> tuple[list[int], list[RowError]]:
    """Check, then save everything or nothing. Returns (created ids, errors)."""
    if not by.has_perm("projects.import_project"):
        raise ValidationError(_("You may not import projects."))
    rows, errors = read_rows(content)
    if errors:
        return [], errors
    parsed, errors = check_rows(rows, progress=progress)
    if errors:
        return [], errors
    return save_rows(parsed, by=by), []
