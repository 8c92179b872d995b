"""The case rules a window and a reviewer sign for: one clock per department in the parallel
review, 容缺 materials checked by the window, online filing with materials, working time as
people say it, and notices at every step."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.affairs import clocks, services
from gaoxin.affairs.models import Application, ApplicationState, Review, ServiceItem
from gaoxin.core.models import AuditEntry, Notification
from tests.factories import DepartmentFactory, UserFactory, hand_in_materials, pdf

pytestmark = pytest.mark.django_db
A = ApplicationState
CST = ZoneInfo("Asia/Shanghai")


def at(*args):
    return dt.datetime(*args, tzinfo=CST)


@pytest.fixture
def departments(db):
    return {
        code: DepartmentFactory(code=code, name=name)
        for code, name in [
            ("approval", "行政审批服务局"),
            ("planning", "自然资源和规划局"),
            ("environment", "生态环境分局"),
        ]
    }


@pytest.fixture
def people(departments):
    return {
        "clerk": UserFactory(username="window", role="clerk", department=departments["approval"]),
        **{
            code: UserFactory(username=f"rev-{code}", role="staff", department=department)
            for code, department in departments.items()
        },
    }


@pytest.fixture
def permit(admin_user, departments, calendar):
    """Reviewed in parallel by three departments, five working days promised."""
    return services.item_create(
        by=admin_user,
        data={
            "code": "P3",
            "name": "建设项目环评与规划许可",
            "department": departments["approval"],
            "legal_limit_days": 20,
            "promised_limit": 5,
            "promised_unit": "working_days",
        },
        reviewing_departments=[departments["planning"], departments["environment"]],
        materials=[
            {"name": "申请书", "essential": True},
            {"name": "场所平面图", "essential": False},
        ],
    )


def _accepted(enterprise_user, enterprise, permit, clerk, time_machine, when, **accept):
    time_machine.move_to(when, tick=False)
    case = services.application_create(
        enterprise=enterprise, items=[permit], by=enterprise_user, channel="online"
    )
    hand_in_materials(case, enterprise_user)
    services.application_submit(application=case, by=enterprise_user)
    services.application_accept(application=case, by=clerk, **accept)
    case.refresh_from_db()
    return case


def _review(case, code) -> Review:
    return Review.objects.get(application=case, department__code=code)


# --- 1. one clock per department -------------------------------------------------------------


def test_one_departments_supplement_leaves_the_other_deadlines_unchanged_to_the_minute(
    enterprise_user, enterprise, permit, people, time_machine
):
    case = _accepted(
        enterprise_user, enterprise, permit, people["clerk"], time_machine, at(2026, 9, 21, 10)
    )
    # Five working days from Monday 10:00; Friday 25 September is the Mid-Autumn holiday.
    assert {r.deadline for r in case.reviews.all()} == {at(2026, 9, 29, 10)}
    time_machine.move_to(at(2026, 9, 22, 10, 17), tick=False)
    services.review_decide(
        review=_review(case, "planning"),
        by=people["planning"],
        decision="supplement",
        reasons="补充宗地图",
    )
    # The approval department keeps deciding while planning waits.
    services.review_decide(
        review=_review(case, "approval"), by=people["approval"], decision="approved"
    )
    time_machine.move_to(at(2026, 9, 29, 15, 17), tick=False)  # four working days later
    services.supplement_supply(application=case, by=enterprise_user, note="宗地图已上传")
    case.refresh_from_db()
    planning = _review(case, "planning")
    # Planning stood still four working days and 10:17–15:17 less the lunch break; its
    # deadline crosses National Day (1–7 October) and lands on the make-up Saturday.
    assert planning.paused_minutes == 4 * 420 + 210
    assert planning.deadline == at(2026, 10, 10, 15, 0)
    assert planning.state == "pending" and planning.paused_since is None
    # The other two departments' deadlines did not move by a minute.
    assert _review(case, "approval").deadline == at(2026, 9, 29, 10)
    assert _review(case, "environment").deadline == at(2026, 9, 29, 10)
    assert _review(case, "environment").paused_minutes == 0
    # The promise to the applicant excludes the applicant's own time.
    assert case.deadline == planning.deadline
    assert case.paused_minutes == planning.paused_minutes
    assert AuditEntry.objects.filter(content_type__model="review").count() == 2


def test_the_promise_stands_still_while_any_supplement_is_owed(
    enterprise_user, enterprise, permit, people, time_machine
):
    case = _accepted(
        enterprise_user, enterprise, permit, people["clerk"], time_machine, at(2026, 11, 2, 10)
    )
    time_machine.move_to(at(2026, 11, 3, 10), tick=False)
    services.review_decide(
        review=_review(case, "planning"),
        by=people["planning"],
        decision="supplement",
        reasons="宗地图",
    )
    time_machine.move_to(at(2026, 11, 4, 10), tick=False)
    services.review_decide(
        review=_review(case, "environment"),
        by=people["environment"],
        decision="supplement",
        reasons="环评表",
    )
    time_machine.move_to(at(2026, 11, 5, 10), tick=False)
    planning_request = case.supplements.get(review__department__code="planning")
    services.supplement_supply(application=case, by=enterprise_user, request=planning_request)
    case.refresh_from_db()
    assert case.paused_since is not None  # environment's supplement is still owed
    assert _review(case, "planning").paused_minutes == 2 * 420
    assert _review(case, "environment").paused_since is not None
    time_machine.move_to(at(2026, 11, 6, 10), tick=False)
    services.supplement_supply(application=case, by=enterprise_user)
    case.refresh_from_db()
    assert case.paused_since is None
    assert case.paused_minutes == 3 * 420  # from the first request to the last supply
    assert _review(case, "environment").paused_minutes == 2 * 420
    assert _review(case, "approval").paused_minutes == 0
    clock = services.clock(case)
    assert clock.used == 420 and not clock.paused


def test_a_hearing_stops_every_clock_of_the_case(
    enterprise_user, enterprise, permit, people, time_machine
):
    case = _accepted(
        enterprise_user, enterprise, permit, people["clerk"], time_machine, at(2026, 11, 2, 10)
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


# --- 2. 容缺: the window checks the committed material ----------------------------------------


def test_the_enterprises_supplied_never_approves_the_case(
    enterprise_user, enterprise, permit, people, time_machine
):
    waivable = permit.materials.get(essential=False)
    case = _accepted(
        enterprise_user,
        enterprise,
        permit,
        people["clerk"],
        time_machine,
        at(2026, 11, 2, 10),
        missing=[waivable],
        due_on=dt.date(2026, 11, 5),
        signatory="赵海",
    )
    for code in ("approval", "planning", "environment"):
        services.review_decide(review=_review(case, code), by=people[code], decision="approved")
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


# --- 3. filing online ---------------------------------------------------------------------------


def test_submission_is_refused_with_the_missing_essential_materials_names(
    enterprise_user, enterprise, permit, people, time_machine
):
    time_machine.move_to(at(2026, 11, 2, 10), tick=False)
    case = services.application_create(
        enterprise=enterprise, items=[permit], by=enterprise_user, channel="online"
    )
    assert case.state == A.DRAFT
    with pytest.raises(ValidationError, match="申请书"):
        services.application_submit(application=case, by=enterprise_user)
    hand_in_materials(case, enterprise_user, skip={"场所平面图"})
    with pytest.raises(ValidationError, match="场所平面图"):  # upload it or ask for 容缺
        services.application_submit(application=case, by=enterprise_user)
    assert Application.objects.get(pk=case.pk).state == A.DRAFT
    essential = permit.materials.get(essential=True)
    with pytest.raises(ValidationError):  # only waivable materials may follow later
        services.application_submit(application=case, by=enterprise_user, deficiency=[essential])
    waivable = permit.materials.get(essential=False)
    services.application_submit(application=case, by=enterprise_user, deficiency=[waivable])
    case.refresh_from_db()
    assert case.state == A.SUBMITTED
    assert list(case.deficiency_requested.all()) == [waivable]
    # The window hears of the new online case.
    assert Notification.objects.filter(user=people["clerk"], link__contains=str(case.pk)).exists()


def test_the_catalogue_is_found_by_pinyin_initials_code_and_department(
    admin_user, departments, calendar
):
    from gaoxin.affairs.filters import ServiceItemFilter

    services.item_create(
        by=admin_user,
        data={
            "code": "370100-QY-01",
            "name": "企业设立登记",
            "department": departments["approval"],
            "legal_limit_days": 3,
            "promised_limit": 1,
            "promised_unit": "working_days",
        },
    )
    services.item_create(
        by=admin_user,
        data={
            "code": "370100-HP-02",
            "name": "环境影响评价审批",
            "department": departments["environment"],
            "legal_limit_days": 20,
            "promised_limit": 10,
            "promised_unit": "working_days",
        },
    )

    def found(q):
        return [i.name for i in ServiceItemFilter({"q": q}, ServiceItem.objects.all()).qs]

    assert found("qysl") == ["企业设立登记"]
    assert found("QYSL") == ["企业设立登记"]
    assert found("qiye") == ["企业设立登记"]
    assert found("HP-02") == ["环境影响评价审批"]
    assert found("生态环境") == ["环境影响评价审批"]
    assert found("设立") == ["企业设立登记"]
    # Renaming keeps the key in step.
    item = ServiceItem.objects.get(code="370100-QY-01")
    services.item_update(
        item=item, by=admin_user, data={"name": "个体工商户登记"}, expected_version=item.version
    )
    assert found("qysl") == [] and found("gtgsh") == ["个体工商户登记"]


# --- 5. working time as people say it ----------------------------------------------------------


def test_working_time_reads_as_people_say_it(settings):
    settings.LANGUAGE_CODE = "zh-hans"
    from django.utils import translation

    with translation.override("zh-hans"):
        left = clocks.Clock(light="green", used=0, left=3 * 420 + 125, paused=False)
        assert left.text == "剩余 3 个工作日 2 小时"
        assert clocks.Clock(light="red", used=0, left=-420, paused=False).text == "超期 1 个工作日"
        assert (
            clocks.Clock(light="yellow", used=0, left=45, paused=False).text == "剩余 不足 1 小时"
        )
        fast = clocks.Clock(light="yellow", used=0, left=25, paused=False, fine=True)
        assert fast.text == "剩余 25 分钟"
        assert clocks.Clock(light="red", used=0, left=-75, paused=False, fine=True).text == (
            "超期 1 小时 15 分钟"
        )


# --- 6. notices at every step ----------------------------------------------------------------


def test_the_applicant_and_each_department_hear_of_every_step(
    enterprise_user, enterprise, permit, people, time_machine
):
    case = _accepted(
        enterprise_user,
        enterprise,
        permit,
        people["clerk"],
        time_machine,
        at(2026, 11, 2, 10),
        missing=[permit.materials.get(essential=False)],
        due_on=dt.date(2026, 11, 6),
        signatory="赵海",
    )

    def told(user):
        return list(
            Notification.objects.filter(user=user, link__contains=f"/{case.pk}/")
            .order_by("pk")
            .values_list("title", flat=True)
        )

    for code in ("approval", "planning", "environment"):
        assert len(told(people[code])) == 1, code  # its new review
    assert any("容缺" in t for t in told(enterprise_user))
    services.review_decide(
        review=_review(case, "planning"),
        by=people["planning"],
        decision="supplement",
        reasons="宗地图",
    )
    assert any("补正" in t for t in told(enterprise_user))
    time_machine.move_to(at(2026, 11, 4, 9), tick=False)  # two working days before the 6th
    services.check_commitments()
    services.check_commitments()
    assert sum("11-06" in t or "2026-11-06" in t for t in told(enterprise_user)) == 1
    services.supplement_supply(application=case, by=enterprise_user)
    assert any("恢复" in t for t in told(enterprise_user))
    services.review_decide(
        review=_review(case, "planning"),
        by=people["planning"],
        decision="rejected",
        reasons="不符合控规",
    )
    services.application_close(application=case, by=people["clerk"])
    titles = told(enterprise_user)
    assert any("不予许可" in t or "驳回" in t or "办结" in t for t in titles)
    assert any("办结" in t for t in titles)
