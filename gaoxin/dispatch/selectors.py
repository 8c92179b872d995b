"""Reads of key-project dispatch that carry a rule: traffic lights and their roll-ups, who has
not reported, the assessment and the ledger. Lights are computed, never stored (except the
month's published list, frozen on purpose)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core import workcalendar
from gaoxin.dispatch import services
from gaoxin.dispatch.models import (
    OPEN_STATES,
    DecisionTask,
    KeyProject,
    LedgerEntry,
    MatterState,
    Milestone,
    Problem,
    ProgressReport,
    ServiceMatter,
    Supervision,
)

GREEN, YELLOW, RED = services.GREEN, services.YELLOW, services.RED
RANK = {RED: 0, YELLOW: 1, GREEN: 2}


def worst(*lights: str) -> str:
    return min(lights, key=RANK.__getitem__, default=GREEN)


def deadline_light(deadline: dt.date | None, done: bool, today: dt.date) -> str:
    """Red past the deadline, yellow within the configured working days of it, else green."""
    if done or deadline is None:
        return GREEN
    if deadline < today:
        return RED
    within = services.light_settings().yellow_within_days
    if workcalendar.working_days_between(today, deadline).value <= within:
        return YELLOW
    return GREEN


def milestone_light(milestone: Milestone, today: dt.date) -> str:
    return deadline_light(milestone.planned_end, milestone.is_done, today)


def matter_light(matter: ServiceMatter, today: dt.date) -> str:
    return deadline_light(matter.deadline, matter.state == MatterState.DONE, today)


def task_light(task: DecisionTask, today: dt.date) -> str:
    return deadline_light(task.deadline, task.done_on is not None, today)


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class ScheduleLag:
    planned_pct: int  # share of milestones that should be finished by today
    actual_pct: int  # share that are
    points: int  # planned - actual, never below zero


def schedule_lag(milestones: list[Milestone], today: dt.date) -> ScheduleLag | None:
    if not milestones:
        return None
    total = len(milestones)
    planned = sum(1 for m in milestones if m.planned_end < today)
    actual = sum(1 for m in milestones if m.actual_end is not None and m.actual_end <= today)
    planned_pct, actual_pct = round(100 * planned / total), round(100 * actual / total)
    return ScheduleLag(planned_pct, actual_pct, max(planned_pct - actual_pct, 0))


@dataclass
class KeyProjectLight:
    key_project: KeyProject
    light: str = GREEN
    reasons: list[str] = field(default_factory=list)
    lag: ScheduleLag | None = None
    counts: Counter = field(default_factory=Counter)  # light -> items

    def add(self, light: str, reason: str) -> None:
        self.counts[light] += 1
        if light != GREEN:
            self.reasons.append(reason)
        self.light = worst(self.light, light)


def key_projects_for_lights(queryset):
    """The key projects with everything their lights depend on, in a fixed number of queries."""
    return queryset.select_related("project", "sponsor", "lead_department").prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("order")),
        Prefetch("matters", queryset=ServiceMatter.objects.filter(state=MatterState.OPEN)),
        Prefetch("tasks", queryset=DecisionTask.objects.filter(done_on__isnull=True)),
        Prefetch(
            "project__problems",
            queryset=Problem.objects.filter(state__in=OPEN_STATES).prefetch_related(
                Prefetch(
                    "supervisions", queryset=Supervision.objects.filter(replied_at__isnull=True)
                )
            ),
        ),
    )


def key_project_light(
    key_project: KeyProject, today: dt.date | None = None, *, internal: bool = True
) -> KeyProjectLight:
    """The project's light: the worst of its milestones, matters, problems, notices and tasks,
    and of its schedule against the plan (lag thresholds; not started months after the
    planned start). ``internal=False`` leaves out the internal records (supervision notices,
    meeting tasks) for an outsider (``dispatch.visibility``)."""
    from gaoxin.projects.stages import BUILDING_OR_OPERATING

    today = today or timezone.localdate()
    thresholds = services.light_settings()
    result = KeyProjectLight(key_project)
    milestones = list(key_project.milestones.all())
    for m in milestones:
        light = milestone_light(m, today)
        result.add(
            light,
            _("Milestone “%(name)s” due %(date)s") % {"name": m.name, "date": m.planned_end},
        )
    for matter in key_project.matters.all():
        result.add(
            matter_light(matter, today),
            _("Service matter “%(title)s” due %(date)s")
            % {"title": matter.title, "date": matter.deadline},
        )
    for problem in key_project.project.problems.all():
        result.add(
            services.signal(problem, today),
            _("Problem “%(title)s” due %(date)s")
            % {"title": problem.title, "date": problem.deadline},
        )
        for notice in problem.supervisions.all() if internal else ():
            result.add(
                services.supervision_signal(notice, today),
                _("Supervision notice %(n)s unanswered") % {"n": notice.number},
            )
    for task in key_project.tasks.all() if internal else ():
        result.add(
            task_light(task, today),
            _("Task “%(text)s” due %(date)s") % {"text": str(task), "date": task.deadline},
        )
    lag = schedule_lag(milestones, today)
    result.lag = lag
    if lag and lag.points > thresholds.lag_red_points:
        result.add(RED, _("Schedule %(n)d points behind plan") % {"n": lag.points})
    elif lag and lag.points >= thresholds.lag_yellow_points:
        result.add(YELLOW, _("Schedule %(n)d points behind plan") % {"n": lag.points})
    planned_start = next((m.planned_start for m in milestones if m.marks_start), None)
    planned_start = planned_start or key_project.project.planned_start_on
    if (
        planned_start
        and key_project.project.stage not in BUILDING_OR_OPERATING
        and add_months(planned_start, thresholds.not_started_red_months) < today
    ):
        result.add(
            RED,
            _("Not started %(n)d months after the planned start (%(date)s)")
            % {"n": thresholds.not_started_red_months, "date": planned_start},
        )
    return result


def key_project_lights(
    queryset, today: dt.date | None = None, *, internal: bool = True
) -> list[KeyProjectLight]:
    today = today or timezone.localdate()
    lights = [
        key_project_light(kp, today, internal=internal) for kp in key_projects_for_lights(queryset)
    ]
    lights.sort(key=lambda r: (RANK[r.light], r.key_project.project.name))
    return lights


@dataclass
class RollUp:
    key: int
    label: str
    counts: Counter = field(default_factory=Counter)  # light -> key projects

    @property
    def light(self) -> str:
        return RED if self.counts[RED] else YELLOW if self.counts[YELLOW] else GREEN

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def roll_up(lights: list[KeyProjectLight], by: str) -> list[RollUp]:
    """Key projects by light per lead department (``by="department"``) or sponsor leader."""
    groups: dict[int, RollUp] = {}
    for row in lights:
        kp = row.key_project
        owner = kp.lead_department if by == "department" else kp.sponsor
        group = groups.setdefault(owner.pk, RollUp(owner.pk, str(owner)))
        group.counts[row.light] += 1
    return sorted(groups.values(), key=lambda g: (-g.counts[RED], -g.counts[YELLOW], g.label))


# --- progress dispatch -----------------------------------------------------------------------


def reporting_status(period) -> tuple[list, list]:
    """(reports filed, key projects that have not reported) for a period."""
    reports = list(
        ProgressReport.objects.filter(period=period).select_related(
            "key_project__project", "key_project__lead_department", "filed_by"
        )
    )
    filed = {r.key_project_id for r in reports}
    missing = list(
        KeyProject.objects.filter(year=period.start.year)
        .exclude(pk__in=filed)
        .select_related("project", "lead_department", "sponsor")
        .order_by("lead_department__order", "project__name")
    )
    return reports, missing


# --- assessment ------------------------------------------------------------------------------


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
    from gaoxin.projects.models import Engagement, StageEvent

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
    from django.db.models import Min

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
    from gaoxin.dispatch.models import DispatchPeriod

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
    from gaoxin.accounts.models import Department, Role, User
    from gaoxin.projects import stats
    from gaoxin.projects.models import Engagement

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
    weights = services.assessment_weights()
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


# --- ledger ----------------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def ledger_projects(user):
    """Projects in production that keep a ledger, as the user may see them."""
    from gaoxin.projects.selectors import project_base
    from gaoxin.projects.stages import Stage

    return project_base(user).filter(stage__in=(Stage.IN_PRODUCTION, Stage.AT_CAPACITY))


def production_since(projects) -> dict[int, dt.date]:
    """When each project entered production (its first effective in_production event)."""
    from django.db.models import Min

    from gaoxin.projects.models import StageEvent

    return dict(
        StageEvent.objects.effective()
        .filter(project__in=projects, stage="in_production")
        .values("project")
        .annotate(first=Min("on"))
        .values_list("project", "first")
    )


def missing_months(projects, until: dt.date) -> dict[int, list[dt.date]]:
    """Months from entering production up to ``until``'s month (inclusive) without an entry."""
    projects = list(projects)
    since = production_since([p.pk for p in projects])
    entered = defaultdict(set)
    for project_id, month in LedgerEntry.objects.filter(project__in=projects).values_list(
        "project", "month"
    ):
        entered[project_id].add(month)
    last = month_start(until)
    result = {}
    for project in projects:
        first = since.get(project.pk)
        if first is None:
            continue
        month, gaps = month_start(first), []
        while month <= last:
            if month not in entered[project.pk]:
                gaps.append(month)
            month = add_months(month, 1)
        if gaps:
            result[project.pk] = gaps
    return result


@dataclass
class LedgerLine:
    project: object
    entry: LedgerEntry | None
    year_output: Decimal
    year_tax: Decimal
    year_investment: Decimal


def ledger_month(user, month: dt.date) -> list[LedgerLine]:
    """The month's ledger in its familiar layout: each project's month and year-to-date."""
    from django.db.models import Sum

    projects = list(ledger_projects(user).select_related("enterprise", "cluster").order_by("name"))
    entries = {
        e.project_id: e for e in LedgerEntry.objects.filter(project__in=projects, month=month)
    }
    totals = {
        r["project"]: r
        for r in LedgerEntry.objects.filter(
            project__in=projects, month__range=(month.replace(month=1), month)
        )
        .values("project")
        .annotate(o=Sum("output_value"), t=Sum("tax"), i=Sum("investment_completed"))
        .order_by()
    }
    zero = Decimal(0)
    return [
        LedgerLine(
            p,
            entries.get(p.pk),
            totals.get(p.pk, {}).get("o") or zero,
            totals.get(p.pk, {}).get("t") or zero,
            totals.get(p.pk, {}).get("i") or zero,
        )
        for p in projects
    ]
