"""The window's intake (受理审查): within five working days of receipt it accepts the case
(受理; conditionally, 容缺受理, with missing waivable materials and a signed commitment), refuses
it (不予受理) or sends one supplement notice naming everything missing (一次性告知); later, the
law counts the case as accepted on receipt. Acceptance starts the clock and opens the parallel
review."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.affairs import clocks
from gaoxin.affairs.models import (
    Application,
    ApplicationState,
    ApplicationStep,
    Commitment,
    SupplementRequest,
    Window,
)
from gaoxin.affairs.services.decisions import case_decided, open_reviews
from gaoxin.affairs.services.notices import quoted_names, tell_applicant
from gaoxin.affairs.services.workflow import locked, move, save
from gaoxin.core import audit, workcalendar
from gaoxin.core.models import AuditAction

__all__ = [
    "INTAKE_NOTICE_DAYS",
    "application_accept",
    "application_refuse",
    "intake_notice_due",
    "intake_received_at",
    "intake_supplement_request",
]

A = ApplicationState

INTAKE_NOTICE_DAYS = 5


def intake_received_at(application: Application):
    """When the window received the application complete: on submission, or when the
    supplements its notice asked for came in."""
    # Read through .all() so a list that prefetched the supplements asks nothing more.
    notice = next((s for s in application.supplements.all() if s.review_id is None), None)
    if notice is not None and notice.supplied_at is not None:
        return notice.supplied_at
    return application.submitted_at


def intake_notice_due(received):
    """The last day a supplement notice (or the acceptance) may go out: five working days
    after receipt."""
    start = timezone.localtime(received).date()
    return workcalendar.add_working_days(start, INTAKE_NOTICE_DAYS).value


@transaction.atomic
def intake_supplement_request(*, application, by, what: str) -> SupplementRequest:
    """The window's supplement notice before acceptance (一次性告知): everything missing in one
    notice, within five working days of receipt; later the law counts the case as accepted."""
    application = locked(application)
    if not by.has_perm("affairs.accept_application", application):
        raise PermissionDenied
    if application.state != A.SUBMITTED:
        raise ValidationError(_("Only a submitted case waits for the window's notice."))
    if application.supplements.filter(review__isnull=True).exists():
        raise ValidationError(
            _("The window tells everything missing at once (一次性告知); a notice has gone out.")
        )
    if timezone.localdate() > intake_notice_due(application.submitted_at):
        raise ValidationError(
            _(
                "More than five working days have passed since receipt: by law the case counts "
                "as accepted. Accept it (the clock runs from receipt) and let the reviews ask "
                "for supplements."
            )
        )
    if not what.strip():
        raise ValidationError({"what": [_("List everything that is missing or wrong.")]})
    request = SupplementRequest.objects.create(
        application=application, what=what.strip(), requested_by=by
    )
    ApplicationStep.objects.create(
        application=application,
        note=_("Supplement notice before acceptance: %(what)s") % {"what": what.strip()},
        by=by,
    )
    audit.record(action=AuditAction.CREATE, obj=request, by=by, after=audit.snapshot(request))
    tell_applicant(
        application,
        event=f"supplement:{request.pk}",
        title=_("asks for supplements (一次性告知)"),
        body=what.strip(),
    )
    return request


@transaction.atomic
def application_refuse(*, application, by, reasons: str) -> Application:
    """Refuse to accept (不予受理): the matter is not the zone's, or the applicant may not
    apply; the reasons go into the result notice."""
    application = locked(application)
    if not by.has_perm("affairs.accept_application", application):
        raise PermissionDenied
    if application.state != A.SUBMITTED:
        raise ValidationError(_("Only a submitted case can be refused at the window."))
    if not reasons.strip():
        raise ValidationError({"reasons": [_("Give the reasons.")]})
    before = audit.snapshot(application)
    move(application, A.REJECTED, by=by, note=reasons.strip())
    application.decided_at = timezone.now()
    save(application, by, before)
    case_decided(application, by)
    return application


def _serving_window(application: Application):
    return (
        Window.objects.filter(is_active=True, items__in=application.items.all())
        .order_by("number")
        .first()
    )


@transaction.atomic
def application_accept(
    *,
    application,
    by,
    missing=(),
    due_on=None,
    signatory: str = "",
    window=None,
) -> Application:
    """Accept the case (受理) at a window (by default the first that serves its items): the
    clock starts and the parallel reviews open. With missing
    materials it is conditional acceptance (容缺受理): only waivable materials may be missing,
    the enterprise must not be on the dishonesty list, and the signed commitment's date may
    not pass the promised deadline."""
    application = locked(application)
    if not by.has_perm("affairs.accept_application", application):
        raise PermissionDenied
    if application.supplements.filter(review__isnull=True, supplied_at__isnull=True).exists():
        raise ValidationError(_("Wait for the materials asked for in the supplement notice."))
    before = audit.snapshot(application)
    now = timezone.now()
    # A case left at the window longer than five working days without a supplement notice
    # counts as accepted on the day it was received (Administrative Licensing Law, art. 32);
    # after a supplement notice, on the day the supplements came in.
    received = intake_received_at(application)
    late = timezone.localdate() > intake_notice_due(received)
    application.accepted_at = received if late else now
    application.window = window or _serving_window(application)
    application.limit_minutes = clocks.case_limit_minutes(application)
    result = clocks.deadline_after(application.accepted_at, application.limit_minutes)
    application.deadline, application.deadline_certain = result.value, result.certain
    missing = list(missing)
    if missing:
        allowed = {m.pk: m for i in application.items.all() for m in i.materials.all()}
        if any(m.pk not in allowed for m in missing):
            raise ValidationError({"missing": [_("A material does not belong to these items.")]})
        if any(m.essential for m in missing):
            raise ValidationError(
                {"missing": [_("Only waivable materials may be missing; essential ones may not.")]}
            )
        if application.enterprise.is_dishonest:
            raise ValidationError(
                _(
                    "This enterprise is on the dishonesty list (失信) and cannot use conditional "
                    "acceptance."
                )
            )
        if due_on is None:
            raise ValidationError({"due_on": [_("Give the date the materials will be supplied.")]})
        if (
            due_on < timezone.localdate()
            or due_on > timezone.localtime(application.deadline).date()
        ):
            raise ValidationError(
                {
                    "due_on": [
                        _("The date must lie between today and the promised deadline (%(date)s).")
                        % {"date": timezone.localtime(application.deadline).date()}
                    ]
                }
            )
        if not signatory.strip():
            raise ValidationError({"signatory": [_("Record who signed the commitment.")]})
        move(application, A.ACCEPTED_WITH_DEFICIENCY, by=by)
        commitment = Commitment.objects.create(
            application=application,
            due_on=due_on,
            signatory=signatory.strip()[:50],
            signed_on=timezone.localdate(),
        )
        commitment.materials.set(missing)
    else:
        move(application, A.ACCEPTED, by=by)
    if late:
        ApplicationStep.objects.create(
            application=application,
            note=_(
                "Counted as accepted on receipt: no supplement notice within five working days."
            ),
            by=by,
        )
    open_reviews(application, by)
    save(application, by, before)
    if missing:
        tell_applicant(
            application,
            event="accepted",
            title=_("accepted with deficiency (容缺)"),
            body=_("Bring %(names)s by %(date)s, as signed.")
            % {"names": quoted_names(missing), "date": due_on.isoformat()},
        )
    else:
        tell_applicant(
            application,
            event="accepted",
            title=_("accepted"),
            body=_("Promised by %(when)s.")
            % {"when": timezone.localtime(application.deadline).strftime("%Y-%m-%d %H:%M")},
        )
    return application
