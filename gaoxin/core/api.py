"""Work-calendar API: the same calculations the pages and later modules use."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from gaoxin.core import workcalendar
from gaoxin.core.api_types import IsoDate
from gaoxin.core.forms import CalendarYearForm
from gaoxin.core.models import CalendarDay, CalendarYear
from gaoxin.core.permissions import api_permission

router = Router(tags=["work calendar"])


class DeadlineOut(Schema):
    start: IsoDate
    working_days: int
    deadline: IsoDate
    certain: bool = Field(
        description="False when a day counted lies in a year whose official "
        "holiday schedule is not yet entered."
    )
    unknown_years: list[int]


class WorkingTimeOut(Schema):
    start: dt.datetime
    end: dt.datetime
    working_minutes: int
    certain: bool
    unknown_years: list[int]


class DayOut(Schema):
    date: IsoDate
    kind: str
    name: str


@router.get(
    "/add-working-days", response=DeadlineOut, summary="The date N working days after a start date"
)
@api_permission("core.view_calendarday")
def add_working_days(request, start: IsoDate, days: int = Query(..., ge=0, le=3660)):
    try:
        result = workcalendar.add_working_days(start, days)
    except workcalendar.OutOfRange as error:
        raise ValidationError({"days": [str(error)]}) from None
    return {
        "start": start,
        "working_days": days,
        "deadline": result.value,
        "certain": result.certain,
        "unknown_years": list(result.unknown_years),
    }


@router.get("/working-time", response=WorkingTimeOut, summary="Office minutes between two instants")
@api_permission("core.view_calendarday")
def working_time(request, start: dt.datetime, end: dt.datetime):
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValidationError(
            {"start": [_("Give instants with a time zone, e.g. 2026-10-09T09:00:00+08:00.")]}
        )
    if (end - start).days > 3660:
        raise ValidationError({"end": [_("The span may be at most ten years.")]})
    try:
        result = workcalendar.working_minutes_between(start, end)
    except workcalendar.OutOfRange as error:
        raise ValidationError({"start": [str(error)]}) from None
    return {
        "start": start,
        "end": end,
        "working_minutes": result.minutes,
        "certain": result.certain,
        "unknown_years": list(result.unknown_years),
    }


@router.get(
    "/years/{int:year}",
    response=list[DayOut],
    summary="Holidays and make-up working days of a year",
)
@api_permission("core.view_calendarday")
def year_days(request, year: int):
    if not CalendarYear.objects.filter(year=year).exists():
        raise Http404
    return CalendarDay.objects.filter(date__year=year)


class CalendarYearIn(Schema):
    holidays: list[str] = Field(
        ...,
        max_length=60,
        description="One per line as on the page: a date or a range and the holiday's name, "
        "e.g. 2027-10-01..2027-10-07 国庆节",
    )
    makeup_workdays: list[str] = Field(
        [], max_length=30, description="Weekend days that are working days (调休), one each"
    )
    note: str = Field("", max_length=200, description="The source, e.g. 国办发明电〔2026〕7号")


@router.put(
    "/years/{int:year}",
    response=list[DayOut],
    summary="Enter or replace a year's holiday schedule (录入年度节假日安排)",
)
@api_permission("core.change_calendarday")
def year_set(request, year: int, payload: CalendarYearIn):
    """The calendar page's form and service (workcalendar.calendar_year_set): every line is
    checked, a bad one is a 400 naming the field; the change is audited."""
    form = CalendarYearForm(
        data={
            "year": year,
            "holidays": "\n".join(payload.holidays),
            "makeup_workdays": "\n".join(payload.makeup_workdays),
            "note": payload.note,
        }
    )
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    data = form.cleaned_data
    workcalendar.calendar_year_set(
        year=data["year"],
        holidays=data["holiday_days"],
        makeup_workdays=data["makeup_days"],
        note=data["note"],
        by=request.auth,
    )
    return CalendarDay.objects.filter(date__year=year)
