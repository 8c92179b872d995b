"""Reads of the policy library and payouts: lists a user may see, an enterprise's payouts and
the clauses it qualifies for (with why), and the figures — policies, enterprises benefited,
amounts paid, days from eligibility to payment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Avg, Count, F, Sum

from gaoxin.core.excel import build_sheets, build_workbook
from gaoxin.policies.matching import clauses_for
from gaoxin.policies.models import BatchState, Clause, Payout, PayoutBatch, Policy

__all__ = [
    "batch_workbook",
    "batches_for",
    "enterprise_policies",
    "match_workbook",
    "payout_figures",
    "policies_for",
]


def policies_for(user):
    return Policy.objects.restrict(user, "view").annotate(n_clauses=Count("clauses"))


def batches_for(user):
    return PayoutBatch.objects.restrict(user, "view").select_related("clause__policy", "drawn_by")


def enterprise_policies(enterprise, *, as_of: dt.date | None = None) -> dict:
    """What the portal shows an enterprise: the clauses it qualifies for and those that
    cannot be decided (with what is missing), and the payouts it received."""
    rows = clauses_for(enterprise, as_of=as_of)
    drawn = set(
        Payout.objects.filter(enterprise=enterprise).values_list("batch__clause", flat=True)
    )
    return {
        "drawn": drawn,  # clauses with a payout drawn for it (paid or on its way)
        "eligible": [(c, o) for c, o in rows if o.status == "eligible"],
        "undeterminable": [(c, o) for c, o in rows if o.status == "undeterminable"],
        "payouts": list(
            Payout.objects.filter(enterprise=enterprise, batch__state=BatchState.PAID)
            .select_related("batch__clause__policy")
            .order_by("-paid_on")
        ),
    }


def payout_figures(*, start: dt.date | None = None, end: dt.date | None = None) -> dict:
    """Figures of what was paid (by payment date within ``start``–``end``)."""
    paid = Payout.objects.filter(batch__state=BatchState.PAID)
    if start:
        paid = paid.filter(paid_on__gte=start)
    if end:
        paid = paid.filter(paid_on__lte=end)
    totals = paid.aggregate(
        amount=Sum("amount"),
        enterprises=Count("enterprise", distinct=True),
        days=Avg(F("paid_on") - F("eligible_on")),
    )
    days = totals["days"]
    if isinstance(days, dt.timedelta):
        days = days.days + days.seconds / 86400
    elif days is not None:  # SQLite gives microseconds
        days = float(days) / 86_400_000_000
    return {
        "policies": Policy.objects.filter(is_published=True).count(),
        "clauses": Clause.objects.filter(is_active=True).count(),
        "enterprises_benefited": totals["enterprises"] or 0,
        "amount_paid": (totals["amount"] or Decimal(0)).quantize(Decimal("0.01")),
        "average_days": round(days, 1) if days is not None else None,
    }


def _reasons(outcome) -> str:
    marks = {True: "✓", False: "✗", None: "?"}
    return "；".join(f"{marks[r['holds']]} {r['criterion']}：{r['value']}" for r in outcome.reasons)


def match_workbook(found) -> bytes:
    """A clause's match as Excel: eligible, undeterminable, ineligible (the page and the API)."""
    columns = [
        ("企业", lambda r: r.name),
        ("金额（万元）", lambda r: r.outcome.amount),
        ("依据", lambda r: _reasons(r.outcome)),
        ("缺少的数据", lambda r: "；".join(r.outcome.missing)),
    ]
    return build_sheets(
        [
            ("符合", columns, found.eligible),
            ("无法判定", columns, found.undeterminable),
            ("不符合", columns, found.ineligible),
        ]
    )


def batch_workbook(batch: PayoutBatch) -> bytes:
    """A payout batch's list of enterprises and amounts as Excel (the page and the API)."""
    columns = [
        ("企业", lambda p: p.enterprise.name),
        ("统一社会信用代码", lambda p: p.enterprise.uscc),
        ("金额（万元）", lambda p: p.amount),
        ("符合日期", lambda p: p.eligible_on),
        ("拨付日期", lambda p: p.paid_on),
        ("依据", lambda p: "；".join(f"{r['criterion']}：{r['value']}" for r in p.reasons)),
    ]
    payouts = batch.payouts.select_related("enterprise")
    return build_workbook("拨付名单", columns, payouts)
