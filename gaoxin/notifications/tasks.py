"""The outbox's periodic sweep (its other tasks, deliver_due and deliver_one, are in
outbox.py)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from gaoxin.core.scheduling import periodic
from gaoxin.notifications.outbox import deliver_all_due


@periodic(every=dt.timedelta(minutes=10))
@task()
def outbox_sweep() -> dict:
    """The safety net: whatever is due and was not sent by its own task (a task lost in a
    crash between commit and enqueue, a worker that died mid-send)."""
    return deliver_all_due()
