"""Progress dispatch: who has reported for a period and who has not."""

from __future__ import annotations

from gaoxin.dispatch.models import (
    KeyProject,
    ProgressReport,
)

__all__ = [
    "reporting_status",
]


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
