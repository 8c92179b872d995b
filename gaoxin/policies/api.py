"""API of the policy library and payouts (/api/v1/policies/)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from gaoxin.affairs.models import ServiceItem
from gaoxin.core.api_types import Id, IsoDate, Pagination
from gaoxin.core.excel import XLSX, xlsx_response
from gaoxin.core.permissions import api_permission
from gaoxin.policies import exports, selectors, services
from gaoxin.policies.matching import match_clause
from gaoxin.policies.models import BatchState, Clause, ClauseMode, PayoutBatch

__all__ = ["router"]

router = Router(tags=["policies"])

XLSX_ANSWER = {
    "responses": {
        200: {
            "description": "The workbook (.xlsx)",
            "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


class PolicyOut(Schema):
    id: int
    title: str
    document_number: str
    issuing_body: str
    starts_on: dt.date
    ends_on: dt.date | None
    summary: str
    is_published: bool
    version: int


class PolicyIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    document_number: str = Field("", max_length=80)
    issuing_body: str = Field(..., min_length=1, max_length=100)
    starts_on: IsoDate
    ends_on: IsoDate | None = None
    summary: str = Field("", max_length=10000)


class PolicyClauseOut(Schema):
    id: int
    policy: int = Field(..., alias="policy_id")
    number: str
    title: str
    mode: ClauseMode
    criteria: list[dict[str, Any]]
    amount_rule: dict[str, Any]
    service_item: int | None = Field(None, alias="service_item_id")
    is_active: bool
    version: int


class PolicyClauseIn(Schema):
    number: str = Field(..., min_length=1, max_length=20)
    title: str = Field(..., min_length=1, max_length=200)
    mode: ClauseMode
    criteria: list[dict[str, Any]] = Field(default_factory=list, max_length=30)
    amount_rule: dict[str, Any]
    service_item: Id | None = None


class PolicyReasonOut(Schema):
    criterion: str
    holds: bool | None
    value: str


class PolicyMatchRowOut(Schema):
    enterprise: int
    name: str
    status: str
    amount: Decimal | None
    reasons: list[PolicyReasonOut]
    missing: list[str]


class PolicyPayoutOut(Schema):
    enterprise: int = Field(..., alias="enterprise_id")
    amount: Decimal
    eligible_on: dt.date
    paid_on: dt.date | None
    reasons: list[PolicyReasonOut]


class PayoutBatchOut(Schema):
    id: int
    number: str
    clause: int = Field(..., alias="clause_id")
    clause_version: int
    state: BatchState
    as_of: dt.date
    total: Decimal
    paid_on: dt.date | None
    undeterminable: list[dict[str, Any]]


class PayoutPayIn(Schema):
    paid_on: IsoDate


class PolicyFiguresOut(Schema):
    policies: int
    clauses: int
    enterprises_benefited: int
    amount_paid: Decimal
    average_days: float | None


class PolicyOwnClauseOut(Schema):
    clause: int
    policy: str
    title: str
    mode: ClauseMode
    status: str
    amount: Decimal | None
    reasons: list[PolicyReasonOut]
    missing: list[str]


@router.get("/", response=list[PolicyOut], summary="The policy library")
@api_permission("policies.view_policy")
@paginate(Pagination, page_size=50)
def list_policies(request):
    return selectors.policies_for(request.auth)


@router.post("/", response={201: PolicyOut}, summary="Add a policy")
@api_permission("policies.change_policy")
def create_policy(request, payload: PolicyIn):
    return Status(201, services.policy_save(by=request.auth, data=payload.dict()))


@router.get("/{int:pk}/clauses", response=list[PolicyClauseOut], summary="A policy's clauses")
@api_permission("policies.view_policy")
def list_clauses(request, pk: int):
    policy = get_object_or_404(selectors.policies_for(request.auth), pk=pk)
    return Clause.objects.restrict(request.auth, "view").filter(policy=policy)


@router.post(
    "/{int:pk}/clauses",
    response={201: PolicyClauseOut},
    summary="Add a clause (criteria and amount rule as documented in policies/criteria.py)",
)
@api_permission("policies.change_policy")
def create_clause(request, pk: int, payload: PolicyClauseIn):
    policy = get_object_or_404(selectors.policies_for(request.auth), pk=pk)
    data = payload.dict()
    if data["service_item"] is not None:
        data["service_item"] = get_object_or_404(ServiceItem, pk=data["service_item"])
    return Status(201, services.clause_save(by=request.auth, policy=policy, data=data))


def _row(row) -> dict:
    o = row.outcome
    return {
        "enterprise": row.enterprise_id,
        "name": row.name,
        "status": o.status,
        "amount": o.amount,
        "reasons": o.reasons,
        "missing": o.missing,
    }


@router.get(
    "/clauses/{int:pk}/match",
    response=list[PolicyMatchRowOut],
    summary="Every enterprise against a clause: eligible, undeterminable, ineligible, with reasons",
)
@api_permission("policies.view_match")
@paginate(Pagination, page_size=200)
def clause_match(request, pk: int):
    clause = get_object_or_404(Clause, pk=pk)
    found = match_clause(clause)
    return [_row(r) for r in (*found.eligible, *found.undeterminable, *found.ineligible)]


@router.post(
    "/clauses/{int:pk}/batches",
    response={201: PayoutBatchOut},
    summary="Draw a 免申即享 payout batch",
)
@api_permission("policies.draw_batch")
def draw_batch(request, pk: int):
    clause = get_object_or_404(Clause, pk=pk)
    return Status(201, services.batch_draw(clause=clause, by=request.auth))


@router.get("/batches", response=list[PayoutBatchOut], summary="Payout batches")
@api_permission("policies.view_payoutbatch")
@paginate(Pagination, page_size=50)
def list_batches(request):
    return selectors.batches_for(request.auth)


@router.get(
    "/batches/{int:pk}/payouts", response=list[PolicyPayoutOut], summary="A batch's payouts"
)
@api_permission("policies.view_payoutbatch")
@paginate(Pagination, page_size=200)
def batch_payouts(request, pk: int):
    batch = get_object_or_404(selectors.batches_for(request.auth), pk=pk)
    return batch.payouts.all()


@router.post("/batches/{int:pk}/review", response=PayoutBatchOut, summary="Review a batch")
@api_permission("policies.review_batch")
def review_batch(request, pk: int):
    batch = get_object_or_404(PayoutBatch, pk=pk)
    return services.batch_review(batch=batch, by=request.auth)


@router.post("/batches/{int:pk}/approve", response=PayoutBatchOut, summary="Approve a batch")
@api_permission("policies.approve_batch")
def approve_batch(request, pk: int):
    batch = get_object_or_404(PayoutBatch, pk=pk)
    return services.batch_approve(batch=batch, by=request.auth)


@router.post("/batches/{int:pk}/pay", response=PayoutBatchOut, summary="Record a batch's payment")
@api_permission("policies.pay_batch")
def pay_batch(request, pk: int, payload: PayoutPayIn):
    batch = get_object_or_404(PayoutBatch, pk=pk)
    return services.batch_pay(batch=batch, by=request.auth, paid_on=payload.paid_on)


@router.get(
    "/figures", response=PolicyFiguresOut, summary="Policies, enterprises benefited, amounts"
)
@api_permission("policies.view_payoutbatch")
def figures(request, start: IsoDate | None = None, end: IsoDate | None = None):
    return selectors.payout_figures(start=start, end=end)


@router.get(
    "/mine",
    response=list[PolicyOwnClauseOut],
    summary="The clauses the caller's enterprise qualifies for or cannot yet be decided, why",
)
@api_permission("policies.view_own")
def mine(request):
    if request.auth.enterprise is None:  # an administrator has no enterprise
        raise Http404
    found = selectors.enterprise_policies(request.auth.enterprise)
    return [
        {
            "clause": c.pk,
            "policy": c.policy.title,
            "title": c.title,
            "mode": c.mode,
            "status": o.status,
            "amount": o.amount,
            "reasons": o.reasons,
            "missing": o.missing,
        }
        for c, o in (*found["eligible"], *found["undeterminable"])
    ]


# --- the pages' other actions (issue 22): 快申快享, a batch and the Excel of a match and of a
# batch — the same services and selectors as the pages --------------------------------------


class PolicyApplicationOut(Schema):
    id: int
    clause: int = Field(..., alias="clause_id")
    enterprise: int = Field(..., alias="enterprise_id")
    case: int = Field(..., alias="case_id", description="the government-service case filed")
    case_number: str = Field(..., alias="case.number")
    reasons: list[PolicyReasonOut]


@router.post(
    "/clauses/{int:pk}/apply",
    response={201: PolicyApplicationOut},
    summary="Apply under a clause: files a government-service case to complete (快申快享)",
)
@api_permission("policies.apply_clause")
def apply_clause(request, pk: int):
    clause = get_object_or_404(Clause.objects.restrict(request.auth, "view"), pk=pk)
    if request.auth.enterprise is None:  # an administrator holds the permission, no enterprise
        raise Http404
    application = services.clause_apply(
        clause=clause, enterprise=request.auth.enterprise, by=request.auth
    )
    return Status(201, application)


@router.get(
    "/clauses/{int:pk}/match/export",
    summary="A clause's match as a workbook: eligible, undeterminable, ineligible (导出政策匹配)",
    openapi_extra=XLSX_ANSWER,
)
@api_permission("policies.view_match")
def clause_match_export(request, pk: int):
    clause = get_object_or_404(Clause, pk=pk)
    return xlsx_response(*exports.match_workbook(clause, match_clause(clause)))


@router.get("/batches/{int:pk}", response=PayoutBatchOut, summary="A payout batch (拨付批次)")
@api_permission("policies.view_payoutbatch")
def get_batch(request, pk: int):
    return get_object_or_404(selectors.batches_for(request.auth), pk=pk)


@router.get(
    "/batches/{int:pk}/export",
    summary="A batch's payouts as a workbook (导出拨付名单)",
    openapi_extra=XLSX_ANSWER,
)
@api_permission("policies.view_payoutbatch")
def batch_export(request, pk: int):
    batch = get_object_or_404(selectors.batches_for(request.auth), pk=pk)
    return xlsx_response(*exports.batch_workbook(batch))
