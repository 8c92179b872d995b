"""Dispatch's periodic work and when the scheduler runs it: escalating overdue problems,
recomputing deadlines once a year's holidays are known, reminders, and freezing last month's
light list. Each job is a task on the normal queue (``gaoxin.core.scheduling``); the work itself
is in the services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from gaoxin.core.scheduling import periodic
from gaoxin.dispatch import services

__all__ = [
    "escalate_overdue_problems",
    "publish_last_month_light_list",
    "recompute_uncertain_problem_deadlines",
    "send_dispatch_reminders",
]


@periodic(every=dt.timedelta(hours=1))
@task()
def escalate_overdue_problems() -> int:
    return services.escalate_overdue()


@periodic(every=dt.timedelta(hours=1))
@task()
def recompute_uncertain_problem_deadlines() -> int:
    return services.recompute_uncertain_deadlines()


@periodic(every=dt.timedelta(hours=1))
@task()
def send_dispatch_reminders() -> int:
    return services.send_reminders()


@periodic(every=dt.timedelta(hours=6))
@task()
def publish_last_month_light_list() -> int:
    """Once a month has ended, its red/yellow list is frozen (idempotent)."""
    last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    return services.publish_light_list(last_month)
