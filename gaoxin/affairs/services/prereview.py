"""Pre-review (预审): before filing, the enterprise asks the lead department (the first item's)
and the consulted departments for their opinions; the lead concludes once all have spoken, and
a concluded pre-review may go with the application."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.affairs.models import Application, PreReview, PreReviewOpinion
from gaoxin.core import audit
from gaoxin.core.models import AuditAction

__all__ = ["attach_pre_review", "pre_review_conclude", "pre_review_opinion", "pre_review_request"]


@transaction.atomic
def pre_review_request(*, enterprise, items, departments, question: str, by):
    """Ask the lead department (the first item's) and the consulted departments for their
    opinions before filing."""
    items, departments = list(items), list(departments)
    if not by.has_perm("affairs.add_application", enterprise):
        raise PermissionDenied
    if not items:
        raise ValidationError({"items": [_("Choose at least one service item.")]})
    if not question.strip():
        raise ValidationError({"question": [_("Describe the plan and the question.")]})
    lead = items[0].department
    consulted = {d.pk: d for d in departments if d.pk != lead.pk}
    pre_review = PreReview.objects.create(
        enterprise=enterprise, question=question.strip(), lead_department=lead, requested_by=by
    )
    pre_review.items.set(items)
    pre_review.departments.set(consulted.values())
    audit.record(action=AuditAction.CREATE, obj=pre_review, by=by, after=audit.snapshot(pre_review))
    return pre_review


@transaction.atomic
def pre_review_opinion(*, pre_review, by, opinion: str):
    asked = {pre_review.lead_department_id, *pre_review.departments.values_list("pk", flat=True)}
    if by.role != "admin" and (by.role != "staff" or by.department_id not in asked):
        raise PermissionDenied
    if pre_review.concluded_at:
        raise ValidationError(_("This pre-review is concluded."))
    if not opinion.strip():
        raise ValidationError({"opinion": [_("Write the opinion.")]})
    if pre_review.opinions.filter(department_id=by.department_id).exists():
        raise ValidationError(_("Your department has given its opinion."))
    entry = PreReviewOpinion.objects.create(
        pre_review=pre_review, department=by.department, opinion=opinion.strip(), by=by
    )
    audit.record(action=AuditAction.CREATE, obj=entry, by=by, after=audit.snapshot(entry))
    return entry


@transaction.atomic
def pre_review_conclude(*, pre_review, by, conclusion: str):
    """The lead department concludes once every consulted department has spoken."""
    if by.role != "admin" and (
        by.role != "staff" or by.department_id != pre_review.lead_department_id
    ):
        raise PermissionDenied
    if pre_review.concluded_at:
        raise ValidationError(_("This pre-review is concluded."))
    spoken = set(pre_review.opinions.values_list("department_id", flat=True))
    waiting = pre_review.departments.exclude(pk__in=spoken)
    if waiting.exists():
        raise ValidationError(
            _("Waiting for: %(names)s") % {"names": "、".join(str(d) for d in waiting)}
        )
    if not conclusion.strip():
        raise ValidationError({"conclusion": [_("Write the conclusion.")]})
    before = audit.snapshot(pre_review)
    pre_review.conclusion, pre_review.concluded_at = conclusion.strip(), timezone.now()
    pre_review.save()
    audit.record(
        action=AuditAction.UPDATE,
        obj=pre_review,
        by=by,
        before=before,
        after=audit.snapshot(pre_review),
    )
    return pre_review


def attach_pre_review(*, application, pre_review) -> None:
    """A concluded pre-review of the same enterprise goes with the application."""
    if pre_review.enterprise_id != application.enterprise_id:
        raise ValidationError({"pre_review": [_("The pre-review is another enterprise's.")]})
    if pre_review.concluded_at is None:
        raise ValidationError({"pre_review": [_("The pre-review is not concluded yet.")]})
    Application.objects.filter(pk=application.pk).update(pre_review=pre_review)
    application.pre_review = pre_review
