"""Background tasks of the platform itself."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import task

from gaoxin.core.scheduling import periodic

logger = logging.getLogger(__name__)


@periodic(every=dt.timedelta(days=1))
@task()
def calendar_next_year_check() -> dict:
    """Remind admins from November on when next year's holiday schedule is still missing.

    The State Council usually publishes it in the autumn; until an admin enters it, deadlines
    that fall next year are flagged as uncertain.
    """
    from gaoxin.accounts.models import Role, User
    from gaoxin.core.models import CalendarYear
    from gaoxin.core.notifications import notify

    today = timezone.localdate()
    next_year = today.year + 1
    if today.month < 11 or CalendarYear.objects.filter(year=next_year).exists():
        return {"missing": None, "notified": 0}
    admins = list(User.objects.filter(role=Role.ADMIN, is_active=True))
    for admin in admins:
        notify(
            user=admin,
            key=f"calendar-missing-{next_year}",
            title=f"{next_year} 年工作日历尚未录入",
            body=(
                f"国务院办公厅公布 {next_year} 年节假日安排后，请在“工作日历”中录入；"
                f"在此之前，落在 {next_year} 年的期限均标注为“待确认”。"
            ),
            link=f"/platform/calendar/?year={next_year}",
        )
    logger.warning("work calendar for %s is not entered yet", next_year)
    return {"missing": next_year, "notified": len(admins)}


@periodic(every=dt.timedelta(days=1))
@task()
def prune_scheduler_ticks() -> int:
    from gaoxin.core.models import SchedulerTick

    cutoff = timezone.now() - dt.timedelta(days=30)
    deleted, _ = SchedulerTick.objects.filter(slot__lt=cutoff).delete()
    return deleted
