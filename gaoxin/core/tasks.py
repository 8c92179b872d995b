"""Background tasks of the platform itself."""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks import task

from gaoxin.core.models import CalendarYear, SchedulerTick
from gaoxin.core.notifications import (  # noqa: F401 (the days re-exported for the job's readers)
    NOTIFICATION_USEFUL_DAYS,
    archive_stale,
    notify,
)
from gaoxin.core.scheduling import periodic

logger = logging.getLogger(__name__)

# accounts.Role.ADMIN: core stands below accounts, so it names the role by its stored value.
ADMIN_ROLE = "admin"


@periodic(every=dt.timedelta(days=1))
@task()
def calendar_next_year_check() -> dict:
    """Remind admins from November on when next year's holiday schedule is still missing.

    The State Council usually publishes it in the autumn; until an admin enters it, deadlines
    that fall next year are flagged as uncertain.
    """
    today = timezone.localdate()
    next_year = today.year + 1
    if today.month < 11 or CalendarYear.objects.filter(year=next_year).exists():
        return {"missing": None, "notified": 0}
    admins = list(get_user_model().objects.filter(role=ADMIN_ROLE, is_active=True))
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
    cutoff = timezone.now() - dt.timedelta(days=30)
    deleted, _ = SchedulerTick.objects.filter(slot__lt=cutoff).delete()
    return deleted


# A reminder is of use for NOTIFICATION_USEFUL_DAYS; older unread ones are archived (marked
# read, kept in the list) by the daily job, so nobody signs in to a pile of stale reminders.


@periodic(every=dt.timedelta(days=1))
@task()
def archive_stale_notifications() -> int:
    """Mark read the unread notifications older than NOTIFICATION_USEFUL_DAYS; how many."""
    return archive_stale()
