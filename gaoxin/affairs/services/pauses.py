"""The clocks standing still and running on (see gaoxin.affairs.clocks for how they are read).
Each clock has one owner: a department's stops while it waits for the supplement it asked for,
the case's promise while the applicant owes anything; an exclusion (hearing, testing, inspection,
expert review) stops every clock; an approved extension moves every undecided deadline."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import Role
from gaoxin.affairs import clocks
from gaoxin.affairs.models import (
    Application,
    ApplicationState,
    ApplicationStep,
    ExcludedPeriod,
    ExclusionKind,
    Extension,
    Review,
    ReviewState,
)
from gaoxin.affairs.services.notices import tell_applicant
from gaoxin.affairs.services.workflow import locked, save
from gaoxin.core import audit, workcalendar
from gaoxin.core.attachments import attachments_of
from gaoxin.core.models import AuditAction

__all__ = [
    "MAX_EXTENSION_DAYS",
    "exclusion_end",
    "exclusion_start",
    "extension_grant",
    "stop_pauses_on_decision",
    "supplement_supply",
]


def pause(clocked: Application | Review, now, *, by=None) -> None:
    """Stop a case's or a department's clock (once; a second reason to stop keeps the start)."""
    if clocked.paused_since is None:
        before = audit.snapshot(clocked)
        clocked.paused_since = now
        type(clocked).objects.filter(pk=clocked.pk).update(paused_since=now)
        audit.record(
            action=AuditAction.UPDATE,
            obj=clocked,
            by=by,
            before=before,
            after=audit.snapshot(clocked),
        )


def _resume(clocked: Application | Review, application: Application, now, *, by=None) -> None:
    """Restart a stopped clock: the working time it stood still is added and its own deadline
    moves on by it — no other clock moves."""
    if clocked.paused_since is None:
        return
    before = audit.snapshot(clocked)
    paused = workcalendar.working_minutes_between(clocked.paused_since, now).minutes
    clocked.paused_minutes += max(paused, 0)
    clocked.paused_since = None
    result = (
        clocks.case_deadline(application)
        if isinstance(clocked, Application)
        else clocks.review_deadline(clocked, application)
    )
    clocked.deadline, clocked.deadline_certain = result.value, result.certain
    type(clocked).objects.filter(pk=clocked.pk).update(
        paused_minutes=clocked.paused_minutes,
        paused_since=None,
        deadline=clocked.deadline,
        deadline_certain=clocked.deadline_certain,
    )
    audit.record(
        action=AuditAction.UPDATE, obj=clocked, by=by, before=before, after=audit.snapshot(clocked)
    )


def _exclusion_open(application: Application) -> bool:
    return application.exclusions.filter(ended_at__isnull=True).exists()


def _resume_what_is_clear(application: Application, now, *, by=None) -> bool:
    """Restart every clock nothing holds any more: a department's once its own supplement is
    in and no exclusion runs; the case's once the applicant owes nothing and no exclusion
    runs. Returns whether the case's clock restarted."""
    if _exclusion_open(application):
        return False
    waiting = set(
        application.supplements.filter(supplied_at__isnull=True, review__isnull=False).values_list(
            "review_id", flat=True
        )
    )
    for review in application.reviews.filter(
        paused_since__isnull=False, decided_at__isnull=True
    ).exclude(pk__in=waiting):
        _resume(review, application, now, by=by)
    if application.paused_since is None or waiting:
        return False
    _resume(application, application, now, by=by)
    return True


def stop_pauses_on_decision(application: Application, now, *, by=None) -> None:
    """A case decided while something still held a clock (one department rejects while
    another waits for the applicant's supplement): the held time up to the decision stays
    out of the zone's time, for the case and each department."""
    for review in application.reviews.filter(paused_since__isnull=False):
        _resume(review, application, now, by=by)
    _resume(application, application, now, by=by)


def _recompute_deadlines(application: Application) -> None:
    """After an extension: the case's and every undecided department's deadline, each with
    its own paused time."""
    result = clocks.case_deadline(application)
    application.deadline, application.deadline_certain = result.value, result.certain
    for review in application.reviews.filter(decided_at__isnull=True):
        result = clocks.review_deadline(review, application)
        Review.objects.filter(pk=review.pk).update(
            deadline=result.value, deadline_certain=result.certain
        )


