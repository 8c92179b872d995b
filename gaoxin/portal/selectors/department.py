"""The department's and the steward's desks: their projects, the problems they must handle by
their deadline, the progress reports and meeting tasks due, open service matters, and the
projects whose service log has fallen silent."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Q
from django.utils.translation import gettext as _

from gaoxin.dispatch import lights, visibility
from gaoxin.dispatch.models import (
    OPEN_STATES,
    DecisionTask,
    DispatchPeriod,
    KeyProject,
    MatterState,
    Problem,
    ServiceMatter,
)
from gaoxin.portal.selectors.tiles import Tile, link
from gaoxin.portal.selectors.window import review_queue
from gaoxin.projects.models import Project
from gaoxin.projects.stages import Phase, Stage, phase_of

__all__ = [
    "SERVICE_LOG_EVERY_DAYS",
    "meeting_tasks",
    "problems_to_handle",
    "reports_due",
    "staff_desk",
    "steward_desk",
]

# A steward records a service (a visit, a call, a matter handled) for each of its projects at
# least this often; a project silent longer is on the steward's desk.
SERVICE_LOG_EVERY_DAYS = 30
RANK = {"red": 0, "yellow": 1, "green": 2}
# The desks count the projects still alive (not dropped); their links list the same stages.
LIVE_STAGES = [s for s in Stage.values if s != Stage.DROPPED]


def problems_to_handle(user, today: dt.date, limit: int = 10) -> tuple[int, list]:
    """Open problems the user's department (or the user) must handle, reddest and soonest
    deadline first; with how many there are."""
    open_problems = Problem.objects.restrict(user, "change").filter(state__in=OPEN_STATES)
    problems = list(open_problems.select_related("project", "department")[:200])
    for problem in problems:
        problem.light = lights.problem_light(problem, today)
    problems.sort(key=lambda p: (RANK[p.light], p.deadline or dt.date.max))
    return len(problems), problems[:limit]


def meeting_tasks(user, today: dt.date) -> list:
    """Open dispatch-meeting decisions the user or its department owns, soonest first."""
    if not visibility.sees_internal(user):
        return []
    tasks = list(
        DecisionTask.objects.open()
        .filter(Q(owner=user) | Q(department_id=user.department_id or -1))
        .select_related("meeting", "key_project__project")
        .order_by("deadline")[:50]
    )
    for task in tasks:
        task.light = lights.task_light(task, today)
    return tasks


def reports_due(user, today: dt.date) -> list[dict]:
    """Progress reports the user's key projects (led by its department or stewarded by it)
    owe for the dispatch periods open now or lately, the overdue ones first."""
    if not visibility.sees_internal(user):
        return []
    mine = KeyProject.objects.filter(
        Q(lead_department_id=user.department_id or -1) | Q(project__steward=user)
    )
    due = []
    periods = DispatchPeriod.objects.filter(
        start__lte=today, due__gte=today - dt.timedelta(days=62)
    ).order_by("due")
    for period in periods:
        owing = mine.filter(year=period.start.year).exclude(reports__period=period)
        for key_project in owing.select_related("project"):
            due.append(
                {
                    "period": period,
                    "key_project": key_project,
                    "light": "red" if period.due < today else "yellow",
                }
            )
    due.sort(key=lambda r: (RANK[r["light"]], r["period"].due))
    return due


def staff_desk(user, today: dt.date) -> dict:
    projects = Project.objects.restrict(user).exclude(stage=Stage.DROPPED)
    projects = projects.filter(department_id=user.department_id or -1)
    handle_count, problems = problems_to_handle(user, today)
    reports = reports_due(user, today)
    tasks = meeting_tasks(user, today)
    reviews = review_queue(user, limit=6)
    late_problems = sum(1 for p in problems if p.light == "red")
    tiles = [
        Tile(
            "projects",
            _("Our department's projects"),
            projects.count(),
            link("projects:list", department=user.department_id, stage=LIVE_STAGES),
        ),
        Tile(
            "problems",
            _("Problems to handle"),
            handle_count,
            link("dispatch:my_work") + "#to-handle",
            "danger" if late_problems else ("warning" if handle_count else ""),
        ),
        Tile(
            "reports",
            _("Progress reports due"),
            len(reports),
            link("dispatch:my_work") + "#my-reports",
            "danger" if any(r["light"] == "red" for r in reports) else "",
        ),
        Tile(
            "tasks",
            _("Meeting tasks open"),
            len(tasks),
            link("dispatch:my_work") + "#my-tasks",
            "danger" if any(t.light == "red" for t in tasks) else "",
        ),
    ]
    if reviews["count"]:
        tiles.append(
            Tile(
                "reviews",
                _("Cases for our review"),
                reviews["count"],
                link("affairs:reviews"),
                "danger" if reviews["late"] else "",
            )
        )
    return {
        "tiles": tiles,
        "problems": problems,
        "reports_due": reports[:8],
        "tasks": tasks[:8],
        "reviews": reviews,
        "my_projects": projects.select_related("steward").order_by("-stage_since", "-id")[:8],
    }


def steward_desk(user, today: dt.date) -> dict:
    projects = list(
        Project.objects.restrict(user)
        .filter(steward=user)
        .exclude(stage=Stage.DROPPED)
        .annotate(last_service=Max("service_log__on"))
        .order_by("name")
    )
    by_phase = {phase: [] for phase in Phase.values}
    for project in projects:
        by_phase[phase_of(project.stage)].append(project)
    phases = [
        {
            "phase": phase,
            "label": Phase(phase).label,
            "projects": by_phase[phase],
            "url": link(
                "projects:list",
                steward=user.pk,
                stage=[s for s in Stage.values if phase_of(s) == phase and s != Stage.DROPPED],
            ),
        }
        for phase in Phase.values
    ]
    silent_since = today - dt.timedelta(days=SERVICE_LOG_EVERY_DAYS)
    log_due = [p for p in projects if p.last_service is None or p.last_service < silent_since]
    log_due.sort(key=lambda p: p.last_service or dt.date.min)
    matters = list(
        ServiceMatter.objects.filter(
            key_project__project__steward=user, state=MatterState.OPEN
        ).select_related("key_project__project")
    )
    for matter in matters:
        matter.light = lights.matter_light(matter, today)
    matters.sort(key=lambda m: (RANK[m.light], m.deadline))
    handle_count, problems = problems_to_handle(user, today, limit=6)
    tiles = [
        Tile(
            "projects",
            _("My projects"),
            len(projects),
            link("projects:list", steward=user.pk, stage=LIVE_STAGES),
        ),
        Tile(
            "matters",
            _("Service matters open"),
            len(matters),
            "#matters",
            "danger" if any(m.light == "red" for m in matters) else "",
        ),
        Tile(
            "log",
            _("Service log due"),
            len(log_due),
            link(
                "projects:list",
                steward=user.pk,
                stage=LIVE_STAGES,
                service_silent=SERVICE_LOG_EVERY_DAYS,
            ),
            "warning" if log_due else "",
        ),
        Tile(
            "problems",
            _("Problems on my projects"),
            handle_count,
            link("dispatch:my_work") + "#to-handle",
        ),
    ]
    return {
        "tiles": tiles,
        "phases": phases,
        "log_due": log_due[:10],
        "log_every": SERVICE_LOG_EVERY_DAYS,
        "matters": matters,
        "problems": problems,
        "reports_due": reports_due(user, today)[:6],
    }
