"""Pages of the policy library and payouts: the library, a policy's clauses, a clause's match
(eligible, not determinable with what is missing, ineligible — each with the reasons; Excel),
payout batches and their steps, the figures, and an enterprise's own page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.core.editing import refusal_page, report_form_errors, report_refusal
from gaoxin.core.excel import xlsx_response
from gaoxin.core.params import date_or_none
from gaoxin.core.permissions import permission_required
from gaoxin.policies import exports, selectors, services
from gaoxin.policies.forms import PayForm
from gaoxin.policies.matching import match_clause
from gaoxin.policies.models import BatchState, Clause, PayoutBatch

__all__ = [
    "batch_approve",
    "batch_detail",
    "batch_draw",
    "batch_list",
    "batch_pay",
    "batch_review",
    "clause_apply",
    "clause_match",
    "mine",
    "policy_detail",
    "policy_list",
]


@permission_required("policies.view_policy")
def policy_list(request):
    return render(
        request,
        "policies/policy_list.html",
        {
            "policies": selectors.policies_for(request.user),
            "figures": selectors.payout_figures() if request.user.is_zone_staff else None,
        },
    )


@permission_required("policies.view_policy")
def policy_detail(request, pk: int):
    policy = get_object_or_404(selectors.policies_for(request.user), pk=pk)
    clauses = Clause.objects.restrict(request.user, "view").filter(policy=policy)
    return render(request, "policies/policy_detail.html", {"policy": policy, "clauses": clauses})


@permission_required("policies.view_match")
def clause_match(request, pk: int):
    clause = get_object_or_404(Clause.objects.select_related("policy"), pk=pk)
    found = match_clause(clause)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(*exports.match_workbook(clause, found))
    return render(
        request,
        "policies/clause_match.html",
        {
            "clause": clause,
            "found": found,
            "can_draw": clause.mode == "automatic" and request.user.has_perm("policies.draw_batch"),
        },
    )


@require_POST
@permission_required("policies.draw_batch")
def batch_draw(request, pk: int):
    clause = get_object_or_404(Clause, pk=pk)
    try:
        batch = services.batch_draw(clause=clause, by=request.user)
    except ValidationError as error:
        report_refusal(request, error)
        return redirect("policies:match", pk=clause.pk)
    except PermissionDenied as error:
        return refusal_page(request, error)
    messages.success(request, _("Batch %(n)s was drawn.") % {"n": batch.number})
    return redirect("policies:batch", pk=batch.pk)


@permission_required("policies.view_payoutbatch")
def batch_list(request):
    start, end = date_or_none(request.GET.get("start")), date_or_none(request.GET.get("end"))
    return render(
        request,
        "policies/batch_list.html",
        {
            "batches": selectors.batches_for(request.user)[:100],
            "figures": selectors.payout_figures(start=start, end=end),
        },
    )


@permission_required("policies.view_payoutbatch")
def batch_detail(request, pk: int):
    batch = get_object_or_404(selectors.batches_for(request.user), pk=pk)
    payouts = batch.payouts.select_related("enterprise")
    if request.GET.get("format") == "xlsx":
        return xlsx_response(*exports.batch_workbook(batch))
    user = request.user
    return render(
        request,
        "policies/batch_detail.html",
        {
            "batch": batch,
            "payouts": payouts,
            "can_review": batch.state == BatchState.DRAWN
            and user.has_perm("policies.review_batch"),
            "can_approve": batch.state == BatchState.REVIEWED
            and user.has_perm("policies.approve_batch"),
            "can_pay": batch.state == BatchState.APPROVED and user.has_perm("policies.pay_batch"),
            "pay_form": PayForm(initial={"paid_on": timezone.localdate()}),
        },
    )


def _step(request, pk: int, service, **kwargs):
    batch = get_object_or_404(PayoutBatch, pk=pk)
    try:
        service(batch=batch, by=request.user, **kwargs)
    except ValidationError as error:
        report_refusal(request, error)
    except PermissionDenied as error:
        return refusal_page(request, error)
    else:
        messages.success(request, _("Recorded."))
    return redirect("policies:batch", pk=batch.pk)


@require_POST
@permission_required("policies.review_batch")
def batch_review(request, pk: int):
    return _step(request, pk, services.batch_review)


@require_POST
@permission_required("policies.approve_batch")
def batch_approve(request, pk: int):
    return _step(request, pk, services.batch_approve)


@require_POST
@permission_required("policies.pay_batch")
def batch_pay(request, pk: int):
    form = PayForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("policies:batch", pk=pk)
    return _step(request, pk, services.batch_pay, paid_on=form.cleaned_data["paid_on"])


@permission_required("policies.view_own")
def mine(request):
    enterprise = request.user.enterprise
    if enterprise is None:  # an administrator holds every permission but no enterprise
        raise Http404
    return render(
        request,
        "policies/mine.html",
        {
            "enterprise": enterprise,
            "policies": selectors.enterprise_policies(enterprise, as_of=timezone.localdate()),
            "apply_url_ok": True,
        },
    )


@require_POST
@permission_required("policies.apply_clause")
def clause_apply(request, pk: int):
    clause = get_object_or_404(Clause.objects.restrict(request.user, "view"), pk=pk)
    if request.user.enterprise is None:
        raise Http404
    try:
        application = services.clause_apply(
            clause=clause, enterprise=request.user.enterprise, by=request.user
        )
    except ValidationError as error:
        report_refusal(request, error)
        return redirect("policies:mine")
    except PermissionDenied as error:
        return refusal_page(request, error)
    messages.success(
        request,
        _("Case %(n)s was opened: hand in the materials it lists and submit it.")
        % {"n": application.case.number},
    )
    return redirect("affairs:application", pk=application.case_id)