@transaction.atomic
def supplement_supply(*, application, by, note: str = "", request=None) -> Application:
    """The applicant supplies what was asked (one request, or all that are open): the asking
    department's review returns to it and its clock restarts; the case's promise restarts
    once the applicant owes nothing more."""
    application = locked(application)
    if not by.has_perm("affairs.supply_application", application):
        raise PermissionDenied
    open_requests = application.supplements.filter(supplied_at__isnull=True)
    if request is not None:
        open_requests = open_requests.filter(pk=request.pk)
    open_requests = list(open_requests)
    if not open_requests:
        raise ValidationError(_("Nothing has been asked for."))
    # A supplement is a file: something must have been uploaded since the (earliest) request.
    asked_since = min(r.requested_at for r in open_requests)
    if not attachments_of(application).filter(uploaded_at__gt=asked_since).exists():
        raise ValidationError(
            {"materials": [_("Upload the supplemented files under “Materials” first.")]}
        )
    now = timezone.now()
    before = audit.snapshot(application)
    for supplement in open_requests:
        was = audit.snapshot(supplement)
        supplement.supplied_at, supplement.supplied_by = now, by
        supplement.save(update_fields=["supplied_at", "supplied_by"])
        audit.record(
            action=AuditAction.UPDATE,
            obj=supplement,
            by=by,
            before=was,
            after=audit.snapshot(supplement),
        )
    for review in application.reviews.filter(
        pk__in=[r.review_id for r in open_requests if r.review_id], state=ReviewState.SUPPLEMENT
    ):
        was = audit.snapshot(review)
        review.state = ReviewState.PENDING
        review.save(update_fields=["state"])
        audit.record(
            action=AuditAction.UPDATE, obj=review, by=by, before=was, after=audit.snapshot(review)
        )
    resumed = _resume_what_is_clear(application, now, by=by)
    ApplicationStep.objects.create(
        application=application,
        note=(
            _("Supplements supplied; the clock resumes.") if resumed else _("Supplements supplied.")
        )
        + (f" {note.strip()}" if note.strip() else ""),
        by=by,
    )
    save(application, by, before)
    if resumed:
        tell_applicant(
            application,
            event=f"resumed:supplied:{open_requests[0].pk}",
            title=_("clock resumed"),
            body=_("Promised by %(when)s.")
            % {"when": timezone.localtime(application.deadline).strftime("%Y-%m-%d %H:%M")},
        )
    return application


@transaction.atomic
def exclusion_start(*, application, by, kind: str, written_notice: str):
    """Stop the clock for a hearing, testing, inspection or expert review, with the written
    notice the applicant receives. The whole case stands still: the case's promise and every
    undecided department's clock."""
    application = locked(application)
    # The window, or a department still deciding its part (a hearing or testing it needs).
    if not by.has_perm("affairs.accept_application", application) and not any(
        by.has_perm("affairs.review_application", r)
        for r in application.reviews.filter(decided_at__isnull=True)
    ):
        raise PermissionDenied
    if application.state != ApplicationState.UNDER_REVIEW:
        raise ValidationError(_("This case is not under review."))
    if kind not in ExclusionKind.values:
        raise ValidationError({"kind": [_("Unknown kind.")]})
    if not written_notice.strip():
        raise ValidationError(
            {"written_notice": [_("The applicant is told in writing; write the notice.")]}
        )
    period = ExcludedPeriod.objects.create(
        application=application, kind=kind, written_notice=written_notice.strip(), by=by
    )
    pause(application, period.started_at, by=by)
    for review in application.reviews.filter(decided_at__isnull=True):
        pause(review, period.started_at, by=by)
    ApplicationStep.objects.create(
        application=application,
        note=_("Clock stopped for %(kind)s: %(notice)s")
        % {"kind": ExclusionKind(kind).label, "notice": written_notice.strip()},
        by=by,
    )
    audit.record(action=AuditAction.CREATE, obj=period, by=by, after=audit.snapshot(period))
    tell_applicant(
        application,
        event=f"paused:{period.pk}",
        title=_("clock stopped for %(kind)s") % {"kind": ExclusionKind(kind).label},
        body=written_notice.strip(),
    )
    return period


@transaction.atomic
def exclusion_end(*, period, by):
    application = locked(period.application)
    if period.ended_at:
        raise ValidationError(_("This period has ended already."))
    if not by.has_perm("affairs.accept_application", application) and by != period.by:
        raise PermissionDenied
    now = timezone.now()
    before = audit.snapshot(application)
    period.ended_at = now
    period.save(update_fields=["ended_at"])
    resumed = _resume_what_is_clear(application, now, by=by)
    ApplicationStep.objects.create(
        application=application,
        note=_("%(kind)s finished; the clock resumes.") % {"kind": period.get_kind_display()},
        by=by,
    )
    save(application, by, before)
    if resumed:
        tell_applicant(
            application,
            event=f"resumed:{period.pk}",
            title=_("clock resumed"),
            body=_("Promised by %(when)s.")
            % {"when": timezone.localtime(application.deadline).strftime("%Y-%m-%d %H:%M")},
        )
    return application


MAX_EXTENSION_DAYS = 10


@transaction.atomic
def extension_grant(*, application, by, days: int, reason: str):
    """Extend the limit (once, at most ten working days), approved by a leader or the
    department's head; recorded and audited."""
    application = locked(application)
    heads = {i.department.head_id for i in application.items.select_related("department")}
    if not (by.role in (Role.ADMIN, Role.LEADER) or by.pk in heads):
        raise PermissionDenied
    if application.state != ApplicationState.UNDER_REVIEW:
        raise ValidationError(_("This case is not under review."))
    if hasattr(application, "extension"):
        raise ValidationError(_("The limit has been extended once already."))
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ValidationError(
            {"days": [_("Extend by 1 to %(n)d working days.") % {"n": MAX_EXTENSION_DAYS}]}
        )
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason.")]})
    before = audit.snapshot(application)
    Extension.objects.create(
        application=application, days=days, reason=reason.strip(), approved_by=by
    )
    application.refresh_from_db()
    _recompute_deadlines(application)
    ApplicationStep.objects.create(
        application=application,
        note=_("Limit extended by %(n)d working days: %(reason)s")
        % {"n": days, "reason": reason.strip()},
        by=by,
    )
    save(application, by, before)
    tell_applicant(
        application,
        event="extended",
        title=_("limit extended by %(n)d working days") % {"n": days},
        body=reason.strip(),
    )
    return application
