import datetime as dt

from django_tasks import task

from gaoxin.affairs.services import (
    check_commitments,
    keep_schedules_open,
    ratings_default,
    record_no_shows,
    send_reminders,
)
from gaoxin.core.scheduling import periodic


@periodic(every=dt.timedelta(hours=1))
@task()
def check_application_commitments() -> int:
    """Flag commitments (容缺) past their date; terminate the case where the item says so."""
    return check_commitments()


@periodic(every=dt.timedelta(hours=6))
@task()
def open_appointment_slots() -> int:
    """Keep every open window's schedule two weeks ahead (idempotent)."""
    return keep_schedules_open()


@periodic(every=dt.timedelta(minutes=15))
@task()
def appointment_reminders_and_no_shows() -> dict:
    """Remind bookers the day before; record bookings nobody came to."""
    return {"reminded": send_reminders(), "no_shows": record_no_shows()}


@periodic(every=dt.timedelta(hours=1))
@task()
def default_ratings() -> int:
    """Closed cases not rated in time count as satisfied (marked as defaulted)."""
    return ratings_default()
