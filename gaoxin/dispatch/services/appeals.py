"""Appeals (诉求直达): an enterprise's request to the zone, raised on the portal or phone or
recorded by staff (a visit, a call, a ticket transferred from the 12345 hotline).

An appeal is a ``Problem`` without a project, so it moves through the problem workflow's one
set of transitions (``problems.TRANSITIONS``, ``problem_move``), with the same lights,
escalation and supervision notices. What is the appeal's own: raising it with its category and
channel, and the enterprise's evaluation (satisfied, or not with the reasons — which reopens
it)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import User
from gaoxin.core import audit
from gaoxin.core.models import AuditAction
from gaoxin.core.notifications import notify
from gaoxin.dispatch.models import (
    AppealCategory,
    AppealChannel,
    Problem,
    ProblemState,
    ProblemStep,
)
from gaoxin.dispatch.services.problems import problem_move

__all__ = ["STAFF_CHANNELS", "appeal_evaluate", "appeal_move", "appeal_raise"]

# The channels staff record an appeal through; an enterprise's own is always the portal.
STAFF_CHANNELS = (
    AppealChannel.PHONE,
    AppealChannel.VISIT,
    AppealChannel.HOTLINE,
    AppealChannel.STAFF,
)


def _enterprise_users(enterprise_id: int):
    return User.objects.filter(enterprise_id=enterprise_id, is_active=True)


@transaction.atomic
def appeal_raise(
    *,
    enterprise,
    by,
    category: str,
    title: str,
    description: str,
    channel: str = AppealChannel.PORTAL,
    hotline_number: str = "",
    policy_feedback: bool = False,
    department=None,
) -> Problem:
    """Raise an appeal. An enterprise user raises only its own enterprise's, through the portal;
    staff record one with its channel (a 12345 transfer carries the ticket number)."""
    if not by.has_perm("dispatch.add_appeal"):
        raise PermissionDenied
    if by.enterprise_id is not None:
        if by.enterprise_id != enterprise.pk:
            raise PermissionDenied
        channel = AppealChannel.PORTAL
    elif channel not in STAFF_CHANNELS:
        raise ValidationError({"channel": _("Choose how the appeal reached the zone.")})
    if category not in AppealCategory.values:
        raise ValidationError({"category": _("Choose the category.")})
    hotline_number = hotline_number.strip()
    if channel == AppealChannel.HOTLINE and not hotline_number:
        raise ValidationError({"hotline_number": _("Give the 12345 ticket number.")})
    if channel != AppealChannel.HOTLINE:
        hotline_number = ""
    if not title.strip():
        raise ValidationError({"title": _("Give the appeal a title.")})
    if not description.strip():
        raise ValidationError({"description": _("Describe the appeal.")})
    if department is not None and not department.is_active:
        raise ValidationError({"department": _("Choose an active department.")})
    appeal = Problem(
        enterprise=enterprise,
        raised_by=by,
        category=category,
        channel=channel,
        hotline_number=hotline_number,
        policy_feedback=bool(policy_feedback),
        title=title.strip(),
        description=description.strip(),
        department=department,
    )
    appeal.full_clean()
    appeal.save()
    ProblemStep.objects.create(problem=appeal, to_state=ProblemState.SUBMITTED, by=by)
    audit.record(action=AuditAction.CREATE, obj=appeal, by=by, after=audit.snapshot(appeal))
    if department is not None and department.head_id:
        notify(
            user=department.head,
            key=f"appeal-{appeal.pk}-raised",
            title=_("New appeal: %(title)s") % {"title": appeal.title},
            body=str(enterprise),
            link=f"/dispatch/problems/{appeal.pk}/",
        )
    return appeal


def appeal_move(
    *, appeal: Problem, to_state: str, by, note: str = "", limit_days: int | None = None
) -> Problem:
    """Accept, start, answer: the problem workflow's own move; an answer is sent to the
    enterprise, which then rates it."""
    appeal = problem_move(
        problem=appeal, to_state=to_state, by=by, note=note, limit_days=limit_days
    )
    if to_state == ProblemState.RESOLVED and appeal.enterprise_id:
        for user in _enterprise_users(appeal.enterprise_id):
            notify(
                user=user,
                key=f"appeal-{appeal.pk}-answered-{appeal.version}",
                title=_("Your appeal was answered: %(title)s") % {"title": appeal.title},
                body=appeal.resolution,
                link=f"/dispatch/problems/{appeal.pk}/",
            )
    return appeal


@transaction.atomic
def appeal_evaluate(*, appeal: Problem, by, satisfied: bool, reasons: str = "") -> Problem:
    """The enterprise rates the answer: satisfied closes it (confirmed); not satisfied, with
    the reasons, reopens it for the department — the workflow's own confirm and reopen."""
    reasons = reasons.strip()
    if not satisfied and not reasons:
        raise ValidationError({"reasons": _("Say why you are not satisfied.")})
    target = ProblemState.CONFIRMED if satisfied else ProblemState.REOPENED
    appeal = problem_move(problem=appeal, to_state=target, by=by, note=reasons)
    before = audit.snapshot(appeal)
    appeal.satisfied = satisfied
    appeal.evaluation_reasons = reasons
    appeal.evaluated_at = timezone.now()
    Problem.objects.filter(pk=appeal.pk).update(
        satisfied=satisfied, evaluation_reasons=reasons, evaluated_at=appeal.evaluated_at
    )
    audit.record(
        action=AuditAction.UPDATE,
        obj=appeal,
        by=by,
        before=before,
        after={**audit.snapshot(appeal), "evaluation": "satisfied" if satisfied else "not"},
    )
    if not satisfied and appeal.department_id and appeal.department.head_id:
        notify(
            user=appeal.department.head,
            key=f"appeal-{appeal.pk}-reopened-{appeal.version}",
            title=_("Appeal reopened: %(title)s") % {"title": appeal.title},
            body=reasons,
            link=f"/dispatch/problems/{appeal.pk}/",
        )
    return appeal
