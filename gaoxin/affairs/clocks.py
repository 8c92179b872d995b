"""The clocks of a case (办件), read by the services, the selectors, the pages and the API.

A case has two kinds of clock, both counted on the official working calendar from acceptance:
- the case's promise to the applicant, which stands still while the applicant owes a
  supplement (its time is not the zone's) or the case is stopped for a hearing, testing,
  inspection or expert review;
- one per reviewing department (并联审批), which stands still only while that department waits
  for the supplement it asked for (or the whole case is stopped): another department's request
  never moves it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.affairs.models import Application, BundleCase, BundleCaseState, LimitUnit, Review
from gaoxin.core import workcalendar

__all__ = [
    "DUE_SOON",
    "ON_TIME",
    "OVERDUE",
    "Clock",
    "bundle_clock",
    "case_deadline",
    "case_limit_minutes",
    "clock",
    "deadline_after",
    "extension_minutes",
    "legal_deadline",
    "limit_minutes",
    "review_clock",
    "review_deadline",
    "working_time_text",
]

ON_TIME, DUE_SOON, OVERDUE = "green", "yellow", "red"


def limit_minutes(amount: int, unit: str) -> int:
    """A limit in working minutes (a working day has the office hours' minutes)."""
    per_day = workcalendar.minutes_per_working_day()
    return (
        amount
        * {
            LimitUnit.WORKING_DAYS: per_day,
            LimitUnit.WORKING_HOURS: 60,
            LimitUnit.WORKING_MINUTES: 1,
        }[unit]
    )


def case_limit_minutes(application: Application) -> int:
    """The case's promised limit: the longest of its items' (they are handled together)."""
    return max(limit_minutes(i.promised_limit, i.promised_unit) for i in application.items.all())


def extension_minutes(application: Application) -> int:
    extension = getattr(application, "extension", None)
    return limit_minutes(extension.days, LimitUnit.WORKING_DAYS) if extension else 0


def deadline_after(start: dt.datetime, minutes: int) -> workcalendar.CalendarResult:
    return workcalendar.add_working_minutes(start, minutes)


def case_deadline(application: Application) -> workcalendar.CalendarResult:
    """The promise: acceptance + the limit + the extension + the case's paused time."""
    return deadline_after(
        application.accepted_at,
        application.limit_minutes + extension_minutes(application) + application.paused_minutes,
    )


def review_deadline(review: Review, application: Application) -> workcalendar.CalendarResult:
    """A department's own deadline: its paused time only, not another department's."""
    return deadline_after(
        application.accepted_at,
        application.limit_minutes + extension_minutes(application) + review.paused_minutes,
    )


def working_time_text(minutes: int, *, fine: bool = False) -> str:
    """Working time as people say it: "3 个工作日 2 小时"; hours and minutes only when ``fine``
    (items promised in hours or minutes), otherwise "不足 1 小时" for the last hour."""
    per_day = workcalendar.minutes_per_working_day()
    minutes = abs(int(minutes))
    if fine and minutes < per_day:
        hours, rest = divmod(minutes, 60)
        parts = []
        if hours:
            parts.append(_("%(n)d hours") % {"n": hours})
        if rest or not hours:
            parts.append(_("%(n)d minutes") % {"n": rest})
        return " ".join(parts)
    days, rest = divmod(minutes, per_day)
    hours = rest // 60
    parts = []
    if days:
        parts.append(_("%(n)d working days") % {"n": days})
    if hours:
        parts.append(_("%(n)d hours") % {"n": hours})
    return " ".join(parts) if parts else _("less than an hour")


@dataclass(frozen=True)
class Clock:
    """Where a case or a department's review stands against its limit."""

    light: str
    used: int
    left: int | None
    paused: bool
    paused_minutes: int = 0
    fine: bool = False

    @property
    def text(self) -> str:
        """ "剩余 3 个工作日 2 小时" or "超期 1 个工作日"; empty before acceptance."""
        if self.left is None:
            return ""
        if self.left < 0:
            return _("overdue by %(time)s") % {"time": working_time_text(self.left, fine=self.fine)}
        return _("%(time)s left") % {"time": working_time_text(self.left, fine=self.fine)}

    @property
    def paused_text(self) -> str:
        return working_time_text(self.paused_minutes, fine=self.fine) if self.paused_minutes else ""

    # The pages and the API read the clock as a mapping too.
    def __getitem__(self, key: str):
        return getattr(self, key)


def _clock(*, start, total: int, paused_minutes: int, paused_since, decided_at, now) -> Clock:
    end = decided_at or paused_since or now
    used = workcalendar.working_minutes_between(start, end).minutes - paused_minutes
    left = total - used
    if left < 0:
        light = OVERDUE
    elif decided_at is None and left <= total / 5:
        light = DUE_SOON
    else:
        light = ON_TIME
    return Clock(
        light=light,
        used=used,
        left=left,
        paused=paused_since is not None and decided_at is None,
        paused_minutes=paused_minutes,
        fine=total < workcalendar.minutes_per_working_day(),
    )


def clock(application: Application, now=None) -> Clock:
    """The case's promise to the applicant: working minutes used and left, the applicant's
    time excluded, and its light (yellow in the last fifth of the limit)."""
    if application.accepted_at is None or not application.limit_minutes:
        return Clock(light=ON_TIME, used=0, left=None, paused=False)
    return _clock(
        start=application.accepted_at,
        total=application.limit_minutes + extension_minutes(application),
        paused_minutes=application.paused_minutes,
        paused_since=application.paused_since,
        decided_at=application.decided_at,
        now=now or timezone.now(),
    )


def review_clock(review: Review, application: Application | None = None, now=None) -> Clock:
    """One department's clock in the parallel review."""
    application = application or review.application
    if application.accepted_at is None or not application.limit_minutes:
        return Clock(light=ON_TIME, used=0, left=None, paused=False)
    return _clock(
        start=application.accepted_at,
        total=application.limit_minutes + extension_minutes(application),
        paused_minutes=review.paused_minutes,
        paused_since=review.paused_since,
        decided_at=review.decided_at or application.decided_at,
        now=now or timezone.now(),
    )


def legal_deadline(application: Application):
    """The Administrative Licensing Law's outer bound beside the promise: the longest legal
    limit of the items in working days, plus the time paused and any approved extension."""
    if application.accepted_at is None:
        return None
    days = max(i.legal_limit_days for i in application.items.all())
    extension = getattr(application, "extension", None)
    minutes = limit_minutes(days + (extension.days if extension else 0), LimitUnit.WORKING_DAYS)
    return deadline_after(application.accepted_at, minutes + application.paused_minutes).value


def bundle_clock(run: BundleCase, now=None) -> dict:
    """A bundle run (一件事): working minutes from filing to the last approval (or to now),
    against the bundle's promise."""
    end = run.finished_at or now or timezone.now()
    used = workcalendar.working_minutes_between(run.submitted_at, end).minutes
    return {
        "used": used,
        "limit": run.limit_minutes,
        "within": used <= run.limit_minutes,
        "done": run.state == BundleCaseState.DONE,
    }
