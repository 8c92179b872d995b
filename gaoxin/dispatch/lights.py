"""The traffic lights of key-project dispatch, defined once: green, yellow, red; the light of a
deadline, a problem, a supervision notice and a key project; the thresholds an administrator
sets; and the roll-up by lead department or sponsor leader.

Both the writes (reminders, the published monthly list) and the reads (pages, API, cockpit)
use these rules, so they sit below services and selectors. Lights are computed, never stored
(except the month's published list, frozen on purpose)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core import workcalendar
from gaoxin.dispatch.models import (
    OPEN_STATES,
    DecisionTask,
    KeyProject,
    LightSettings,
    MatterState,
    Milestone,
    Problem,
    ServiceMatter,
    Supervision,
)
from gaoxin.projects.stages import BUILDING_OR_OPERATING

__all__ = [
    "GREEN",
    "LIGHT_SETTINGS_CACHE_KEY",
    "RANK",
    "RED",
    "YELLOW",
    "KeyProjectLight",
    "RollUp",
    "ScheduleLag",
    "add_months",
    "deadline_light",
    "key_project_light",
    "light_settings",
    "matter_light",
    "milestone_light",
    "problem_light",
    "roll_up",
    "schedule_lag",
    "supervision_light",
    "task_light",
    "worst",
]

GREEN, YELLOW, RED = "green", "yellow", "red"
RANK = {RED: 0, YELLOW: 1, GREEN: 2}
LIGHT_SETTINGS_CACHE_KEY = "dispatch-light-settings"


def worst(*lights: str) -> str:
    return min(lights, key=RANK.__getitem__, default=GREEN)


def light_settings() -> LightSettings:
    """The thresholds (cached; the row is created with its defaults on first use)."""
    found = cache.get(LIGHT_SETTINGS_CACHE_KEY)
    if found is None:
        found, _created_now = LightSettings.objects.get_or_create(pk=1)
        cache.set(LIGHT_SETTINGS_CACHE_KEY, found, 300)
    return found


def deadline_light(deadline: dt.date | None, done: bool, today: dt.date) -> str:
    """Red past the deadline, yellow within the configured working days of it, else green."""
    if done or deadline is None:
        return GREEN
    if deadline < today:
        return RED
    within = light_settings().yellow_within_days
    if workcalendar.working_days_between(today, deadline).value <= within:
        return YELLOW
    return GREEN


def problem_light(problem: Problem, today: dt.date | None = None) -> str:
    """Green on track, yellow near its deadline, red overdue (closed problems are green)."""
    today = today or timezone.localdate()
    return deadline_light(problem.deadline, problem.state not in OPEN_STATES, today)


def supervision_light(notice: Supervision, today: dt.date | None = None) -> str:
    """Red when the reply is late, yellow in its last working day, green otherwise (a notice's
    reply is due within days, so its yellow is one working day, not the configured window)."""
    today = today or timezone.localdate()
    if notice.replied_at:
        return GREEN
    if notice.deadline < today:
        return RED
    if workcalendar.working_days_between(today, notice.deadline).value <= 1:
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


def key_project_light(
    key_project: KeyProject, today: dt.date | None = None, *, internal: bool = True
) -> KeyProjectLight:
    """The project's light: the worst of its milestones, matters, problems, notices and tasks,
    and of its schedule against the plan (lag thresholds; not started months after the
    planned start). ``internal=False`` leaves out the internal records (supervision notices,
    meeting tasks) for an outsider (``dispatch.visibility``). Reads what
    ``selectors.key_projects_for_lights`` prefetched."""
    today = today or timezone.localdate()
    thresholds = light_settings()
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
        is_open = problem.state in OPEN_STATES
        light = problem_light(problem, today)
        if is_open and problem.deadline and problem.deadline < today:
            # Overdue: the admin-set colour (red by default, yellow if the zone so decides).
            light = thresholds.overdue_problem_light
            result.add(
                light,
                _("Problem “%(title)s” overdue since %(date)s (%(n)d days)")
                % {
                    "title": problem.title,
                    "date": problem.deadline,
                    "n": (today - problem.deadline).days,
                },
            )
        else:
            result.add(
                light,
                _("Problem “%(title)s” due %(date)s")
                % {"title": problem.title, "date": problem.deadline},
            )
        for notice in problem.supervisions.all() if internal else ():
            light = supervision_light(notice, today)
            if is_open and not notice.replied_at:
                # An open supervision notice: at least the admin-set colour (yellow by default).
                light = worst(light, thresholds.open_supervision_light)
                reason = _(
                    "Supervision notice %(n)s on problem “%(title)s” unanswered, reply due %(date)s"
                ) % {"n": notice.number, "title": problem.title, "date": notice.deadline}
            else:
                reason = _("Supervision notice %(n)s unanswered") % {"n": notice.number}
            result.add(light, reason)
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
