"""The case workflow, defined in one place: which state may follow which, and the one way a
case moves (a step row), is locked for a change and is saved (version and audit entry). Every
writer of a case in this package stands on it; nothing here tells anyone or decides anything.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gaoxin.affairs.models import Application, ApplicationState, ApplicationStep
from gaoxin.core import audit
from gaoxin.core.models import AuditAction

# The helpers below are for the writers of this package; callers outside use the services.
__all__ = ["TRANSITIONS"]

A = ApplicationState
# state -> states it may move to by a person's act (the reviews move a case to approved or
# rejected; closing follows a decision).
TRANSITIONS: dict[str, set[str]] = {
    A.DRAFT: {A.SUBMITTED},
    A.SUBMITTED: {A.ACCEPTED, A.ACCEPTED_WITH_DEFICIENCY, A.REJECTED},
    A.ACCEPTED: {A.UNDER_REVIEW},
    A.ACCEPTED_WITH_DEFICIENCY: {A.UNDER_REVIEW},
    A.UNDER_REVIEW: {A.APPROVED, A.REJECTED},
    A.APPROVED: {A.CLOSED},
    A.REJECTED: {A.CLOSED},
    A.CLOSED: set(),
}


def move(application: Application, to_state: str, *, by, note: str = "") -> None:
    """Move the case to ``to_state`` if the workflow allows it, with its step row."""
    if to_state not in TRANSITIONS[application.state]:
        allowed = "、".join(str(A(s).label) for s in TRANSITIONS[application.state]) or "—"
        raise ValidationError(
            _("A case that is “%(current)s” cannot become “%(target)s”. Possible: %(allowed)s.")
            % {
                "current": A(application.state).label,
                "target": A(to_state).label if to_state in A.values else to_state,
                "allowed": allowed,
            }
        )
    ApplicationStep.objects.create(
        application=application,
        from_state=application.state,
        to_state=to_state,
        note=note,
        by=by if getattr(by, "pk", None) else None,
    )
    application.state = to_state


def save(application: Application, by, before: dict) -> None:
    """Save the case with its next version and the audit entry of the change."""
    application.version += 1
    application.save()
    audit.record(
        action=AuditAction.UPDATE,
        obj=application,
        by=by,
        before=before,
        after=audit.snapshot(application),
    )


def locked(application: Application) -> Application:
    """The case as stored, locked until the transaction ends."""
    return Application.objects.select_for_update().get(pk=application.pk)
