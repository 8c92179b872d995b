"""Talent in the API: the figures for a period, teams, and — for talent staff — talents
(ID numbers masked, as on screen) and the programme's batches."""

import datetime as dt

from ninja import Field, Router, Schema

from gaoxin.core.api_types import IsoDate
from gaoxin.core.permissions import api_permission
from gaoxin.talent import selectors

__all__ = ["BatchOut", "TalentOut", "TeamOut", "router"]

router = Router(tags=["talent"])


class TalentFigureOut(Schema):
    kind: str
    count: int
    last_year: int
    yoy: float | None


class TeamOut(Schema):
    id: int
    name: str
    kind: str
    enterprise: int = Field(..., alias="enterprise_id")
    arrived_on: dt.date


class TalentOut(Schema):
    id: int
    name: str
    id_number: str = Field(..., alias="id_masked")
    enterprise: int | None = Field(None, alias="enterprise_id")
    arrived_on: dt.date
    commissioner: int | None = Field(None, alias="commissioner_id")


class BatchOut(Schema):
    id: int
    name: str
    state: str
    closes_on: dt.date
    pass_score: int


@router.get("/figures", response=list[TalentFigureOut], summary="Teams and talents brought in")
@api_permission("talent.view_figures")
def talent_figures(request, start: IsoDate, end: IsoDate):
    return [
        TalentFigureOut(kind=f.kind, count=f.count, last_year=f.last_year, yoy=f.yoy)
        for f in selectors.figures(start, end)
    ]
