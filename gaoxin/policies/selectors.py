"""Reads of the policy library and payouts: lists a user may see, an enterprise's payouts and
the clauses it qualifies for (with why), and the figures — policies, enterprises benefited,
amounts paid, days from eligibility to payment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Avg, Count, F, Sum

from gaoxin.policies.matching import clauses_for
from gaoxin.policies.models import BatchState, Clause, Payout, PayoutBatch, Policy

__all__ = ["batches_for", "enterprise_policies", "payout_figures", "policies_for"]


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
