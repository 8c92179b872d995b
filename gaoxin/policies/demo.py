"""Demo policies of the reference zone: a 高企 award and an R&D subsidy paid without
application (免申即享; last year's award batch paid), and a talent apartment allowance by quick
application (快申快享, filed as a government-service case)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gaoxin.accounts.models import User
from gaoxin.affairs.models import ServiceItem
from gaoxin.dispatch.models import LedgerEntry
from gaoxin.policies import services
from gaoxin.policies.models import ClauseMode, Policy

__all__ = ["seed_policies"]


def seed_policies(*, admin, today: dt.date) -> int:
    if Policy.objects.exists():
        return 0
    staff = User.objects.get(username="staff")
    reviewer = User.objects.filter(role="staff").exclude(pk=staff.pk).first()
    leader = User.objects.get(username="leader")
    this_year = {"from": f"{today.year}-01-01", "to": f"{today.year}-12-31"}
    # R&D spending in the ledger of every other enterprise (the rest report none: not
    # determinable for the R&D subsidy, listed with what is missing).
    with_rd = list(
        LedgerEntry.objects.filter(project__enterprise__isnull=False)
        .values_list("project__enterprise_id", flat=True)
        .distinct()
        .order_by("project__enterprise_id")
    )[::2]
    for entry in LedgerEntry.objects.filter(project__enterprise_id__in=with_rd):
        LedgerEntry.objects.filter(pk=entry.pk).update(
            rd_spending=(entry.output_value * Decimal("0.06")).quantize(Decimal("0.01"))
        )
    policy = services.policy_save(
        by=admin,
        data={
            "title": "日照高新区促进科技创新发展若干政策",
            "document_number": f"日高管发〔{today.year - 1}〕12号",
            "issuing_body": "日照高新区管委会",
            "starts_on": dt.date(today.year - 1, 1, 1),
            "ends_on": dt.date(today.year + 2, 12, 31),
            "summary": "支持高新技术企业认定、企业研发投入和人才安居。",
        },
    )
    award = services.clause_save(
        by=admin,
        policy=policy,
        data={
            "number": "第三条",
            "title": "高新技术企业认定奖励",
            "mode": ClauseMode.AUTOMATIC,
            "criteria": [
                {"type": "qualification", "code": "hnte", "on": f"{today.year}-06-30"},
                {"type": "in_zone"},
            ],
            "amount_rule": {"kind": "fixed", "amount": "20"},
        },
    )
    services.clause_save(
        by=admin,
        policy=policy,
        data={
            "number": "第五条",
            "title": "企业研发费用补助",
            "mode": ClauseMode.AUTOMATIC,
            "criteria": [
                {"type": "figure", "figure": "rd_spending", **this_year, "min": "50"},
                {"type": "in_zone"},
            ],
            "amount_rule": {
                "kind": "rate",
                "figure": "rd_spending",
                **this_year,
                "rate": "0.1",
                "cap": "200",
            },
        },
    )
    item = (
        ServiceItem.objects.filter(name__contains="人才", is_active=True).first()
        or ServiceItem.objects.filter(is_active=True).first()
    )
    if item is not None:
        services.clause_save(
            by=admin,
            policy=policy,
            data={
                "number": "第八条",
                "title": "人才公寓租金补贴",
                "mode": ClauseMode.APPLICATION,
                "criteria": [{"type": "talents", "min": 1}, {"type": "in_zone"}],
                "amount_rule": {"kind": "fixed", "amount": "1.2"},
                "service_item": item,
            },
        )
    if reviewer is not None:
        batch = services.batch_draw(clause=award, by=staff, as_of=today - dt.timedelta(days=20))
        services.batch_review(batch=batch, by=reviewer)
        services.batch_approve(batch=batch, by=leader)
        services.batch_pay(batch=batch, by=staff, paid_on=today - dt.timedelta(days=6))
    return policy.clauses.count()
