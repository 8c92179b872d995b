import datetime as dt

from django_tasks import task

from gaoxin.core.scheduling import periodic


@periodic(every=dt.timedelta(hours=1))
@task()
def check_application_commitments() -> int:
    """Flag commitments (容缺) past their date; terminate the case where the item says so."""
    from gaoxin.affairs.services import check_commitments

    return check_commitments()
