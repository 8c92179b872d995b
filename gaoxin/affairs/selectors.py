"""Reads of government services: the on-time statistics of cases for any period."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q

from gaoxin.affairs.models import Application


@dataclass
class OnTimeRow:
    key: int
    label: str
    decided: int
    on_time: int
    overdue_open: int

    @property
    def rate(self):
        return round(100 * self.on_time / self.decided, 1) if self.decided else None


def on_time(period, now, by: str = "department") -> list[OnTimeRow]:
    """Cases decided in the period and how many by their deadline, per department (of the
    items) or per item; with the cases still open past their deadline now. One query."""
    key = "items__department" if by == "department" else "items"
    label = "items__department__name" if by == "department" else "items__name"
    decided_in = Q(decided_at__date__range=(period.start, period.end))
    rows = (
        Application.objects.filter(accepted_at__isnull=False)
        .values(k=F(key), lbl=F(label))
        .annotate(
            decided=Count("pk", filter=decided_in, distinct=True),
            on_time=Count(
                "pk", filter=decided_in & Q(decided_at__lte=F("deadline")), distinct=True
            ),
            overdue_open=Count(
                "pk",
                filter=Q(decided_at__isnull=True, paused_since__isnull=True, deadline__lt=now),
                distinct=True,
            ),
        )
        .order_by("lbl")
    )
    return [
        OnTimeRow(r["k"], r["lbl"], r["decided"], r["on_time"], r["overdue_open"])
        for r in rows
        if r["decided"] or r["overdue_open"]
    ]
