"""The register's periodic work: reminders of qualifications about to expire."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from gaoxin.core.scheduling import periodic
from gaoxin.enterprises import services

__all__ = ["remind_expiring_qualifications"]


@periodic(every=dt.timedelta(days=1))
@task()
def remind_expiring_qualifications() -> int:
    return services.remind_expiring_qualifications()
