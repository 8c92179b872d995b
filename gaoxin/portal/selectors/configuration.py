"""The administrator's desk: configuration to do and the platform's health (the work calendar
for the coming year, the scheduler's heartbeat, failed background jobs), the latest changes."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import User
from gaoxin.core.models import AuditEntry, BackgroundJob, CalendarYear, SchedulerTick
from gaoxin.portal.selectors.tiles import Tile, link

__all__ = ["SCHEDULER_SILENT_MINUTES", "admin_desk"]

# The scheduler ticks every minute; silent this long, the periodic jobs are not running.
SCHEDULER_SILENT_MINUTES = 15


def admin_desk(user, today: dt.date) -> dict:
    now = timezone.now()
    years = list(CalendarYear.objects.order_by("year").values_list("year", flat=True))
    last_tick = SchedulerTick.objects.order_by("-enqueued_at").first()
    failed_since = now - dt.timedelta(days=7)
    failed = BackgroundJob.objects.filter(
        status=BackgroundJob.Status.FAILED, created_at__gte=failed_since
    )
    # The admin's list of exactly these jobs (a local field lookup the change list accepts).
    failed_url = link(
        "admin:core_backgroundjob_changelist",
        status__exact=BackgroundJob.Status.FAILED,
        created_at__gte=timezone.localtime(failed_since).replace(microsecond=0).isoformat(),
    )
    inactive = User.objects.filter(is_active=False).count()
    checks = [
        {
            "ok": today.year in years,
            "label": _("This year's work calendar is entered"),
            "url": link("core:calendar", year=today.year),
        },
        {
            # The State Council publishes next year's holidays in the autumn.
            "ok": today.month < 11 or today.year + 1 in years,
            "label": _("Next year's work calendar is entered (due from November)"),
            "url": link("core:calendar", year=today.year + 1),
        },
        {
            "ok": last_tick is not None
            and last_tick.enqueued_at >= now - dt.timedelta(minutes=SCHEDULER_SILENT_MINUTES),
            "label": _("The scheduler ran its periodic jobs in the last 15 minutes"),
            "url": reverse("admin:index"),
        },
        {
            "ok": not failed.exists(),
            "label": _("No background job failed in the last 7 days"),
            "url": failed_url,
        },
    ]
    to_do = [c for c in checks if not c["ok"]]
    tiles = [
        Tile(
            "checks",
            _("Configuration tasks"),
            len(to_do),
            "#health",
            "danger" if to_do else "",
        ),
        Tile(
            "users",
            _("Active accounts"),
            User.objects.filter(is_active=True).count(),
            link("admin:accounts_user_changelist"),
        ),
        Tile(
            "inactive",
            _("Accounts switched off"),
            inactive,
            link("admin:accounts_user_changelist", is_active__exact=0),
        ),
        Tile(
            "failed",
            _("Failed background jobs (7 days)"),
            failed.count(),
            failed_url,
            "danger" if failed.exists() else "",
        ),
    ]
    return {
        "tiles": tiles,
        "checks_to_do": to_do,
        "checks_ok": [c for c in checks if c["ok"]],
        "calendar_years": years,
        "last_tick": last_tick,
        "recent_audit": list(AuditEntry.objects.select_related("content_type")[:10]),
    }
