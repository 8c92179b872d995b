"""Progress dispatch: opening a week or month for reports, and filing a key project's report."""

from __future__ import annotations

import calendar
import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core import audit, workcalendar
from gaoxin.core.notifications import notify
from gaoxin.dispatch.models import (
    DispatchPeriod,
    KeyProject,
    PeriodKind,
    ProgressReport,
)
from gaoxin.dispatch.services.base import created, require, updated

__all__ = [
    "period_open",
    "report_file",
]


@transaction.atomic
def period_open(*, kind: str, start: dt.date, by, due: dt.date | None = None):
    """Open a week (from a Monday) or a month (from its first day) for progress reports; the
    reports are due on the first working day after it unless another day is given."""

    require(by, "dispatch.add_dispatchperiod")
    workcalendar.check_range(start, "start")
    if kind == PeriodKind.WEEK:
        if start.weekday() != 0:
            raise ValidationError({"start": _("A week starts on a Monday.")})
        end = start + dt.timedelta(days=6)
    elif kind == PeriodKind.MONTH:
        if start.day != 1:
            raise ValidationError({"start": _("A month starts on its first day.")})
        end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
    else:
        raise ValidationError({"kind": _("Unknown kind.")})
    due = due or workcalendar.add_working_days(end, 1).value
    if due < start:
        raise ValidationError({"due": _("Reports cannot be due before the period starts.")})
    if DispatchPeriod.objects.filter(kind=kind, start=start).exists():
        raise ValidationError({"start": _("This period is open already.")})
    period = DispatchPeriod.objects.create(kind=kind, start=start, end=end, due=due, opened_by=by)
    created(period, by)
    # Tell each lead department's head that its key projects must report.

    heads = {
        kp.lead_department.head
        for kp in KeyProject.objects.filter(year=start.year).select_related("lead_department__head")
        if kp.lead_department.head
    }
    for head in heads:
        notify(
            user=head,
            key=f"period-{period.pk}-open",
            title=_("Progress reports due %(date)s") % {"date": due.isoformat()},
            body=_("Report the progress of your key projects for %(period)s.") % {"period": period},
            link=f"/dispatch/periods/{period.pk}/",
        )
    return period


@transaction.atomic
def report_file(*, period, key_project, by, done: str, next: str, problems: str = ""):
    """File (or amend) a key project's progress report for a period. Lateness is judged by the
    first filing."""

    require(by, "dispatch.add_progressreport", key_project)
    if key_project.year != period.start.year:
        raise ValidationError(
            _("This project is not on the key-project list of %(year)d.")
            % {"year": period.start.year}
        )
    if not done.strip():
        raise ValidationError({"done": _("Say what was done in this period.")})
    if not next.strip():
        raise ValidationError({"next": _("Say what comes next.")})
    existing = (
        ProgressReport.objects.select_for_update()
        .filter(period=period, key_project=key_project)
        .first()
    )
    if existing:
        before = audit.snapshot(existing)
        existing.done, existing.next, existing.problems = (
            done.strip(),
            next.strip(),
            problems.strip(),
        )
        existing.save()
        updated(existing, by, before)
        return existing
    report = ProgressReport.objects.create(
        period=period,
        key_project=key_project,
        done=done.strip(),
        next=next.strip(),
        problems=problems.strip(),
        filed_by=by,
        filed_on=timezone.localdate(),
    )
    created(report, by)
    return report
