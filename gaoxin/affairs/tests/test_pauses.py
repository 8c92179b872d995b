"""The clocks standing still and running on: a department's supplement stops only its own clock and
the promise, exclusions stop every clock, an extension once by an approver."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.affairs import services
from gaoxin.affairs.models import (
    ApplicationState,
    Review,
)
from gaoxin.affairs.tests.support import (
    accepted,
    at,
    review_of,
    submitted,
)
from gaoxin.core.models import AuditEntry
from tests.factories import pdf

pytestmark = pytest.mark.django_db
A = ApplicationState


def test_a_supplement_request_pauses_the_asking_department_and_the_promise_only(
    enterprise_user, enterprise, permit, window_clerk, approver, planner, time_machine
):
    case = submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
    services.application_accept(application=case, by=window_clerk)
    time_machine.move_to(at(2026, 9, 22, 10))  # one working day used
    planning_review = case.reviews.get(department__code="planning")
    services.review_decide(
        review=planning_review, by=planner, decision="supplement", reasons="补充宗地图"
    )
    case.refresh_from_db()
    assert services.clock(case)["paused"] is True
    time_machine.move_to(at(2026, 9, 24, 10))  # two working days pass while paused
    assert services.clock(case)["used"] == 420  # still one working day
    services.material_upload(application=case, upload=pdf("补正.pdf"), by=enterprise_user)
    services.supplement_supply(application=case, by=enterprise_user)
    case.refresh_from_db()
    assert case.paused_minutes == 2 * 420
    assert case.deadline == at(2026, 10, 8, 10)  # 29 Sep + two working days over National Day
    assert Review.objects.get(pk=planning_review.pk).deadline == case.deadline
    assert Review.objects.get(pk=planning_review.pk).state == "pending"
    # The approval department did not wait: its clock ran on and its deadline stands.
    assert case.reviews.get(department__code="approval").deadline == at(2026, 9, 29, 10)
    assert services.clock(case)["used"] == 420


def test_one_departments_supplement_leaves_the_other_deadlines_unchanged_to_the_minute(
    enterprise_user, enterprise, three_way_permit, people, time_machine
):
    case = accepted(
        enterprise_user,
        enterprise,
        three_way_permit,
        people["clerk"],
        time_machine,
        at(2026, 9, 21, 10),
    )
    # Five working days from Monday 10:00; Friday 25 September is the Mid-Autumn holiday.
    assert {r.deadline for r in case.reviews.all()} == {at(2026, 9, 29, 10)}
    time_machine.move_to(at(2026, 9, 22, 10, 17), tick=False)
    services.review_decide(
        review=review_of(case, "planning"),
        by=people["planning"],
        decision="supplement",
        reasons="补充宗地图",
    )
    # The approval department keeps deciding while planning waits.
    services.review_decide(
        review=review_of(case, "approval"), by=people["approval"], decision="approved"
    )
    time_machine.move_to(at(2026, 9, 29, 15, 17), tick=False)  # four working days later
    services.material_upload(application=case, upload=pdf("补正.pdf"), by=enterprise_user)
    services.supplement_supply(application=case, by=enterprise_user, note="宗地图已上传")
    case.refresh_from_db()
    planning = review_of(case, "planning")
    # Planning stood still four working days and 10:17–15:17 less the lunch break; its
    # deadline crosses National Day (1–7 October) and lands on the make-up Saturday.
    assert planning.paused_minutes == 4 * 420 + 210
    assert planning.deadline == at(2026, 10, 10, 15, 0)
    assert planning.state == "pending" and planning.paused_since is None
    # The other two departments' deadlines did not move by a minute.
    assert review_of(case, "approval").deadline == at(2026, 9, 29, 10)
    assert review_of(case, "environment").deadline == at(2026, 9, 29, 10)
    assert review_of(case, "environment").paused_minutes == 0
    # The promise to the applicant excludes the applicant's own time.
    assert case.deadline == planning.deadline
    assert case.paused_minutes == planning.paused_minutes
    # Every change of a department's review is audited: the two decisions, planning's clock
    # stopping and restarting with the paused minutes, its return to pending.
    planning_trail = AuditEntry.objects.filter(
        content_type__model="review", object_id=str(planning.pk)
    )
    assert planning_trail.count() == 4
    assert any(e.after.get("paused_minutes") == 4 * 420 + 210 for e in planning_trail)
    assert any(e.after.get("state") == "pending" for e in planning_trail)


def test_the_promise_stands_still_while_any_supplement_is_owed(
    enterprise_user, enterprise, three_way_permit, people, time_machine
):
    case = accepted(
        enterprise_user,
        enterprise,
        three_way_permit,
        people["clerk"],
        time_machine,
        at(2026, 11, 2, 10),
    )
    time_machine.move_to(at(2026, 11, 3, 10), tick=False)
    services.review_decide(
        review=review_of(case, "planning"),
        by=people["planning"],
        decision="supplement",
        reasons="宗地图",
    )
    time_machine.move_to(at(2026, 11, 4, 10), tick=False)
    services.review_decide(
        review=review_of(case, "environment"),
        by=people["environment"],
        decision="supplement",
        reasons="环评表",
    )
    time_machine.move_to(at(2026, 11, 5, 10), tick=False)
    planning_request = case.supplements.get(review__department__code="planning")
    services.material_upload(application=case, upload=pdf("补正.pdf"), by=enterprise_user)
    services.supplement_supply(application=case, by=enterprise_user, request=planning_request)
    case.refresh_from_db()
    assert case.paused_since is not None  # environment's supplement is still owed
    assert review_of(case, "planning").paused_minutes == 2 * 420
    assert review_of(case, "environment").paused_since is not None
    time_machine.move_to(at(2026, 11, 6, 10), tick=False)
    services.material_upload(application=case, upload=pdf("补正.pdf"), by=enterprise_user)
    services.supplement_supply(application=case, by=enterprise_user)
    case.refresh_from_db()
    assert case.paused_since is None
    assert case.paused_minutes == 3 * 420  # from the first request to the last supply
    assert review_of(case, "environment").paused_minutes == 2 * 420
    assert review_of(case, "approval").paused_minutes == 0
    clock = services.clock(case)
    assert clock.used == 420 and not clock.paused


def test_a_hearing_stops_the_clock_with_a_written_notice(
    enterprise_user, enterprise, permit, window_clerk, approver, time_machine
):
    case = submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
    services.application_accept(application=case, by=window_clerk)
    with pytest.raises(ValidationError):
        services.exclusion_start(application=case, by=approver, kind="hearing", written_notice=" ")
    period = services.exclusion_start(
        application=case, by=approver, kind="hearing", written_notice="定于9月28日举行听证"
    )
    time_machine.move_to(at(2026, 9, 22, 10), tick=False)  # one working day of hearing time
    services.exclusion_end(period=period, by=approver)
    case.refresh_from_db()
    assert case.paused_minutes == 420
    assert case.deadline == at(2026, 9, 30, 10)


def test_a_hearing_stops_every_clock_of_the_case(
    enterprise_user, enterprise, three_way_permit, people, time_machine
):
    case = accepted(
        enterprise_user,
        enterprise,
        three_way_permit,
        people["clerk"],
        time_machine,
        at(2026, 11, 2, 10),
    )
    time_machine.move_to(at(2026, 11, 3, 10), tick=False)
    period = services.exclusion_start(
        application=case, by=people["clerk"], kind="hearing", written_notice="听证通知"
    )
    time_machine.move_to(at(2026, 11, 4, 10), tick=False)
    services.exclusion_end(period=period, by=people["clerk"])
    case.refresh_from_db()
    assert case.paused_minutes == 420
    assert {r.paused_minutes for r in case.reviews.all()} == {420}
    assert {r.deadline for r in case.reviews.all()} == {case.deadline}


def test_an_extension_needs_an_approver_and_happens_once(
    enterprise_user, enterprise, permit, window_clerk, approver, leader, time_machine
):
    case = submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
    services.application_accept(application=case, by=window_clerk)
    with pytest.raises(PermissionDenied):  # department staff do not extend
        services.extension_grant(application=case, by=approver, days=10, reason="专家论证")
    with pytest.raises(ValidationError):
        services.extension_grant(application=case, by=leader, days=11, reason="专家论证")
    services.extension_grant(application=case, by=leader, days=10, reason="需组织专家论证")
    case.refresh_from_db()
    # 29 Sep + ten working days over National Day (incl. the make-up Saturday 10 Oct).
    assert case.deadline == at(2026, 10, 19, 10)
    assert all(r.deadline == case.deadline for r in case.reviews.all())
    assert services.clock(case)["left"] == 15 * 420
    with pytest.raises(ValidationError):
        services.extension_grant(application=case, by=leader, days=1, reason="再延")


def test_a_case_rejected_while_a_supplement_is_owed_does_not_count_the_applicants_time(
    enterprise_user, enterprise, three_way_permit, people, time_machine
):
    case = accepted(
        enterprise_user,
        enterprise,
        three_way_permit,
        people["clerk"],
        time_machine,
        at(2026, 11, 2, 10),
    )
    time_machine.move_to(at(2026, 11, 3, 10), tick=False)
    services.review_decide(
        review=review_of(case, "planning"),
        by=people["planning"],
        decision="supplement",
        reasons="宗地图",
    )
    # Five working days later, while planning still waits, environment rejects.
    time_machine.move_to(at(2026, 11, 10, 10), tick=False)
    services.review_decide(
        review=review_of(case, "environment"),
        by=people["environment"],
        decision="rejected",
        reasons="不符合环评要求",
    )
    case.refresh_from_db()
    assert case.state == A.REJECTED and case.paused_since is None
    assert case.paused_minutes == 5 * 420  # the applicant's five days stay out of the zone's
    clock = services.clock(case)
    assert clock.used == 420 and clock.light == "green"  # one working day, decided on time
    planning = review_of(case, "planning")
    assert planning.paused_since is None and planning.paused_minutes == 5 * 420


def test_supplements_are_files_a_click_alone_supplies_nothing(
    enterprise_user, enterprise, permit, window_clerk, planner, time_machine
):
    case = submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 11, 2, 10))
    services.application_accept(application=case, by=window_clerk)
    time_machine.move_to(at(2026, 11, 3, 10), tick=False)
    services.review_decide(
        review=case.reviews.get(department__code="planning"),
        by=planner,
        decision="supplement",
        reasons="宗地图",
    )
    time_machine.move_to(at(2026, 11, 4, 10), tick=False)
    with pytest.raises(ValidationError, match=r"上传|Upload"):
        services.supplement_supply(application=case, by=enterprise_user)
    assert case.supplements.filter(supplied_at__isnull=True).count() == 1
    assert review_of(case, "planning").state == "supplement"
