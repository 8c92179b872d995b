import datetime as dt

from django_tasks import task

from gaoxin.core.scheduling import periodic


@periodic(every=dt.timedelta(hours=1))
@task()
def escalate_overdue_problems() -> int:
    from gaoxin.dispatch.services import escalate_overdue

    return escalate_overdue()


@periodic(every=dt.timedelta(hours=1))
@task()
def recompute_uncertain_problem_deadlines() -> int:
    from gaoxin.dispatch.services import recompute_uncertain_deadlines

    return recompute_uncertain_deadlines()


@periodic(every=dt.timedelta(hours=1))
@task()
def send_dispatch_reminders() -> int:
    from gaoxin.dispatch.services import send_reminders

    return send_reminders()


@periodic(every=dt.timedelta(hours=6))
@task()
def publish_last_month_light_list() -> int:
    """Once a month has ended, its red/yellow list is frozen (idempotent)."""
    from django.utils import timezone

    from gaoxin.dispatch.services import publish_light_list

    last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    return publish_light_list(last_month)
