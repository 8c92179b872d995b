"""The decisions on a case: each reviewing department's in the parallel review (approve,
reject with reasons, or ask for supplements), the window's check of committed (容缺)
materials, the case decided from its reviews, closing, and commitments past their date. A
decided case moves its bundle run on through bundles."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.affairs.models import (
    Application,
    ApplicationState,
    ApplicationStep,
    Commitment,
    Review,
    ReviewState,
    SupplementRequest,
)
from gaoxin.affairs.services.bundles import bundle_step_decided
from gaoxin.affairs.services.notices import (
    quoted_names,
    tell_applicant,
    tell_department,
    tell_window_of_commitment,
)
from gaoxin.affairs.services.pauses import pause, stop_pauses_on_decision
from gaoxin.affairs.services.workflow import locked, move, save
from gaoxin.core import audit, workcalendar
from gaoxin.core.models import AuditAction

__all__ = [
    "COMMITMENT_REMINDER_DAYS",
    "application_close",
    "check_commitments",
    "commitment_check",
    "commitment_supply",
    "review_decide",
]

A = ApplicationState


def open_reviews(application: Application, by) -> None:
    """One review per department at once: each item's own department and its reviewing
    departments, each with its own clock from the case's acceptance."""
    departments = {}
    for item in application.items.select_related("department").prefetch_related(
        "reviewing_departments"
    ):
        departments[item.department_id] = item.department
        for department in item.reviewing_departments.all():
            departments[department.pk] = department
    move(application, A.UNDER_REVIEW, by=by, note=_("Parallel review opened."))
    for department in departments.values():
        review = Review.objects.create(
            application=application,
            department=department,
            deadline=application.deadline,
            deadline_certain=application.deadline_certain,
        )
        tell_department(review, application)


def _commitment_open(application: Application) -> bool:
    commitment = getattr(application, "commitment", None)
    return commitment is not None and commitment.fulfilled_at is None


@transaction.atomic
def commitment_supply(*, application, by, note: str = "") -> Commitment:
    """The applicant (or its agent) hands in the materials it committed to (容缺): a file for
    each must be uploaded first. The case then waits for the window's check; the applicant
    never decides its own case."""
    application = locked(application)
    if not by.has_perm("affairs.supply_application", application):
        raise PermissionDenied
    commitment = getattr(application, "commitment", None)
    if commitment is None or commitment.fulfilled_at:
        raise ValidationError(_("There is no open commitment on this case."))
    if commitment.unmet_at and application.state in (A.REJECTED, A.CLOSED):
        raise ValidationError(_("The case was terminated for the unmet commitment."))
    if commitment.supplied_at:
        raise ValidationError(_("The materials are with the window for checking."))
    since = commitment.returned_at or application.accepted_at
    uploaded = set(
        application.case_materials.filter(uploaded_at__gt=since).values_list(
            "material_id", flat=True
        )
    )
    lacking = [m for m in commitment.materials.all() if m.pk not in uploaded]
    if lacking:
        raise ValidationError(
            {
                "materials": [
                    _("Upload %(names)s first.") % {"names": quoted_names(lacking)}
                    if not commitment.returned_at
                    else _("Upload %(names)s again: the window returned them.")
                    % {"names": quoted_names(lacking)}
                ]
            }
        )
    before = audit.snapshot(commitment)
    commitment.supplied_at, commitment.supplied_by = timezone.now(), by
    commitment.save(update_fields=["supplied_at", "supplied_by"])
    ApplicationStep.objects.create(
        application=application,
        note=_("Committed materials handed in; awaiting the window's check.")
        + (f" {note.strip()}" if note.strip() else ""),
        by=by,
    )
    audit.record(
        action=AuditAction.UPDATE,
        obj=commitment,
        by=by,
        before=before,
        after=audit.snapshot(commitment),
    )
    tell_window_of_commitment(application)
    return commitment


@transaction.atomic
def commitment_check(*, application, by, accept: bool, reasons: str = "") -> Commitment:
    """The window checks the committed materials: accepted, the commitment is met (and the
    case may be approved); returned with reasons, the commitment stays open with its date."""
    application = locked(application)
    if not by.has_perm("affairs.accept_application", application):
        raise PermissionDenied
    commitment = getattr(application, "commitment", None)
    if commitment is None or commitment.fulfilled_at or not commitment.supplied_at:
        raise ValidationError(_("No committed material is waiting for the window's check."))
    if not accept and not reasons.strip():
        raise ValidationError({"reasons": [_("Say what is wrong with the material.")]})
    before = audit.snapshot(commitment)
    now = timezone.now()
    if accept:
        commitment.fulfilled_at, commitment.checked_by = now, by
        note = _("The window accepted the committed materials: the commitment is met.")
    else:
        commitment.supplied_at = None
        commitment.returned_at, commitment.returned_reasons = now, reasons.strip()
        commitment.checked_by = by
        note = _("The window returned the committed materials: %(reasons)s") % {
            "reasons": reasons.strip()
        }
    commitment.save()
    ApplicationStep.objects.create(application=application, note=note, by=by)
    audit.record(
        action=AuditAction.UPDATE,
        obj=commitment,
        by=by,
        before=before,
        after=audit.snapshot(commitment),
    )
    if accept:
        tell_applicant(application, event="commitment-met", title=_("commitment met"))
        _conclude(application, by)
    else:
        tell_applicant(
            application,
            event=f"commitment-returned:{now:%Y%m%d%H%M%S%f}",
            title=_("committed materials returned"),
            body=reasons.strip(),
        )
    return commitment


