"""API of the lights (/api/v1/dispatch/lights): the year's key projects by light, rolled up;
the thresholds (including the light an overdue problem or an open 督办单 gives), read and set
by an administrator as on the thresholds page."""

from collections import Counter
from typing import Literal

from ninja import Field, Query, Router, Schema

from gaoxin.core.api_forms import clean_with
from gaoxin.core.permissions import api_permission
from gaoxin.dispatch import lights as rules
from gaoxin.dispatch import selectors, services
from gaoxin.dispatch.api.base import key_projects_for
from gaoxin.dispatch.forms import LightSettingsForm

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


SETTINGS_FIELDS = [
    "yellow_within_days",
    "lag_yellow_points",
    "lag_red_points",
    "not_started_red_months",
    "overdue_problem_light",
    "open_supervision_light",
]


class LightSettingsIn(Schema):
    yellow_within_days: int = Field(
        ..., ge=0, le=60, description="yellow within this many working days of a deadline"
    )
    lag_yellow_points: int = Field(..., ge=1, le=100, description="schedule lag for yellow")
    lag_red_points: int = Field(
        ..., ge=1, le=100, description="schedule lag for red (beyond yellow's)"
    )
    not_started_red_months: int = Field(
        ..., ge=1, le=36, description="red when not started this long after the planned start"
    )
    overdue_problem_light: Literal["yellow", "red"] = Field(
        ..., description="a key project with an overdue problem is at least this light"
    )
    open_supervision_light: Literal["yellow", "red"] = Field(
        ..., description="a key project with an open supervision notice (督办单) is at least this"
    )
    version: int = Field(..., ge=0, le=2**31 - 1, description="the thresholds' version as read")


class LightSettingsOut(LightSettingsIn):
    pass


@router.get(
    "/lights/settings",
    response=LightSettingsOut,
    summary="The light thresholds (亮灯规则)",
)
@api_permission("dispatch.view_lights")
def light_settings(request):
    return rules.light_settings()


@router.put(
    "/lights/settings",
    response=LightSettingsOut,
    summary="Set the light thresholds, administrators only (设置亮灯规则)",
)
@api_permission("dispatch.change_lightsettings")
def light_settings_set(request, payload: LightSettingsIn):
    """The thresholds page's form and service (dispatch.services.light_settings_update),
    audited; a stale ``version`` is a 409 with ``current``."""
    cleaned = clean_with(LightSettingsForm, payload)
    data = {field: cleaned[field] for field in SETTINGS_FIELDS}
    return services.light_settings_update(
        by=request.auth, data=data, expected_version=payload.version
    )
