"""Reads of key projects: the list with everything its lights depend on, and the lights
themselves (the rules are gaoxin.dispatch.lights)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch
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

__all__ = [
    "key_project_lights",
    "key_projects_for_lights",
]


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
