"""API of the lights (/api/v1/dispatch/lights): the year's key projects by light, rolled up."""

from collections import Counter

from ninja import Query, Router, Schema

from gaoxin.core.permissions import api_permission
from gaoxin.dispatch import lights as rules
from gaoxin.dispatch import selectors
from gaoxin.dispatch.api.base import key_projects_for

__all__ = ["router"]


router = Router(tags=["dispatch"])


class RollUpOut(Schema):
    key: int
    label: str
    light: str
    red: int
    yellow: int
    green: int


class LightsOut(Schema):
    year: int
    red: int
    yellow: int
    green: int
    by_department: list[RollUpOut]
    by_leader: list[RollUpOut]


def _roll_up_out(groups):
    return [
        {
            "key": g.key,
            "label": g.label,
            "light": g.light,
            "red": g.counts["red"],
            "yellow": g.counts["yellow"],
            "green": g.counts["green"],
        }
        for g in groups
    ]


@router.get(
    "/lights", response=LightsOut, summary="Key projects by light, per department and leader"
)
@api_permission("dispatch.view_lights")
def lights(request, year: int = Query(..., ge=2000, le=2999)):

    rows = selectors.key_project_lights(key_projects_for(request.auth).filter(year=year))
    counts = Counter(r.light for r in rows)
    return {
        "year": year,
        "red": counts["red"],
        "yellow": counts["yellow"],
        "green": counts["green"],
        "by_department": _roll_up_out(rules.roll_up(rows, "department")),
        "by_leader": _roll_up_out(rules.roll_up(rows, "leader")),
    }
