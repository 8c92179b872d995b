"""Applications (办件): the workflow and its illegal moves, conditional acceptance, supplements
that pause the clock, parallel reviews, clocks across holidays and office hours."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.affairs import services
from gaoxin.affairs.models import Application, ApplicationState, Review
from tests.factories import DepartmentFactory, UserFactory, hand_in_materials

pytestmark = pytest.mark.django_db
A = ApplicationState
CST = ZoneInfo("Asia/Shanghai")


def at(*args):
    return dt.datetime(*args, tzinfo=CST)


@pytest.fixture
def approval(db):
    return DepartmentFactory(code="approval", name="行政审批服务局")


@pytest.fixture
def planning(db):
    return DepartmentFactory(code="planning", name="自然资源和规划局")


@pytest.fixture
def window_clerk(approval):
    return UserFactory(username="window", role="clerk", department=approval)


@pytest.fixture
def approver(approval):
    return UserFactory(username="approver", role="staff", department=approval)


@pytest.fixture
def planner(planning):
    return UserFactory(username="planner", role="staff", department=planning)


def _item(admin_user, department, code, *, legal=20, promised=5, unit="working_days", reviewers=()):
    return services.item_create(
        by=admin_user,
        data={
            "code": code,
            "name": f"事项{code}",
            "department": department,
            "legal_limit_days": legal,
            "promised_limit": promised,
            "promised_unit": unit,
        },
        reviewing_departments=list(reviewers),
        materials=[
            {"name": "申请书", "essential": True},
            {"name": "场所平面图", "essential": False},
        ],
    )


@pytest.fixture
def permit(admin_user, approval, planning, calendar):
    """A permit reviewed in parallel by the approval and the planning departments."""
    return _item(admin_user, approval, "P1", reviewers=[planning])


def _submitted(enterprise_user, enterprise, items, time_machine, when):
    time_machine.move_to(when, tick=False)
    application = services.application_create(
        enterprise=enterprise, items=items, by=enterprise_user, channel="online"
    )
    hand_in_materials(application, enterprise_user)
    return services.application_submit(application=application, by=enterprise_user)


def test_the_whole_way_with_parallel_reviews(
    enterprise_user, enterprise, permit, window_clerk, approver, planner, time_machine
):
    case = _submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
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
    assert services.legal_deadline(case) == at(2026, 10, 26, 10)
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
    case = _submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
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
    case = _submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
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


def test_conditional_acceptance_allows_only_waivable_materials_for_honest_enterprises(
    enterprise_user, enterprise, permit, window_clerk, time_machine
):
    case = _submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
    essential, waivable = permit.materials.order_by("order")
    with pytest.raises(ValidationError):
        services.application_accept(
            application=case,
            by=window_clerk,
            missing=[essential],
            due_on=dt.date(2026, 9, 25),
            signatory="赵海",
        )
    with pytest.raises(ValidationError):  # later than the promised deadline (29 September)
        services.application_accept(
            application=case,
            by=window_clerk,
            missing=[waivable],
            due_on=dt.date(2026, 10, 9),
            signatory="赵海",
        )
    enterprise.is_dishonest = True
    enterprise.save()
    with pytest.raises(ValidationError):
        services.application_accept(
            application=case,
            by=window_clerk,
            missing=[waivable],
            due_on=dt.date(2026, 9, 25),
            signatory="赵海",
        )
    assert Application.objects.get(pk=case.pk).state == A.SUBMITTED


def test_an_unmet_commitment_blocks_approval_and_terminates_the_case(
    enterprise_user, enterprise, permit, window_clerk, approver, planner, time_machine
):
    case = _submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
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
    case = _submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
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


def test_a_supplement_request_pauses_the_asking_department_and_the_promise_only(
    enterprise_user, enterprise, permit, window_clerk, approver, planner, time_machine
):
    case = _submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
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
    services.supplement_supply(application=case, by=enterprise_user)
    case.refresh_from_db()
    assert case.paused_minutes == 2 * 420
    assert case.deadline == at(2026, 10, 8, 10)  # 29 Sep + two working days over National Day
    assert Review.objects.get(pk=planning_review.pk).deadline == case.deadline
    assert Review.objects.get(pk=planning_review.pk).state == "pending"
    # The approval department did not wait: its clock ran on and its deadline stands.
    assert case.reviews.get(department__code="approval").deadline == at(2026, 9, 29, 10)
    assert services.clock(case)["used"] == 420


def test_a_day_limited_deadline_crosses_national_day_and_the_make_up_saturday(
    enterprise_user, enterprise, permit, window_clerk, time_machine
):
    case = _submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 29, 10))
    services.application_accept(application=case, by=window_clerk)
    case.refresh_from_db()
    # 30 Sep, 8 Oct, 9 Oct, 10 Oct (a Saturday worked), 12 Oct.
    assert case.deadline == at(2026, 10, 12, 10)
    assert case.deadline_certain


def test_a_minutes_limited_item_crosses_the_end_of_office_hours(
    admin_user, approval, enterprise_user, enterprise, window_clerk, time_machine, calendar
):
    licence = _item(admin_user, approval, "L30", legal=15, promised=30, unit="working_minutes")
    case = _submitted(enterprise_user, enterprise, [licence], time_machine, at(2026, 9, 29, 17, 15))
    services.application_accept(application=case, by=window_clerk)
    case.refresh_from_db()
    # 15 minutes before closing, 15 the next morning from 09:00.
    assert case.deadline == at(2026, 9, 30, 9, 15)
    time_machine.move_to(at(2026, 9, 30, 9, 10))
    assert services.clock(case)["light"] == "yellow"  # 5 of 30 minutes left
    time_machine.move_to(at(2026, 9, 30, 9, 20))
    assert services.clock(case)["light"] == "red"


def test_an_enterprise_never_reads_another_enterprises_case(
    enterprise_user, enterprise, other_enterprise, permit, time_machine, approver, planner
):
    case = _submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
    stranger = UserFactory(username="stranger", role="enterprise", enterprise=other_enterprise)
    assert not Application.objects.restrict(stranger).filter(pk=case.pk).exists()
    assert Application.objects.restrict(enterprise_user).filter(pk=case.pk).exists()
    with pytest.raises(PermissionDenied):
        services.application_create(
            enterprise=enterprise, items=[permit], by=stranger, channel="online"
        )
    outsider = UserFactory(
        username="science", role="staff", department=DepartmentFactory(code="science")
    )
    assert not Application.objects.restrict(outsider).filter(pk=case.pk).exists()


def test_on_time_statistics_per_department_and_item(
    enterprise_user, enterprise, permit, window_clerk, approver, planner, time_machine
):
    from gaoxin.affairs import selectors
    from gaoxin.projects.stats import Period

    def decided_case(decide_at):
        case = _submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
        services.application_accept(application=case, by=window_clerk)
        time_machine.move_to(decide_at, tick=False)
        for review in case.reviews.all():
            by = approver if review.department.code == "approval" else planner
            services.review_decide(review=review, by=by, decision="approved")
        return case

    decided_case(at(2026, 9, 28, 16))  # before the deadline (29 Sep 10:00)
    decided_case(at(2026, 9, 30, 9))  # a day late
    open_late = _submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
    services.application_accept(application=open_late, by=window_clerk)
    period = Period(dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    (row,) = selectors.on_time(period, at(2026, 10, 9, 12), "department")
    assert (row.label, row.decided, row.on_time, row.rate, row.overdue_open) == (
        "行政审批服务局",
        2,
        1,
        50.0,
        1,
    )
    (item_row,) = selectors.on_time(period, at(2026, 10, 9, 12), "item")
    assert item_row.label == permit.name and item_row.decided == 2


def test_an_extension_needs_an_approver_and_happens_once(
    enterprise_user, enterprise, permit, window_clerk, approver, leader, time_machine
):
    case = _submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
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


def test_a_hearing_stops_the_clock_with_a_written_notice(
    enterprise_user, enterprise, permit, window_clerk, approver, time_machine
):
    case = _submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
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


def test_a_case_left_at_the_window_counts_as_accepted_on_receipt(
    enterprise_user, enterprise, permit, window_clerk, time_machine
):
    case = _submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
    time_machine.move_to(at(2026, 9, 30, 10), tick=False)  # six working days later
    services.application_accept(application=case, by=window_clerk)
    case.refresh_from_db()
    assert case.accepted_at == at(2026, 9, 21, 10)
    assert case.deadline == at(2026, 9, 29, 10)  # already overdue: the window was late
    assert services.clock(case)["light"] == "red"


def test_a_supplement_notice_in_time_holds_acceptance_until_supplied(
    client, enterprise_user, enterprise, permit, window_clerk, time_machine
):
    case = _submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
    # The fifth working day: Mid-Autumn Festival (25 September) does not count.
    time_machine.move_to(at(2026, 9, 29, 16), tick=False)
    with pytest.raises(ValidationError):
        services.intake_supplement_request(application=case, by=window_clerk, what="  ")
    with pytest.raises(PermissionDenied):
        services.intake_supplement_request(application=case, by=enterprise_user, what="缺章程")
    services.intake_supplement_request(
        application=case, by=window_clerk, what="申请书缺法定代表人签字；场所平面图不清晰"
    )
    with pytest.raises(ValidationError, match="一次性告知"):  # everything in one notice
        services.intake_supplement_request(application=case, by=window_clerk, what="又缺一项")
    with pytest.raises(ValidationError):  # nothing is accepted while the window waits
        services.application_accept(application=case, by=window_clerk)
    client.force_login(enterprise_user)
    notice = client.get(f"/affairs/applications/{case.pk}/notices/supplement/").content.decode()
    assert "一次性告知" in notice and "受理窗口" in notice
    # The enterprise supplies two weeks later; the five days now count from then.
    time_machine.move_to(at(2026, 10, 12, 9), tick=False)
    services.supplement_supply(application=case, by=enterprise_user, note="已补签字")
    time_machine.move_to(at(2026, 10, 13, 15), tick=False)
    services.application_accept(application=case, by=window_clerk)
    case.refresh_from_db()
    assert case.state == A.UNDER_REVIEW
    assert case.accepted_at == at(2026, 10, 13, 15)  # in time: accepted when accepted
    assert case.deadline == at(2026, 10, 20, 15)


def test_a_supplement_notice_too_late_is_refused_and_the_case_counts_as_accepted(
    enterprise_user, enterprise, permit, window_clerk, time_machine
):
    case = _submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
    time_machine.move_to(at(2026, 9, 30, 10), tick=False)  # the sixth working day
    with pytest.raises(ValidationError, match="五个工作日"):
        services.intake_supplement_request(application=case, by=window_clerk, what="缺章程")
    assert not case.supplements.exists()
    services.application_accept(application=case, by=window_clerk)
    case.refresh_from_db()
    assert case.accepted_at == at(2026, 9, 21, 10)


def test_a_pre_review_collects_opinions_and_goes_with_the_application(
    enterprise_user, enterprise, other_enterprise, permit, approver, planner, planning, calendar
):
    from gaoxin.affairs.models import PreReview

    pre = services.pre_review_request(
        enterprise=enterprise,
        items=[permit],
        departments=[planning],
        question="拟新建厂房，请预审规划与许可条件",
        by=enterprise_user,
    )
    assert pre.lead_department.code == "approval"
    with pytest.raises(ValidationError):  # planning has not spoken
        services.pre_review_conclude(pre_review=pre, by=approver, conclusion="可申报")
    with pytest.raises(PermissionDenied):  # only the lead concludes
        services.pre_review_conclude(pre_review=pre, by=planner, conclusion="可申报")
    services.pre_review_opinion(pre_review=pre, by=planner, opinion="符合控规，容积率不低于1.0")
    with pytest.raises(ValidationError):
        services.pre_review_opinion(pre_review=pre, by=planner, opinion="再说一次")
    services.pre_review_conclude(pre_review=pre, by=approver, conclusion="材料齐全后可正式申报")
    case = services.application_create(
        enterprise=enterprise, items=[permit], by=enterprise_user, channel="online", pre_review=pre
    )
    assert case.pre_review == pre
    stranger = UserFactory(username="stranger", role="enterprise", enterprise=other_enterprise)
    assert not PreReview.objects.restrict(stranger).exists()
    with pytest.raises(ValidationError):
        other = services.application_create(
            enterprise=other_enterprise,
            items=[permit],
            by=stranger,
            channel="online",
            pre_review=pre,
        )
        assert other is None


def test_the_window_refuses_to_accept_with_reasons_in_the_notice(
    client, enterprise_user, enterprise, permit, window_clerk, time_machine
):
    case = _submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
    with pytest.raises(ValidationError):
        services.application_refuse(application=case, by=window_clerk, reasons=" ")
    with pytest.raises(PermissionDenied):
        services.application_refuse(application=case, by=enterprise_user, reasons="不属本机关")
    services.application_refuse(application=case, by=window_clerk, reasons="不属于本机关职权范围")
    case.refresh_from_db()
    assert case.state == A.REJECTED and case.accepted_at is None and not case.reviews.exists()
    with pytest.raises(ValidationError):  # refused once is decided
        services.application_refuse(application=case, by=window_clerk, reasons="再次")
    client.force_login(enterprise_user)
    notice = client.get(f"/affairs/applications/{case.pk}/notices/result/").content.decode()
    assert "不予受理" in notice and "不属于本机关职权范围" in notice and "准予许可" not in notice
