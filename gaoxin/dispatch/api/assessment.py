"""API of the assessment (/api/v1/dispatch/assessment)."""

from django.core.exceptions import ValidationError
from ninja import Query, Router, Schema

from gaoxin.core.api_types import IsoDate
from gaoxin.core.permissions import api_permission
from gaoxin.dispatch import selectors
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
        raise ValidationError({"end": ["The end lies before the start."]})
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
