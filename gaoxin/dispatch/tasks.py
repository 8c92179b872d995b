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
