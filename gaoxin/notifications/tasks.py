"""The outbox's work for db_worker: deliver what is due (also every minute, the sweep)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from gaoxin.core.scheduling import periodic


@task()
def deliver_due() -> dict:
    from gaoxin.notifications.outbox import deliver_all_due

    return deliver_all_due()


@periodic(every=dt.timedelta(minutes=1))
@task()
def outbox_sweep() -> dict:
    """Whatever is due: new rows whose task was lost, retries, rows of a worker that died."""
    from gaoxin.notifications.outbox import deliver_all_due

    return deliver_all_due()