@transaction.atomic
def review_decide(*, review, by, decision: str, reasons: str = "") -> Review:
    """A department approves, rejects (with reasons) or asks for supplements. Asking pauses
    that department's clock and the case's promise to the applicant; the other departments'
    clocks run on and they may go on deciding. The case is approved when every review has
    approved — never while a commitment is outstanding — and rejected as soon as one rejects."""
    review = Review.objects.select_for_update().select_related("application").get(pk=review.pk)
    application = locked(review.application)
    if not by.has_perm("affairs.review_application", review):
        raise PermissionDenied
    if application.state != A.UNDER_REVIEW:
        raise ValidationError(_("This case is not under review."))
    if review.state not in (ReviewState.PENDING,):
        raise ValidationError(_("This review has been decided already."))
    if decision not in (ReviewState.APPROVED, ReviewState.REJECTED, ReviewState.SUPPLEMENT):
        raise ValidationError({"decision": [_("Unknown decision.")]})
    if decision != ReviewState.APPROVED and not reasons.strip():
        raise ValidationError({"reasons": [_("Give the reasons.")]})
    before = audit.snapshot(review)
    now = timezone.now()
    review.state = decision
    review.reasons = reasons.strip()
    review.decided_by = by
    if decision == ReviewState.SUPPLEMENT:
        request = SupplementRequest.objects.create(
            application=application, review=review, what=reasons.strip(), requested_by=by
        )
        pause(review, now, by=by)
        pause(application, now, by=by)
        ApplicationStep.objects.create(
            application=application,
            note=_("%(dept)s asks for supplements: %(what)s; its clock stands still.")
            % {"dept": review.department, "what": reasons.strip()},
            by=by,
        )
    else:
        review.decided_at = now
        ApplicationStep.objects.create(
            application=application,
            note=_("%(dept)s: %(decision)s")
            % {"dept": review.department, "decision": ReviewState(decision).label}
            + (f" — {reasons.strip()}" if reasons.strip() else ""),
            by=by,
        )
    review.save()
    audit.record(
        action=AuditAction.UPDATE,
        obj=review,
        by=by,
        before=before,
        after=audit.snapshot(review),
    )
    if decision == ReviewState.SUPPLEMENT:
        tell_applicant(
            application,
            event=f"supplement:{request.pk}",
            title=_("%(dept)s asks for supplements (补正)") % {"dept": review.department},
            body=_("%(what)s The promise's clock stands still until you supply them.")
            % {"what": reasons.strip()},
        )
    _conclude(application, by)
    return review


def _conclude(application: Application, by) -> None:
    """Decide the case from its reviews: one rejection rejects it; all approvals approve it
    once no commitment is outstanding."""
    if application.state != A.UNDER_REVIEW:
        return
    states = [r.state for r in application.reviews.all()]
    before = audit.snapshot(application)
    if ReviewState.REJECTED in states:
        move(application, A.REJECTED, by=by)
    elif states and all(s == ReviewState.APPROVED for s in states):
        if _commitment_open(application):
            return  # approval waits for the window's check of the promised materials
        move(application, A.APPROVED, by=by)
    else:
        return
    application.decided_at = timezone.now()
    stop_pauses_on_decision(application, application.decided_at, by=by)
    save(application, by, before)
    case_decided(application, by)


def case_decided(application: Application, by) -> None:
    """A decided case tells the applicant and moves its bundle run on (the next steps open,
    or the run ends)."""
    tell_applicant(
        application,
        event="decided",
        title=_("decided: %(state)s") % {"state": A(application.state).label},
    )
    bundle_step_decided(application=application, by=by)


@transaction.atomic
def application_close(*, application, by) -> Application:
    application = locked(application)
    if not by.has_perm("affairs.accept_application", application):
        raise PermissionDenied
    before = audit.snapshot(application)
    move(application, A.CLOSED, by=by)
    application.closed_at = timezone.now()
    save(application, by, before)
    tell_applicant(
        application,
        event="closed",
        title=_("case closed"),
        body=_("Please rate the service (好差评)."),
    )
    return application


COMMITMENT_REMINDER_DAYS = 2


def check_commitments(now=None) -> int:
    """Remind the applicant of a commitment due within two working days; flag commitments
    past their date whose materials were not handed in (materials waiting for the window's
    check are not the applicant's delay); per the item's rule the case is terminated. Safe to
    run any number of times. Returns how many were newly flagged."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    remind_until = workcalendar.add_working_days(today, COMMITMENT_REMINDER_DAYS).value
    for commitment in Commitment.objects.filter(
        fulfilled_at__isnull=True,
        unmet_at__isnull=True,
        supplied_at__isnull=True,
        due_on__gte=today,
        due_on__lte=remind_until,
    ).select_related("application__enterprise", "application__authorization__agent"):
        tell_applicant(
            commitment.application,
            event=f"commitment-due:{commitment.due_on.isoformat()}",
            title=_("committed materials due %(date)s") % {"date": commitment.due_on.isoformat()},
            body=", ".join(m.name for m in commitment.materials.all()),
        )
    flagged = 0
    for commitment in Commitment.objects.filter(
        fulfilled_at__isnull=True, unmet_at__isnull=True, supplied_at__isnull=True, due_on__lt=today
    ).select_related("application"):
        with transaction.atomic():
            application = locked(commitment.application)
            Commitment.objects.filter(pk=commitment.pk).update(unmet_at=now)
            ApplicationStep.objects.create(
                application=application,
                note=_("Commitment unmet: the materials were due %(date)s.")
                % {"date": commitment.due_on},
                by=None,
            )
            terminates = application.items.filter(unmet_commitment_terminates=True).exists()
            if terminates and application.state == A.UNDER_REVIEW:
                before = audit.snapshot(application)
                move(
                    application,
                    A.REJECTED,
                    by=None,
                    note=_("Terminated: the commitment was not met."),
                )
                application.decided_at = now
                save(application, None, before)
                case_decided(application, None)
            flagged += 1
    return flagged
