"""API of the assessment (/api/v1/dispatch/assessment): the ranking, and the indicators'
weights (read by all who see the ranking, set by an administrator as on the weights page)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from gaoxin.core.api_forms import clean_with
from gaoxin.core.api_types import IsoDate
from gaoxin.core.permissions import api_permission
from gaoxin.dispatch import selectors, services
from gaoxin.dispatch.forms import WeightsForm
from gaoxin.projects.stats import Period

__all__ = ["router"]


router = Router(tags=["dispatch"])


class AssessmentRowOut(Schema):
    key: int
    label: str
    rank: int
    score: float
    values: dict[str, float | None]


@router.get(
    "/assessment",
    response=list[AssessmentRowOut],
    summary="Comprehensive assessment of departments or stewards for a period",
)
@api_permission("dispatch.view_assessment")
def assessment(
    request,
    start: IsoDate,
    end: IsoDate,
    by: str = Query("department", pattern="^(department|steward)$"),
):

    if end < start:
        raise ValidationError({"end": [_("The end lies before the start.")]})
    return [
        {
            "key": r.key,
            "label": r.label,
            "rank": r.rank,
            "score": float(r.score),
            "values": {k: (None if v is None else float(v)) for k, v in r.values.items()},
        }
        for r in selectors.assessment(Period(start, end), by)
    ]


class WeightsIn(Schema):
    """Every indicator's weight, 0 to 100; at least one above zero."""

    signings: int = Field(..., ge=0, le=100)
    starts: int = Field(..., ge=0, le=100)
    visits: int = Field(..., ge=0, le=100)
    problems_on_time: int = Field(..., ge=0, le=100)
    reports_on_time: int = Field(..., ge=0, le=100)


@router.get(
    "/assessment/weights",
    response=WeightsIn,
    summary="The assessment's weights (考核权重)",
)
@api_permission("dispatch.view_assessment")
def assessment_weights(request):
    return selectors.assessment_weights()


@router.put(
    "/assessment/weights",
    response=WeightsIn,
    summary="Set the assessment's weights, administrators only (设置考核权重)",
)
@api_permission("dispatch.change_assessmentweight")
def assessment_weights_set(request, payload: WeightsIn):
    """The weights page's form and service (dispatch.services.assessment_weights_set),
    each changed weight audited."""
    return services.assessment_weights_set(
        by=request.auth, weights=clean_with(WeightsForm, payload)
    )
