"""Reads of appeals (诉求直达): the list a user may see and the figures — appeals per category
and department, the on-time reply rate, satisfaction — in one query."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Min, Q
from django.utils import timezone

from gaoxin.dispatch.models import AppealCategory, Problem, ProblemState

__all__ = ["AppealFigures", "Tally", "appeal_figures", "appeals_for"]


def appeals_for(user, action: str = "view"):
    """Appeals (problems without a project) the user may see."""
    return (
        Problem.objects.restrict(user, action)
        .filter(project__isnull=True)
        .select_related("enterprise", "department", "raised_by")
    )


@dataclass
class Tally:
    label: str
    total: int = 0
    open: int = 0
    answered: int = 0
    on_time: int = 0
    late: int = 0
    satisfied: int = 0
    evaluated: int = 0
    policy_feedback: int = 0

    @property
    def on_time_rate(self) -> float | None:
        due = self.on_time + self.late
        return round(100 * self.on_time / due, 1) if due else None

    @property
    def satisfaction(self) -> float | None:
        return round(100 * self.satisfied / self.evaluated, 1) if self.evaluated else None


@dataclass
class AppealFigures:
    overall: Tally
    by_category: list[Tally] = field(default_factory=list)
    by_department: list[Tally] = field(default_factory=list)


def _count(tally: Tally, row: dict, today: dt.date) -> None:
    tally.total += 1
    tally.policy_feedback += row["policy_feedback"]
    if row["state"] not in (ProblemState.RESOLVED, ProblemState.CONFIRMED):
        tally.open += 1
    answered = row["answered_at"]
    if answered is not None:
        tally.answered += 1
    deadline = row["deadline"]
    if deadline is not None:
        if answered is not None:
            if timezone.localtime(answered).date() <= deadline:
                tally.on_time += 1
            else:
                tally.late += 1
        elif deadline < today:  # unanswered past its deadline counts as late already
            tally.late += 1
    if row["satisfied"] is not None:
        tally.evaluated += 1
        tally.satisfied += row["satisfied"]


def appeal_figures(
    queryset=None,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
) -> AppealFigures:
    """Figures over appeals raised from ``start`` to ``end`` (inclusive). The reply is the
    first answer (the first step to “resolved”); it is on time when on or before the deadline
    set at acceptance; an appeal still unanswered after its deadline is late."""
    today = today or timezone.localdate()
    queryset = queryset if queryset is not None else Problem.objects.filter(project__isnull=True)
    if start:
        queryset = queryset.filter(created_at__date__gte=start)
    if end:
        queryset = queryset.filter(created_at__date__lte=end)
    rows = queryset.annotate(
        answered_at=Min("steps__at", filter=Q(steps__to_state=ProblemState.RESOLVED))
    ).values(
        "category",
        "department_id",
        "department__name",
        "state",
        "deadline",
        "satisfied",
        "policy_feedback",
        "answered_at",
    )
    overall = Tally("")
    categories = {c: Tally(str(label)) for c, label in AppealCategory.choices}
    departments: dict[int | None, Tally] = defaultdict(lambda: Tally(""))
    for row in rows:
        _count(overall, row, today)
        if row["category"] in categories:
            _count(categories[row["category"]], row, today)
        tally = departments[row["department_id"]]
        tally.label = row["department__name"] or "—"
        _count(tally, row, today)
    return AppealFigures(
        overall=overall,
        by_category=[t for t in categories.values() if t.total],
        by_department=sorted(departments.values(), key=lambda t: (-t.total, t.label)),
    )
