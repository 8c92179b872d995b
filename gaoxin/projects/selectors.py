"""Reads of the project register, always narrowed to what the user may see."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from gaoxin.projects.filters import ProjectFilter
from gaoxin.projects.models import Engagement, MoneyEntry, Project, StageEvent
from gaoxin.projects.stages import PIPELINE, Stage


def project_base(user, action: str = "view") -> QuerySet[Project]:
    return Project.objects.restrict(user, action).select_related(
        "enterprise", "cluster", "department", "steward", "industry"
    )


def project_list(*, user, params=None) -> tuple[ProjectFilter, QuerySet[Project]]:
    filterset = ProjectFilter(params, queryset=project_base(user))
    queryset = filterset.qs
    if not queryset.query.order_by:  # the statistics drill-downs come back unordered
        queryset = queryset.order_by("-created_at", "-id")
    return filterset, queryset


def project_get(*, user, pk: int, action: str = "view") -> Project:
    return get_object_or_404(project_base(user, action), pk=pk)


def project_timeline(project: Project, *, with_engagements: bool = True) -> list[dict]:
    """Stage events (with their corrections) and engagements, newest first."""
    events = StageEvent.objects.filter(project=project).select_related(
        "recorded_by", "correction", "correction__by"
    )
    items = [{"kind": "event", "on": e.on, "at": e.recorded_at, "obj": e} for e in events]
    if with_engagements:
        items += [
            {"kind": "engagement", "on": e.on, "at": e.created_at, "obj": e}
            for e in Engagement.objects.filter(project=project).select_related("recorded_by")
        ]
    items += [
        {"kind": "money", "on": m.on, "at": m.recorded_at, "obj": m}
        for m in MoneyEntry.objects.filter(project=project).select_related("recorded_by")
    ]
    return sorted(items, key=lambda i: (i["on"], i["at"]), reverse=True)


def kanban(*, user, params=None, per_column: int = 12):
    """Projects grouped by current stage for the kanban board (one query per column)."""

    filterset, queryset = project_list(user=user, params=params)
    columns = []
    for stage in [*PIPELINE, Stage.DROPPED]:
        in_stage = queryset.filter(stage=stage)
        columns.append(
            {
                "stage": stage,
                "label": Stage(stage).label,
                "count": in_stage.count(),
                "projects": list(in_stage.order_by("-stage_since", "-id")[:per_column]),
            }
        )
    return filterset, columns
