"""Ratings (好差评): the enterprise rates a closed case on the national five levels; a case not
rated in time counts as satisfied (marked as defaulted); a bad rating opens a remediation the
department answers by a deadline, with a return visit the enterprise sees."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import User
from gaoxin.affairs.models import (
    BAD_LEVELS,
    Application,
    ApplicationState,
    Rating,
    RatingLevel,
    Remediation,
)
from gaoxin.core import audit, workcalendar
from gaoxin.core.models import AuditAction
from gaoxin.core.notifications import notify

__all__ = [
    "rating_due",
    "rating_give",
    "ratings_default",
    "remediation_reply",
    "remediation_visit",
]


def rating_due(application: Application) -> dt.date | None:
    """The last day the enterprise may rate the closed case."""
    if application.closed_at is None:
        return None
    start = timezone.localtime(application.closed_at).date()
    return workcalendar.add_working_days(start, settings.RATING_WORKING_DAYS).value


@transaction.atomic
def rating_give(*, application: Application, by, level: int, reasons: str = "") -> Rating:
    if not by.has_perm("affairs.rate_application", application):
        raise PermissionDenied
    if application.state != ApplicationState.CLOSED:
        raise ValidationError(_("A case is rated once it is closed."))
    if Rating.objects.filter(application=application).exists():
        raise ValidationError(_("This case has been rated."))
    if level not in RatingLevel.values:
        raise ValidationError({"level": [_("Choose one of the five levels.")]})
    if level in BAD_LEVELS and not reasons.strip():
        raise ValidationError({"reasons": [_("Tell us what went wrong.")]})
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                application=application,
                level=level,
                reasons=reasons.strip(),
                by=by,
                rated_at=timezone.now(),
            )
    except IntegrityError:  # rated at the same moment from another tab
        raise ValidationError(_("This case has been rated.")) from None
    audit.record(action=AuditAction.CREATE, obj=rating, by=by, after=audit.snapshot(rating))
    if rating.is_bad:
        _open_remediation(rating, by)
    return rating


def _open_remediation(rating: Rating, by) -> Remediation:
    """Assigned to the department of the case's (first) item, due in the set working days."""
    application = rating.application
    department = application.items.select_related("department").order_by("code")[0].department
    due = workcalendar.add_working_days(timezone.localdate(), settings.REMEDIATION_WORKING_DAYS)
    remediation = Remediation.objects.create(rating=rating, department=department, due_on=due.value)
    audit.record(
        action=AuditAction.CREATE, obj=remediation, by=by, after=audit.snapshot(remediation)
    )
    if department.head_id:
        notify(
            user=department.head,
            key=f"remediation:{remediation.pk}",
            title=_("Bad rating on %(number)s: reply by %(date)s")
            % {"number": application.number, "date": remediation.due_on},
            body=rating.reasons,
            link=f"/affairs/remediations/{remediation.pk}/",
        )
    return remediation


def ratings_default(now: dt.datetime | None = None) -> int:
    """Closed cases not rated within the period count as satisfied, marked as defaulted.
    Idempotent."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    count = 0
    unrated = Application.objects.filter(
        state=ApplicationState.CLOSED, closed_at__isnull=False, rating__isnull=True
    )
    for application in unrated:
        if rating_due(application) >= today:
            continue
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    application=application,
                    level=RatingLevel.SATISFIED,
                    defaulted=True,
                    rated_at=now,
                )
                audit.record(
                    action=AuditAction.CREATE, obj=rating, by=None, after=audit.snapshot(rating)
                )
        except IntegrityError:
            continue  # rated meanwhile
        count += 1
    return count


def _check_department(remediation: Remediation, by) -> None:
    if not by.has_perm("affairs.remedy_rating", remediation):
        raise PermissionDenied


@transaction.atomic
def remediation_reply(*, remediation: Remediation, by, reply: str) -> Remediation:
    remediation = Remediation.objects.select_for_update().get(pk=remediation.pk)
    _check_department(remediation, by)
    if remediation.replied_at:
        raise ValidationError(_("The department has replied."))
    if not reply.strip():
        raise ValidationError({"reply": [_("Write the reply and the measures taken.")]})
    before = audit.snapshot(remediation)
    remediation.reply, remediation.replied_at, remediation.replied_by = (
        reply.strip(),
        timezone.now(),
        by,
    )
    remediation.save()
    audit.record(
        action=AuditAction.UPDATE,
        obj=remediation,
        by=by,
        before=before,
        after=audit.snapshot(remediation),
    )
    _tell_enterprise(remediation, "reply", _("The department replied to your rating of %(number)s"))
    return remediation


@transaction.atomic
def remediation_visit(*, remediation: Remediation, by, notes: str) -> Remediation:
    """The return visit (回访) after the reply: what the enterprise said."""
    remediation = Remediation.objects.select_for_update().get(pk=remediation.pk)
    _check_department(remediation, by)
    if not remediation.replied_at:
        raise ValidationError(_("Reply first, then visit."))
    if remediation.visited_at:
        raise ValidationError(_("The return visit is recorded."))
    if not notes.strip():
        raise ValidationError({"return_visit": [_("Write what the enterprise said.")]})
    before = audit.snapshot(remediation)
    remediation.return_visit, remediation.visited_at, remediation.visited_by = (
        notes.strip(),
        timezone.now(),
        by,
    )
    remediation.save()
    audit.record(
        action=AuditAction.UPDATE,
        obj=remediation,
        by=by,
        before=before,
        after=audit.snapshot(remediation),
    )
    _tell_enterprise(
        remediation, "return-visit", _("Return visit recorded on your rating of %(number)s")
    )
    return remediation


def _tell_enterprise(remediation: Remediation, step: str, title: str) -> None:
    application = remediation.rating.application
    for user in User.objects.filter(enterprise=application.enterprise_id, is_active=True):
        notify(
            user=user,
            key=f"remediation:{remediation.pk}:{step}",
            title=title % {"number": application.number},
            link=f"/affairs/remediations/{remediation.pk}/",
        )
