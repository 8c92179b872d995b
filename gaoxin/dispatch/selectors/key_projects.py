"""Reads of key projects: the list with everything its lights depend on, and the lights
themselves (the rules are gaoxin.dispatch.lights)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q
from django.utils import timezone

from gaoxin.dispatch.lights import RANK, KeyProjectLight, key_project_light
from gaoxin.dispatch.models import (
    OPEN_STATES,
    DecisionTask,
    MatterState,
    Milestone,
    Problem,
    ServiceMatter,
    Supervision,
)
from gaoxin.projects.models import Project
from gaoxin.projects.stages import Stage

__all__ = [
    "key_project_lights",
    "key_projects_for_lights",
    "reconcile_candidates",
]

# Stages from which a project may be put on a year's key-project list (对账's candidates).
CANDIDATE_STAGES = (Stage.SIGNED, Stage.REGISTERED, Stage.UNDER_CONSTRUCTION, Stage.IN_PRODUCTION)


def reconcile_candidates(*, listed_ids, q: str = ""):
    """对账's candidates: projects of the register in a listable stage not yet on the year's
    list, the biggest investment first, found by the project's or the investor's name."""
    candidates = (
        Project.objects.filter(stage__in=CANDIDATE_STAGES)
        .exclude(pk__in=listed_ids)
        .select_related("department")
        .order_by("-total_investment", "pk")
    )
    if q:
        candidates = candidates.filter(Q(name__icontains=q) | Q(enterprise__name__icontains=q))
    return candidates


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


def key_project_lights(
    queryset, today: dt.date | None = None, *, internal: bool = True
) -> list[KeyProjectLight]:
    today = today or timezone.localdate()
    lights = [
        key_project_light(kp, today, internal=internal) for kp in key_projects_for_lights(queryset)
    ]
    lights.sort(key=lambda r: (RANK[r.light], r.key_project.project.name))
    return lights
