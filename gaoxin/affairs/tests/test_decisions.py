"""Decisions: the parallel review (one rejection rejects, all approvals approve), illegal moves and
wrong people refused, commitments (容缺) kept, unmet or checked by the window, closing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.affairs import clocks, services
from gaoxin.affairs.models import (
    Application,
    ApplicationState,
)
from gaoxin.affairs.tests.support import (
    accepted,
    at,
    review_of,
    submitted,
)
from tests.factories import hand_in_materials, pdf

pytestmark = pytest.mark.django_db
A = ApplicationState


def test_the_whole_way_with_parallel_reviews(
    enterprise_user, enterprise, permit, window_clerk, approver, planner, time_machine
):
    case = submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
    assert case.number.startswith("GX2026")
    services.application_accept(application=case, by=window_clerk)
    case.refresh_from_db()
    assert case.state == A.UNDER_REVIEW
    # Five working days from Monday 10:00; Friday 25 September is the Mid-Autumn holiday.
    assert case.deadline == at(2026, 9, 29, 10)
    reviews = {r.department.code: r for r in case.reviews.all()}
    assert set(reviews) == {"approval", "planning"}
    assert all(r.deadline == case.deadline for r in reviews.values())
    # The law's outer bound: twenty working days (Mid-Autumn and National Day in between).
    assert clocks.legal_deadline(case) == at(2026, 10, 26, 10)
    services.review_decide(review=reviews["approval"], by=approver, decision="approved")
    case.refresh_from_db()
    assert case.state == A.UNDER_REVIEW  # planning has not decided
    services.review_decide(review=reviews["planning"], by=planner, decision="approved")
    case.refresh_from_db()
    assert case.state == A.APPROVED
    services.application_close(application=case, by=window_clerk)
    case.refresh_from_db()
    assert case.state == A.CLOSED
    assert [s.to_state for s in case.steps.all() if s.to_state] == [
        "draft",
        "submitted",
        "accepted",
        "under_review",
        "approved",
        "closed",
    ]


def test_one_department_rejecting_rejects_the_case(
    enterprise_user, enterprise, permit, window_clerk, approver, planner, time_machine
):
    case = submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
    services.application_accept(application=case, by=window_clerk)
    reviews = {r.department.code: r for r in case.reviews.all()}
    with pytest.raises(ValidationError):  # a rejection needs its reasons
        services.review_decide(review=reviews["planning"], by=planner, decision="rejected")
    services.review_decide(
        review=reviews["planning"], by=planner, decision="rejected", reasons="不符合控规"
    )
    case.refresh_from_db()
    assert case.state == A.REJECTED
    with pytest.raises(ValidationError):  # the case is decided: no more reviews
        services.review_decide(review=reviews["approval"], by=approver, decision="approved")


def test_illegal_moves_and_wrong_people_are_refused(
    enterprise_user, enterprise, permit, window_clerk, approver, planner, time_machine
):
    case = submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
    with pytest.raises(ValidationError) as error:
        services.application_close(application=case, by=window_clerk)
    assert "已提交" in str(error.value) or "Submitted" in str(error.value)
    with pytest.raises(PermissionDenied):  # the enterprise does not accept its own case
        services.application_accept(application=case, by=enterprise_user)
    services.application_accept(application=case, by=window_clerk)
    planning_review = case.reviews.get(department__code="planning")
    with pytest.raises(PermissionDenied):  # another department's review
        services.review_decide(review=planning_review, by=approver, decision="approved")
    assert Application.objects.get(pk=case.pk).state == A.UNDER_REVIEW


def test_an_unmet_commitment_blocks_approval_and_terminates_the_case(
    enterprise_user, enterprise, permit, window_clerk, approver, planner, time_machine
):
    case = submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
    waivable = permit.materials.get(essential=False)
    services.application_accept(
        application=case,
        by=window_clerk,
        missing=[waivable],
        due_on=dt.date(2026, 9, 24),
        signatory="赵海",
    )
    case.refresh_from_db()
    assert case.state == A.UNDER_REVIEW
    assert case.steps.filter(to_state=A.ACCEPTED_WITH_DEFICIENCY).exists()
    for review in case.reviews.all():
        by = approver if review.department.code == "approval" else planner
        services.review_decide(review=review, by=by, decision="approved")
    case.refresh_from_db()
    assert case.state == A.UNDER_REVIEW  # approval waits for the promised material
    time_machine.move_to(at(2026, 9, 24, 18))
    assert services.check_commitments() == 0  # due today: not yet late
    time_machine.move_to(at(2026, 9, 25, 9))
    assert services.check_commitments() == 1
    assert services.check_commitments() == 0  # idempotent
    case.refresh_from_db()
    assert case.state == A.REJECTED
    assert case.commitment.unmet_at is not None


def test_a_kept_commitment_lets_the_approval_through(
    enterprise_user, enterprise, permit, window_clerk, approver, planner, time_machine
):
    case = submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
    services.application_accept(
        application=case,
        by=window_clerk,
        missing=[permit.materials.get(essential=False)],
        due_on=dt.date(2026, 9, 24),
        signatory="赵海",
    )
    for review in case.reviews.all():
        by = approver if review.department.code == "approval" else planner
        services.review_decide(review=review, by=by, decision="approved")
    time_machine.move_to(at(2026, 9, 23, 10))
    hand_in_materials(case, enterprise_user, skip={"申请书"})
    services.commitment_supply(application=case, by=enterprise_user)
    case.refresh_from_db()
    assert case.state == A.UNDER_REVIEW  # the applicant's word is not the window's check
    services.commitment_check(application=case, by=window_clerk, accept=True)
    case.refresh_from_db()
    assert case.state == A.APPROVED


def test_the_enterprises_supplied_never_approves_the_case(
    enterprise_user, enterprise, three_way_permit, people, time_machine
):
    waivable = three_way_permit.materials.get(essential=False)
    case = accepted(
        enterprise_user,
        enterprise,
        three_way_permit,
        people["clerk"],
        time_machine,
        at(2026, 11, 2, 10),
        missing=[waivable],
        due_on=dt.date(2026, 11, 5),
        signatory="赵海",
    )
    for code in ("approval", "planning", "environment"):
        services.review_decide(review=review_of(case, code), by=people[code], decision="approved")
    with pytest.raises(ValidationError, match="场所平面图"):  # nothing uploaded since
        services.commitment_supply(application=case, by=enterprise_user)
    time_machine.move_to(at(2026, 11, 4, 9), tick=False)
    services.material_upload(
        application=case, upload=pdf("平面图.pdf"), by=enterprise_user, material=waivable
    )
    services.commitment_supply(application=case, by=enterprise_user)
    case.refresh_from_db()
    assert case.state == A.UNDER_REVIEW
    assert case.commitment.supplied_at is not None and case.commitment.fulfilled_at is None
    with pytest.raises(PermissionDenied):  # the applicant never checks its own material
        services.commitment_check(application=case, by=enterprise_user, accept=True)
    with pytest.raises(ValidationError):  # returning needs reasons
        services.commitment_check(application=case, by=people["clerk"], accept=False)
    services.commitment_check(
        application=case, by=people["clerk"], accept=False, reasons="平面图未盖章"
    )
    case.refresh_from_db()
    commitment = case.commitment
    assert case.state == A.UNDER_REVIEW
    assert commitment.supplied_at is None and commitment.due_on == dt.date(2026, 11, 5)
    assert commitment.returned_reasons == "平面图未盖章"
    with pytest.raises(ValidationError, match="退回"):  # the returned file does not count
        services.commitment_supply(application=case, by=enterprise_user)
    # A commitment waiting for the window's check is not the applicant's delay.
    time_machine.move_to(at(2026, 11, 5, 9), tick=False)
    services.material_upload(
        application=case, upload=pdf("平面图-盖章.pdf"), by=enterprise_user, material=waivable
    )
    services.commitment_supply(application=case, by=enterprise_user)
    time_machine.move_to(at(2026, 11, 6, 9), tick=False)
    assert services.check_commitments() == 0
    services.commitment_check(application=case, by=people["clerk"], accept=True)
    case.refresh_from_db()
    assert case.state == A.APPROVED
    assert case.commitment.checked_by == people["clerk"]
