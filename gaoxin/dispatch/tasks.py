import datetime as dt

from django_tasks import task

from gaoxin.core.scheduling import periodic


@periodic(every=dt.timedelta(hours=1))
@task()
def escalate_overdue_problems() -> int:
    from gaoxin.dispatch.services import escalate_overdue

    return escalate_overdue()
