"""免申即享 payout batches (drawn → reviewed → approved → paid, the clause's version kept, each
enterprise told) and 快申快享 applications filed as government-service cases."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gaoxin.affairs.models import Application
from gaoxin.core.models import AuditEntry, Notification
from gaoxin.enterprises.models import Qualification, QualificationType
from gaoxin.policies import selectors, services
from gaoxin.policies.models import BatchState, Clause, ClauseMode, Payout, PayoutBatch, Policy
from tests.factories import DepartmentFactory, EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def policy(db):
    return Policy.objects.create(
        title="高新技术企业认定奖励", issuing_body="高新区科技局", starts_on=D(2026, 1, 1)
    )


@pytest.fixture
def award(policy, staff):
    return services.clause_save(
        by=staff,
        policy=policy,
        data={
            "number": "第三条",
            "title": "首次认定高企奖励",
            "mode": ClauseMode.AUTOMATIC,
            "criteria": [{"type": "qualification", "code": "hnte", "on": "2026-06-30"}],
            "amount_rule": {"kind": "fixed", "amount": "20"},
        },
    )


@pytest.fixture
def hnte_holders(db):
    holders = EnterpriseFactory.create_batch(2)
    for enterprise in holders:
        Qualification.objects.create(
            enterprise=enterprise,
            type=QualificationType.objects.get(code="hnte"),
            valid_from=D(2025, 1, 1),
            valid_to=D(2027, 12, 31),
        )
    return holders


@pytest.fixture
def reviewer(department):
    return UserFactory(username="reviewer", role="staff", department=department)


def run_batch(award, staff, reviewer, leader):
    batch = services.batch_draw(clause=award, by=staff)
    services.batch_review(batch=batch, by=reviewer)
    services.batch_approve(batch=batch, by=leader)
    return services.batch_pay(batch=batch, by=staff, paid_on=timezone.localdate())


def test_a_batch_is_drawn_reviewed_approved_paid_and_each_enterprise_told(
    award, hnte_holders, staff, reviewer, leader
):
    EnterpriseFactory()  # not a holder
    user = UserFactory(username="ent_a", role="enterprise", enterprise=hnte_holders[0])
    batch = run_batch(award, staff, reviewer, leader)
    assert batch.state == BatchState.PAID and batch.total == Decimal("40.00")
    payouts = list(batch.payouts.all())
    assert {p.enterprise_id for p in payouts} == {e.pk for e in hnte_holders}
    assert all(p.paid_on == timezone.localdate() for p in payouts)
    assert payouts[0].reasons[0]["holds"] is True
    assert Notification.objects.filter(user=user, key__startswith="payout-").count() == 1
    audited = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(PayoutBatch), object_id=str(batch.pk)
    )
    assert audited.count() == 4  # drawn, reviewed, approved, paid
    # The enterprise sees its payout; another enterprise does not.
    assert Payout.objects.restrict(user, "view").count() == 1


def test_steps_in_order_and_by_different_people(award, hnte_holders, staff, reviewer, leader):
    batch = services.batch_draw(clause=award, by=staff)
    with pytest.raises(ValidationError):
        services.batch_approve(batch=batch, by=leader)  # not reviewed yet
    with pytest.raises(ValidationError):
        services.batch_review(batch=batch, by=staff)  # the drawer cannot review
    services.batch_review(batch=batch, by=reviewer)
    with pytest.raises(PermissionDenied):
        services.batch_approve(batch=batch, by=reviewer)  # staff do not approve
    services.batch_approve(batch=batch, by=leader)
    with pytest.raises(ValidationError):
        services.batch_pay(batch=batch, by=staff, paid_on=timezone.localdate() + dt.timedelta(1))
    batch.refresh_from_db()
    assert batch.state == BatchState.APPROVED


def test_a_clause_edited_after_drawing_leaves_the_batch_as_drawn(
    award, hnte_holders, staff, reviewer, leader
):
    batch = services.batch_draw(clause=award, by=staff)
    drawn_version = batch.clause_version
    services.clause_save(
        by=staff,
        policy=award.policy,
        clause=Clause.objects.get(pk=award.pk),
        data={
            "number": "第三条",
            "title": "首次认定高企奖励（修订）",
            "mode": ClauseMode.AUTOMATIC,
            "criteria": [{"type": "qualification", "code": "hnte", "on": "2026-06-30"}],
            "amount_rule": {"kind": "fixed", "amount": "50"},
        },
    )
    award.refresh_from_db()
    assert award.version == drawn_version + 1
    services.batch_review(batch=batch, by=reviewer)
    services.batch_approve(batch=batch, by=leader)
    batch = services.batch_pay(batch=batch, by=staff, paid_on=timezone.localdate())
    assert batch.clause_version == drawn_version
    assert batch.clause_snapshot["amount_rule"] == {"kind": "fixed", "amount": "20"}
    assert set(batch.payouts.values_list("amount", flat=True)) == {Decimal("20.00")}


def test_an_enterprise_is_paid_once_per_clause(award, hnte_holders, staff, reviewer, leader):
    run_batch(award, staff, reviewer, leader)
    with pytest.raises(ValidationError):
        services.batch_draw(clause=award, by=staff)


def test_not_determinable_enterprises_are_kept_on_the_batch_with_what_is_missing(policy, staff):
    clause = services.clause_save(
        by=staff,
        policy=policy,
        data={
            "number": "1",
            "title": "规上企业稳岗",
            "mode": ClauseMode.AUTOMATIC,
            "criteria": [{"type": "headcount", "min": 50}],
            "amount_rule": {"kind": "fixed", "amount": "5"},
        },
    )
    EnterpriseFactory(headcount=80)
    unknown = EnterpriseFactory(headcount=None)
    batch = services.batch_draw(clause=clause, by=staff)
    assert batch.payouts.count() == 1
    assert [row["enterprise"] for row in batch.undeterminable] == [unknown.pk]
    assert batch.undeterminable[0]["missing"]


def test_a_bad_clause_is_refused_and_nothing_saved(policy, staff):
    with pytest.raises(ValidationError) as error:
        services.clause_save(
            by=staff,
            policy=policy,
            data={
                "number": "1",
                "title": "x",
                "mode": ClauseMode.AUTOMATIC,
                "criteria": [{"type": "qualification", "code": "unicorn", "on": "2026-01-01"}],
                "amount_rule": {"kind": "fixed", "amount": "5"},
            },
        )
    assert "criteria" in error.value.message_dict
    assert not Clause.objects.exists()


def test_quick_application_is_filed_as_a_government_service_case(
    policy, staff, enterprise, enterprise_user
):
    from gaoxin.affairs.models import ServiceItem

    item = ServiceItem.objects.create(
        code="GX-ZC-001",
        name="人才公寓补贴申领",
        department=DepartmentFactory(code="hr", name="人社局"),
        legal_limit_days=20,
        promised_limit=5,
        promised_unit="working_days",
    )
    clause = services.clause_save(
        by=staff,
        policy=policy,
        data={
            "number": "2",
            "title": "人才公寓补贴",
            "mode": ClauseMode.APPLICATION,
            "criteria": [],
            "amount_rule": {"kind": "fixed", "amount": "1.2"},
            "service_item": item,
        },
    )
    application = services.clause_apply(clause=clause, enterprise=enterprise, by=enterprise_user)
    case = Application.objects.get(pk=application.case_id)
    assert case.enterprise_id == enterprise.pk and list(case.items.all()) == [item]
    with pytest.raises(ValidationError):
        services.clause_apply(clause=clause, enterprise=enterprise, by=enterprise_user)


def test_figures_policies_benefited_amounts_and_days(award, hnte_holders, staff, reviewer, leader):
    run_batch(award, staff, reviewer, leader)
    figures = selectors.payout_figures()
    assert figures["policies"] == 1
    assert figures["enterprises_benefited"] == 2
    assert figures["amount_paid"] == Decimal("40.00")
    assert figures["average_days"] == 0
