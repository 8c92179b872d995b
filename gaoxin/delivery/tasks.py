"""The watch's periodic work: telling stewards and lead departments of promises due soon, at
risk or broken (once per promise and status; the work itself is in the services)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from gaoxin.core.scheduling import periodic
from gaoxin.delivery import services

__all__ = ["send_agreement_alerts"]


@periodic(every=dt.timedelta(hours=6))
@task()
def send_agreement_alerts() -> int:
    return services.send_alerts(day=timezone.localdate())
