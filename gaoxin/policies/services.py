"""Every write of the policy library and its payouts: keyword-only, atomic, permission-checked
and audited.

A 免申即享 batch is drawn from the clause as it stands (its version and content copied onto
the batch, each payout with its reasons), reviewed, approved by another person, and paid; each
enterprise is told. Editing the clause later changes nothing drawn. A 快申快享 clause is applied
for as a government-service case of the clause's item (``affairs.services.application_create``),
whose materials the item lists."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import User
from gaoxin.affairs import services as affairs
from gaoxin.affairs.models import ApplicationChannel
from gaoxin.core import audit
from gaoxin.core.locking import save_with_version
from gaoxin.core.models import AuditAction
from gaoxin.core.notifications import notify
from gaoxin.core.numbering import create_numbered
from gaoxin.enterprises.models import Enterprise, QualificationType
from gaoxin.policies import criteria as rules
from gaoxin.policies.matching import match_clause
from gaoxin.policies.models import (
    BatchState,
    Clause,
    ClauseMode,
    Payout,
    PayoutBatch,
    Policy,
    QuickApplication,
)

__all__ = [
    "CLAUSE_FIELDS",
    "POLICY_FIELDS",
    "batch_approve",
    "batch_draw",
    "batch_pay",
    "batch_review",
    "clause_apply",
    "clause_save",
    "policy_save",
]

CLAUSE_FIELDS = ("number", "title", "mode", "criteria", "amount_rule", "service_item")
POLICY_FIELDS = ("title", "document_number", "issuing_body", "starts_on", "ends_on", "summary")


def _require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


@transaction.atomic
def policy_save(*, by, data: dict, policy: Policy | None = None) -> Policy:
    _require(by, "policies.change_policy")
    before = audit.snapshot(policy) if policy else None
    policy = policy or Policy()
    for name in POLICY_FIELDS:
        if name in data:
            setattr(policy, name, data[name])
    if policy.ends_on and policy.starts_on and policy.ends_on < policy.starts_on:
        raise ValidationError({"ends_on": _("The policy ends before it starts.")})
    policy.full_clean()
    if before is None:
        policy.save()
        audit.record(action=AuditAction.CREATE, obj=policy, by=by, after=audit.snapshot(policy))
    else:
        save_with_version(policy, expected_version=policy.version, fields=POLICY_FIELDS)
        audit.record(
            action=AuditAction.UPDATE,
            obj=policy,
            by=by,
            before=before,
            after=audit.snapshot(policy),
        )
    return policy


@transaction.atomic
def clause_save(*, by, policy: Policy, data: dict, clause: Clause | None = None) -> Clause:
    """Create or edit a clause; the criteria and the amount rule are checked first (a bad one
    is refused in Chinese and nothing changes). An edit raises the version; batches drawn
    before keep theirs."""
    _require(by, "policies.change_policy")
    codes = set(QualificationType.objects.values_list("code", flat=True))
    try:
        criteria = rules.check_criteria(data.get("criteria", []), qualification_codes=codes)
    except ValidationError as error:
        raise ValidationError({"criteria": error.messages}) from None
    try:
        amount_rule = rules.check_amount_rule(data.get("amount_rule"))
    except ValidationError as error:
        raise ValidationError({"amount_rule": error.messages}) from None
    mode = data.get("mode")
    if mode == ClauseMode.APPLICATION and data.get("service_item") is None:
        raise ValidationError(
            {"service_item": _("A quick-application clause names the service item it is filed as.")}
        )
    before = audit.snapshot(clause) if clause else None
    clause = clause or Clause(policy=policy)
    clause.number = data.get("number", clause.number)
    clause.title = data.get("title", clause.title)
    clause.mode = mode
    clause.criteria, clause.amount_rule = criteria, amount_rule
    clause.service_item = data.get("service_item")
    clause.full_clean()
    if before is None:
        clause.save()
        audit.record(action=AuditAction.CREATE, obj=clause, by=by, after=audit.snapshot(clause))
    else:
        save_with_version(clause, expected_version=clause.version, fields=CLAUSE_FIELDS)
        audit.record(
            action=AuditAction.UPDATE,
            obj=clause,
            by=by,
            before=before,
            after=audit.snapshot(clause),
        )
    return clause


def _snapshot(clause: Clause) -> dict:
    return {
        "policy": clause.policy.title,
        "document_number": clause.policy.document_number,
        "number": clause.number,
        "title": clause.title,
        "mode": clause.mode,
        "criteria": clause.criteria,
        "amount_rule": clause.amount_rule,
        "version": clause.version,
    }


@transaction.atomic
def batch_draw(*, clause: Clause, by, as_of: dt.date | None = None) -> PayoutBatch:
    """Draw a 免申即享 batch: every enterprise eligible now and not in an earlier batch of this
    clause, with its amount and reasons; the not determinable are kept on the batch with what
    is missing, for staff to chase."""
    _require(by, "policies.draw_batch")
    clause = Clause.objects.select_for_update().select_related("policy").get(pk=clause.pk)
    if clause.mode != ClauseMode.AUTOMATIC:
        raise ValidationError(_("Only a clause paid without application is paid in batches."))
    if not clause.is_active:
        raise ValidationError(_("The clause is not active."))
    as_of = as_of or timezone.localdate()
    done = Payout.objects.filter(batch__clause=clause).values("enterprise_id")
    found = match_clause(clause, Enterprise.objects.exclude(pk__in=done))
    if not found.eligible:
        raise ValidationError(_("No enterprise is eligible that has not been paid already."))
    batch = create_numbered(
        PayoutBatch,
        pattern=f"DX{as_of.year}{{pk:05d}}",
        clause=clause,
        clause_version=clause.version,
        clause_snapshot=_snapshot(clause),
        as_of=as_of,
        drawn_by=by,
        undeterminable=[
            {"enterprise": row.enterprise_id, "name": row.name, "missing": row.outcome.missing}
            for row in found.undeterminable
        ],
    )
    Payout.objects.bulk_create(
        Payout(
            batch=batch,
            enterprise_id=row.enterprise_id,
            amount=row.outcome.amount,
            reasons=row.outcome.reasons,
            eligible_on=as_of,
        )
        for row in found.eligible
    )
    batch.total = sum((row.outcome.amount for row in found.eligible), Decimal(0))
    batch.save(update_fields=["total"])
    audit.record(
        action=AuditAction.CREATE,
        obj=batch,
        by=by,
        after={**audit.snapshot(batch), "payouts": len(found.eligible)},
    )
    return batch


def _step(batch: PayoutBatch, *, by, perm: str, source: str) -> PayoutBatch:
    batch = PayoutBatch.objects.select_for_update().get(pk=batch.pk)
    _require(by, perm, batch)
    if batch.state != source:
        raise ValidationError(
            _("The batch is “%(state)s”; this step needs it “%(needed)s”.")
            % {"state": BatchState(batch.state).label, "needed": BatchState(source).label}
        )
    return batch


@transaction.atomic
def batch_review(*, batch: PayoutBatch, by) -> PayoutBatch:
    batch = _step(batch, by=by, perm="policies.review_batch", source=BatchState.DRAWN)
    if batch.drawn_by_id == by.pk:
        raise ValidationError(_("Someone other than who drew the batch reviews it."))
    before = audit.snapshot(batch)
    batch.state, batch.reviewed_by, batch.reviewed_at = BatchState.REVIEWED, by, timezone.now()
    batch.version += 1
    batch.save()
    audit.record(
        action=AuditAction.UPDATE, obj=batch, by=by, before=before, after=audit.snapshot(batch)
    )
    return batch


@transaction.atomic
def batch_approve(*, batch: PayoutBatch, by) -> PayoutBatch:
    batch = _step(batch, by=by, perm="policies.approve_batch", source=BatchState.REVIEWED)
    if by.pk in (batch.drawn_by_id, batch.reviewed_by_id):
        raise ValidationError(_("Someone other than who drew or reviewed the batch approves it."))
    before = audit.snapshot(batch)
    batch.state, batch.approved_by, batch.approved_at = BatchState.APPROVED, by, timezone.now()
    batch.version += 1
    batch.save()
    audit.record(
        action=AuditAction.UPDATE, obj=batch, by=by, before=before, after=audit.snapshot(batch)
    )
    return batch


@transaction.atomic
def batch_pay(*, batch: PayoutBatch, by, paid_on: dt.date) -> PayoutBatch:
    """Record the payment (the date the money left); every enterprise is told its amount."""
    batch = _step(batch, by=by, perm="policies.pay_batch", source=BatchState.APPROVED)
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("The payment date cannot be in the future.")})
    if paid_on < batch.as_of:
        raise ValidationError({"paid_on": _("The payment date is before the batch was drawn.")})
    before = audit.snapshot(batch)
    batch.state, batch.paid_by, batch.paid_on = BatchState.PAID, by, paid_on
    batch.version += 1
    batch.save()
    batch.payouts.update(paid_on=paid_on)
    audit.record(
        action=AuditAction.UPDATE, obj=batch, by=by, before=before, after=audit.snapshot(batch)
    )
    title = batch.clause_snapshot["policy"]
    users: dict[int, list] = {}
    for user in User.objects.filter(enterprise__payouts__batch=batch, is_active=True).distinct():
        users.setdefault(user.enterprise_id, []).append(user)
    for payout in batch.payouts.all():
        for user in users.get(payout.enterprise_id, []):
            notify(
                user=user,
                key=f"payout-{payout.pk}",
                title=_("Policy payout: %(policy)s") % {"policy": title},
                body=_("%(amount)s (10k CNY) paid on %(date)s without application.")
                % {"amount": payout.amount, "date": paid_on},
                link="/policies/mine/",
            )
    return batch


@transaction.atomic
def clause_apply(*, clause: Clause, enterprise, by) -> QuickApplication:
    """A 快申快享 application: filed as a government-service case of the clause's item (a draft
    the enterprise completes with the item's materials), with the reasons it matched."""
    _require(by, "policies.apply_clause", enterprise)
    clause = Clause.objects.select_related("policy", "service_item").get(pk=clause.pk)
    if clause.mode != ClauseMode.APPLICATION or clause.service_item is None:
        raise ValidationError(_("This clause is paid without application."))
    if QuickApplication.objects.filter(clause=clause, enterprise=enterprise).exists():
        raise ValidationError(_("The enterprise has applied under this clause already."))
    found = match_clause(clause, Enterprise.objects.filter(pk=enterprise.pk))
    if found.ineligible:
        raise ValidationError(_("The enterprise does not meet the clause's criteria."))
    outcome = (found.eligible or found.undeterminable)[0].outcome
    case = affairs.application_create(
        enterprise=enterprise,
        items=[clause.service_item],
        by=by,
        channel=ApplicationChannel.ONLINE,
    )
    application = QuickApplication.objects.create(
        clause=clause, enterprise=enterprise, case=case, reasons=outcome.reasons
    )
    audit.record(
        action=AuditAction.CREATE, obj=application, by=by, after=audit.snapshot(application)
    )
    return application
