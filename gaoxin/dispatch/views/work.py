"""Work pages: my work (what waits for me), a sponsor leader's and a department's page."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from gaoxin.accounts.models import Department, Role, User
from gaoxin.core.permissions import permission_required
from gaoxin.dispatch import lights, selectors, visibility
from gaoxin.dispatch.models import (
    OPEN_STATES,
    DecisionTask,
    DispatchPeriod,
    KeyProject,
    MatterPart,
    Problem,
    ProblemState,
    Supervision,
)
from gaoxin.dispatch.views.base import key_projects_for, with_lights, year_param

__all__ = [
    "department_page",
    "leader_page",
    "my_work",
]


@permission_required("dispatch.view_problem")
def my_work(request):
    """What waits for me: problems my department or I must handle, problems I must confirm,
    supervision notices to answer — reddest first."""

    user = request.user
    order = {"red": 0, "yellow": 1, "green": 2}
    to_handle = []
    if user.is_zone_staff:
        to_handle = list(
            Problem.objects.restrict(user, "change")
            .filter(state__in=OPEN_STATES)
            .select_related("project", "department")[:200]
        )
    to_confirm = list(
        Problem.objects.restrict(user, "view")
        .filter(state=ProblemState.RESOLVED, raised_by=user)
        .select_related("project")[:100]
    )
    if user.role == "enterprise":
        to_confirm = list(
            Problem.objects.restrict(user, "view")
            .filter(state=ProblemState.RESOLVED)
            .select_related("project")[:100]
        )
    for problem in to_handle + to_confirm:
        problem.light = lights.problem_light(problem)
    to_handle.sort(key=lambda p: (order[p.light], p.deadline or p.created_at.date()))
    notices = []
    if visibility.sees_internal(user) and user.department_id:
        notices = with_lights(
            Supervision.objects.filter(
                problem__department_id=user.department_id, replied_at__isnull=True
            ).select_related("problem")
        )
    matters, tasks, reports_due = _my_dispatch_work(user)
    return render(
        request,
        "dispatch/my_work.html",
        {
            "to_handle": to_handle,
            "to_confirm": to_confirm,
            "notices": notices,
            "matters": matters,
            "tasks": tasks,
            "reports_due": reports_due,
        },
    )


def _my_dispatch_work(user):
    """Service-matter parts of my department, tasks I own, reports my key projects owe."""

    if not visibility.sees_internal(user):
        return [], [], []
    today = timezone.localdate()
    order = {"red": 0, "yellow": 1, "green": 2}
    matters = (
        list(
            MatterPart.objects.filter(department_id=user.department_id, done_on__isnull=True)
            .filter(matter__state="open")
            .select_related("matter__key_project__project")[:100]
        )
        if user.department_id
        else []
    )
    for part in matters:
        part.light = lights.matter_light(part.matter, today)
    matters.sort(key=lambda p: (order[p.light], p.matter.deadline))
    tasks = list(
        DecisionTask.objects.open()
        .filter(models.Q(owner=user) | models.Q(department_id=user.department_id or -1))
        .select_related("meeting")[:100]
    )
    for task in tasks:
        task.light = lights.task_light(task, today)
    tasks.sort(key=lambda t: (order[t.light], t.deadline))
    mine = KeyProject.objects.filter(
        models.Q(lead_department_id=user.department_id or -1) | models.Q(project__steward=user)
    )
    reports_due = []
    for period in DispatchPeriod.objects.filter(
        start__lte=today, due__gte=today - dt.timedelta(days=62)
    ):
        owing = mine.filter(year=period.start.year).exclude(reports__period=period)
        for kp in owing.select_related("project"):
            reports_due.append(
                {
                    "period": period,
                    "key_project": kp,
                    "light": "red" if period.due < today else "yellow",
                }
            )
    return matters, tasks, reports_due


@permission_required("dispatch.view_lights")
def leader_page(request, pk: int):
    """A leader's sponsored key projects and their lights, with the open problems on them."""

    leader = get_object_or_404(User, pk=pk, role=Role.LEADER)
    year = year_param(request)
    rows = selectors.key_project_lights(
        key_projects_for(request.user).filter(year=year, sponsor=leader)
    )
    return render(
        request,
        "dispatch/owner_page.html",
        {"owner": leader, "kind": "leader", "year": year, "rows": rows},
    )


@permission_required("dispatch.view_lights")
def department_page(request, pk: int):
    """A department's key projects, open problems, matter parts and tasks, with lights."""

    department = get_object_or_404(Department, pk=pk)
    year = year_param(request)
    today = timezone.localdate()
    rows = selectors.key_project_lights(
        key_projects_for(request.user).filter(year=year, lead_department=department)
    )
    problems = list(
        Problem.objects.filter(department=department, state__in=OPEN_STATES).select_related(
            "project"
        )
    )
    for p in problems:
        p.light = lights.problem_light(p, today)
    parts = list(
        MatterPart.objects.filter(department=department, done_on__isnull=True).select_related(
            "matter__key_project__project"
        )
    )
    for part in parts:
        part.light = lights.matter_light(part.matter, today)
    tasks = list(DecisionTask.objects.open().filter(department=department).select_related("owner"))
    for task in tasks:
        task.light = lights.task_light(task, today)
    return render(
        request,
        "dispatch/owner_page.html",
        {
            "owner": department,
            "kind": "department",
            "year": year,
            "rows": rows,
            "problems": problems,
            "parts": parts,
            "tasks": tasks,
        },
    )
