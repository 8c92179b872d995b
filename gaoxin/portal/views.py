"""Each role's home page: the enterprise portal, the agent's desk and the staff overview.

Moved here from core (part of #16) so that core no longer reads the domains above it; the
pages are unchanged.
"""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import Role, User
from gaoxin.affairs.clocks import clock
from gaoxin.affairs.models import Application, Appointment, Authorization
from gaoxin.affairs.selectors import enterprise_portal
from gaoxin.core.models import AuditEntry, CalendarYear
from gaoxin.core.permissions import AUTHENTICATED, permission_required
from gaoxin.dispatch.models import Problem
from gaoxin.dispatch.services import signal
from gaoxin.enterprises.models import Cluster, Enterprise
from gaoxin.projects import stats
from gaoxin.projects.models import Project
from gaoxin.projects.stages import Stage

__all__ = ["home"]


@permission_required(AUTHENTICATED)
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context: dict = {"role": user.role}
    enterprises = Enterprise.objects.restrict(user, "view")
    if user.role == Role.ENTERPRISE:
        return _enterprise_home(request, context, enterprises)
    if user.role == Role.AGENT:
        return _agent_home(request, context)
    return _staff_home(request, context, enterprises)


def _enterprise_home(request: HttpRequest, context: dict, enterprises) -> HttpResponse:
    """The enterprise portal: its register entry, projects, problems and government services."""
    user = request.user
    context["enterprise"] = enterprises.select_related("cluster", "industry").first()
    context["projects"] = Project.objects.restrict(user).order_by("-created_at")[:10]
    problems = list(Problem.objects.restrict(user).select_related("project")[:10])
    for problem in problems:
        problem.light = signal(problem)
    context["problems"] = problems
    context.update(enterprise_portal(user))
    for application in context["open_applications"]:
        application.clock = clock(application)
    return render(request, "portal/home_enterprise.html", context)


def _agent_home(request: HttpRequest, context: dict) -> HttpResponse:
    """The agent's desk: who authorised them, their cases and coming appointments."""
    user = request.user
    today = timezone.localdate()
    context.update(
        authorizations=Authorization.objects.restrict(user)
        .active_on(today)
        .select_related("enterprise"),
        applications=Application.objects.restrict(user)
        .select_related("enterprise")
        .prefetch_related("items")[:20],
        appointments=Appointment.objects.restrict(user)
        .filter(state="booked", slot__ends_at__gte=timezone.now())
        .select_related("slot__window", "item", "enterprise")[:10],
    )
    return render(request, "portal/home_agent.html", context)


def _staff_home(request: HttpRequest, context: dict, enterprises) -> HttpResponse:
    """The zone's staff: enterprises by cluster, the year's figures and their own projects."""
    user = request.user
    by_cluster = list(
        Cluster.objects.filter(is_active=True)
        .annotate(n=Count("enterprises"))
        .values("name", "n")
        .order_by("order")
    )
    unclustered = enterprises.filter(cluster__isnull=True).count()
    names = [c["name"] for c in by_cluster] + ([_("No cluster")] if unclustered else [])
    counts = [c["n"] for c in by_cluster] + ([unclustered] if unclustered else [])
    context.update(
        cluster_chart={
            "tooltip": {},
            "grid": {"left": 40, "right": 10, "top": 20, "bottom": 30},
            "xAxis": {"type": "category", "data": names},
            "yAxis": {"type": "value", "minInterval": 1},
            "series": [{"type": "bar", "data": counts, "barMaxWidth": 48}],
        },
        enterprise_count=enterprises.count(),
        by_cluster=by_cluster,
        recent_enterprises=enterprises.order_by("-created_at")[:5],
        calendar_years=list(CalendarYear.objects.values_list("year", flat=True)),
        today=timezone.localdate(),
    )
    if user.role == Role.ADMIN:
        context["recent_audit"] = AuditEntry.objects.select_related("content_type")[:8]
    context.update(_project_overview(user))
    return render(request, "portal/home_staff.html", context)


def _project_overview(user: User) -> dict:
    """This year's attraction figures with YoY and targets, and the user's own projects."""
    if not user.has_perm("projects.view_statistics"):
        return {}
    today = timezone.localdate()
    period = stats.Period.year_to_date(today)
    compared = stats.entries_compared(period)
    figures = [
        (stage, Stage(stage).label, compared[stage])
        for stage in (
            Stage.NEGOTIATING,
            Stage.SIGNED,
            Stage.UNDER_CONSTRUCTION,
            Stage.IN_PRODUCTION,
        )
    ]
    mine = Project.objects.restrict(user, "view")
    if user.role == Role.STEWARD:
        mine = mine.filter(steward=user)
    elif user.department_id:
        mine = mine.filter(department=user.department)
    else:
        mine = mine.none()
    return {
        "year_figures": figures,
        "year_period": period,
        "targets": stats.target_progress(today.year, today),
        "my_projects": mine.exclude(stage=Stage.DROPPED).order_by("-stage_since", "-id")[:8],
    }
