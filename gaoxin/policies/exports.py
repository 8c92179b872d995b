"""The policy workbooks, one definition for the page and the API (issue 22): a clause's match
and a payout batch. Each returns the file's name and its content, written by core.excel."""

from __future__ import annotations

from gaoxin.core.excel import build_sheets, build_workbook
from gaoxin.policies.models import Clause, PayoutBatch

__all__ = ["batch_workbook", "match_workbook"]


def _reasons(outcome) -> str:
    marks = {True: "✓", False: "✗", None: "?"}
    return "；".join(f"{marks[r['holds']]} {r['criterion']}：{r['value']}" for r in outcome.reasons)


def match_workbook(clause: Clause, found) -> tuple[str, bytes]:
    """A clause's match (matching.match_clause): eligible, undeterminable, ineligible."""
    columns = [
        ("企业", lambda r: r.name),
        ("金额（万元）", lambda r: r.outcome.amount),
        ("依据", lambda r: _reasons(r.outcome)),
        ("缺少的数据", lambda r: "；".join(r.outcome.missing)),
    ]
    content = build_sheets(
        [
            ("符合", columns, found.eligible),
            ("无法判定", columns, found.undeterminable),
            ("不符合", columns, found.ineligible),
        ]
    )
    return f"政策匹配-{clause.pk}", content


def batch_workbook(batch: PayoutBatch) -> tuple[str, bytes]:
    """A payout batch's enterprises, amounts and reasons."""
    columns = [
        ("企业", lambda p: p.enterprise.name),
        ("统一社会信用代码", lambda p: p.enterprise.uscc),
        ("金额（万元）", lambda p: p.amount),
        ("符合日期", lambda p: p.eligible_on),
        ("拨付日期", lambda p: p.paid_on),
        ("依据", lambda p: "；".join(f"{r['criterion']}：{r['value']}" for r in p.reasons)),
    ]
    payouts = batch.payouts.select_related("enterprise")
    return batch.number, build_workbook("拨付名单", columns, payouts)
