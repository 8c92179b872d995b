"""The assessment: departments or stewards ranked by the weighted indicators of a period,
the records behind each number, and the weights in force."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Min, Q
from django.utils import timezone

from gaoxin.accounts.models import Department, Role, User
from gaoxin.dispatch.models import (
    AssessmentWeight,
    DispatchPeriod,
    KeyProject,
    Problem,
    ProgressReport,
)
from gaoxin.projects import stats
from gaoxin.projects.models import Engagement, StageEvent

__all__ = [
    "DEFAULT_WEIGHTS",
    "RATE_INDICATORS",
    "AssessmentRow",
    "assessment",
    "assessment_records",
    "assessment_weights",
]


DEFAULT_WEIGHTS = {
    "signings": 25,
    "starts": 25,
    "visits": 15,
    "problems_on_time": 20,
    "reports_on_time": 15,
}


def assessment_weights() -> dict[str, int]:
    """The weights in force: the defaults, overridden by what an administrator set."""
    weights = dict(DEFAULT_WEIGHTS)
    weights.update(dict(AssessmentWeight.objects.values_list("indicator", "weight")))
    return weights


@dataclass
class AssessmentRow:
    key: int
    label: str
    values: dict = field(default_factory=dict)  # indicator -> count or percent (None = no base)
    bases: dict = field(default_factory=dict)  # indicator -> denominator of a rate
    normalized: dict = field(default_factory=dict)
    score: Decimal = Decimal(0)
    rank: int = 0


RATE_INDICATORS = ("problems_on_time", "reports_on_time")


def _unit_field(by: str, prefix: str) -> str:
    return f"{prefix}department_id" if by == "department" else f"{prefix}steward_id"


def assessment_records(indicator: str, period, by: str, key: int):
    """The records behind one number of the assessment: (label, date, counts, link)."""

    start, end = period.start, period.end
    if indicator in ("signings", "starts"):
        stage = "signed" if indicator == "signings" else "under_construction"
        events = (
            StageEvent.objects.effective()
            .filter(stage=stage, on__range=(start, end), **{_unit_field(by, "project__"): key})
            .select_related("project")
            .order_by("on")
        )
        seen, rows = set(), []
        for e in events:
            if e.project_id not in seen:
                seen.add(e.project_id)
                rows.append((e.project.name, e.on, True, f"/projects/{e.project_id}/"))
        return rows
    if indicator == "visits":
        return [
            (f"{e.project.name} — {e.get_kind_display()}", e.on, True, f"/projects/{e.project_id}/")
            for e in Engagement.objects.filter(
                on__range=(start, end), **{_unit_field(by, "project__"): key}
            )
            .select_related("project")
            .order_by("on")
        ]
    if indicator == "problems_on_time":
        unit = {"department_id": key} if by == "department" else {"project__steward_id": key}
        return [
            (p.title, p.deadline, on_time, f"/dispatch/problems/{p.pk}/")
            for p, on_time in _problems_due(start, end, **unit)
        ]
    if indicator == "reports_on_time":
        rows = []
        for kp, period_row, report in _reports_due(start, end, by, key):
            on_time = report is not None and report.filed_on <= period_row.due
            rows.append(
                (
                    f"{kp.project.name} — {period_row}",
                    period_row.due,
                    on_time,
                    f"/dispatch/periods/{period_row.pk}/",
                )
            )
        return rows
    raise ValueError(indicator)


def _problems_due(start, end, **filters):
    """(problem, resolved by its deadline) for problems whose deadline falls in the range."""

    problems = (
        Problem.objects.filter(deadline__range=(start, end), **filters)
        .annotate(resolved_at=Min("steps__at", filter=Q(steps__to_state="resolved")))
        .select_related("project")
        .order_by("deadline", "id")
    )
    for p in problems:
        resolved = timezone.localtime(p.resolved_at).date() if p.resolved_at else None
        yield p, resolved is not None and resolved <= p.deadline


def _reports_due(start, end, by, key=None):
    """(key project, period, report or None) for every report due in the range."""

    periods = list(DispatchPeriod.objects.filter(due__range=(start, end)))
    if not periods:
        return []
    unit = _unit_field(by, "project__") if by == "steward" else "lead_department_id"
    key_projects = KeyProject.objects.filter(
        year__in={p.start.year for p in periods}
    ).select_related("project")
    if key is not None:
        key_projects = key_projects.filter(**{unit: key})
    reports = {
        (r.period_id, r.key_project_id): r
        for r in ProgressReport.objects.filter(period__in=periods).select_related("period")
    }
    return [
        (kp, p, reports.get((p.pk, kp.pk)))
        for p in periods
        for kp in key_projects
        if kp.year == p.start.year
    ]


def assessment(period, by: str = "department") -> list[AssessmentRow]:
    """Rank departments (or stewards) by the weighted indicators for a period. Counts are
    scaled to the best unit (= 100); rates count as they are; an indicator without a base
    for a unit leaves its weight out of that unit's score."""

    if by == "department":
        units = {d.pk: str(d) for d in Department.objects.filter(is_active=True)}
    else:
        units = {u.pk: str(u) for u in User.objects.filter(role=Role.STEWARD, is_active=True)}
    rows = {pk: AssessmentRow(pk, label) for pk, label in units.items()}
    dimension = "department" if by == "department" else "steward"
    counts = defaultdict(Counter)
    for r in stats.entries_by(dimension, period):
        if r["stage"] == "signed":
            counts["signings"][r["key"]] += r["projects"]
        elif r["stage"] == "under_construction":
            counts["starts"][r["key"]] += r["projects"]
    for r in (
        Engagement.objects.filter(on__range=(period.start, period.end))
        .values(unit=F(_unit_field(by, "project__")))
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts["visits"][r["unit"]] += r["n"]
    rate_num, rate_base = defaultdict(Counter), defaultdict(Counter)
    for p, on_time in _problems_due(period.start, period.end):
        unit = p.department_id if by == "department" else p.project.steward_id
        rate_base["problems_on_time"][unit] += 1
        rate_num["problems_on_time"][unit] += on_time
    for kp, p, report in _reports_due(period.start, period.end, by):
        unit = kp.lead_department_id if by == "department" else kp.project.steward_id
        rate_base["reports_on_time"][unit] += 1
        rate_num["reports_on_time"][unit] += bool(report and report.filed_on <= p.due)
    weights = assessment_weights()
    for indicator in ("signings", "starts", "visits"):
        best = max((counts[indicator][pk] for pk in rows), default=0)
        for pk, row in rows.items():
            row.values[indicator] = counts[indicator][pk]
            row.normalized[indicator] = (
                Decimal(100 * counts[indicator][pk]) / best if best else Decimal(0)
            )
    for indicator in RATE_INDICATORS:
        for pk, row in rows.items():
            base = rate_base[indicator][pk]
            row.bases[indicator] = base
            row.values[indicator] = (
                round(Decimal(100 * rate_num[indicator][pk]) / base, 1) if base else None
            )
            row.normalized[indicator] = row.values[indicator]
    for row in rows.values():
        counted = {k: w for k, w in weights.items() if row.normalized.get(k) is not None and w}
        total = sum(counted.values())
        row.score = (
            round(sum(Decimal(w) * row.normalized[k] for k, w in counted.items()) / total, 1)
            if total
            else Decimal(0)
        )
    ranked = sorted(rows.values(), key=lambda r: (-r.score, r.label))
    for position, row in enumerate(ranked, start=1):
        row.rank = position
    return ranked
