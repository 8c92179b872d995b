"""Periodic jobs: a registry of tasks and how often each runs, and one scheduling pass.

``manage.py run_scheduler`` calls ``run_due_jobs`` every few seconds. Each job runs once per
time slot (its interval, aligned to the epoch) however many schedulers are running: the
``SchedulerTick`` row for (job, slot) is the lock, so production may run one scheduler per
server without double reminders. The job itself is a task on the normal queue, executed by
``db_worker``.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from gaoxin.core.models import SchedulerTick

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: object  # a django_tasks Task
    every: dt.timedelta


_registry: dict[str, PeriodicJob] = {}


def periodic(*, every: dt.timedelta):
    """Register a task (decorated with ``@task``) to be enqueued every ``every``."""

    def decorate(task):
        _registry[task.name] = PeriodicJob(name=task.name, task=task, every=every)
        return task

    return decorate


def registered_jobs() -> list[PeriodicJob]:
    return sorted(_registry.values(), key=lambda j: j.name)


def slot_for(now: dt.datetime, every: dt.timedelta) -> dt.datetime:
    epoch = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    step = int(every.total_seconds())
    return epoch + dt.timedelta(seconds=(int((now - epoch).total_seconds()) // step) * step)


def run_due_jobs(now: dt.datetime | None = None) -> list[str]:
    """Enqueue every job whose current slot has not been enqueued yet; returns their names."""
    now = now or timezone.now()
    enqueued = []
    for job in registered_jobs():
        slot = slot_for(now, job.every)
        try:
            with transaction.atomic():
                SchedulerTick.objects.create(job=job.name, slot=slot)
                job.task.enqueue()
        except IntegrityError:
            continue  # another scheduler took this slot
        enqueued.append(job.name)
        logger.info("enqueued periodic job %s for %s", job.name, slot.isoformat())
    return enqueued
