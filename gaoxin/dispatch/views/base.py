"""What the dispatch pages share: the year a page shows, the key projects a user may see, a
notice with its light."""

from __future__ import annotations

from django.utils import timezone

from gaoxin.dispatch import lights
from gaoxin.dispatch.models import KeyProject

__all__ = ["key_projects_for", "with_lights", "year_param"]


def with_lights(notices) -> list:
    notices = list(notices)
    for notice in notices:
        notice.light = lights.supervision_light(notice)
    return notices


def year_param(request) -> int:
    """The ``year`` of the query string (this year if absent or not a number), within 2000–2999."""
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 2000), 2999)


def key_projects_for(user, action: str = "view"):
    return KeyProject.objects.restrict(user, action).select_related(
        "project", "sponsor", "lead_department"
    )
