"""Appeals (诉求直达) go through the problem workflow's one set of transitions: accepted with a
working-day limit, answered, rated by the enterprise, reopened when it is not satisfied; the
same lights, escalation and supervision notices; figures per category and department."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gaoxin.core.models import AuditEntry, Notification
from gaoxin.dispatch import lights, selectors, services
from gaoxin.dispatch.models import AppealChannel, Problem, ProblemState, ProblemStep, StepKind
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db
S = ProblemState


@pytest.fixture
def power(db):
    head = UserFactory(username="power_head", role="staff")
    dept = DepartmentFactory(code="power", name="供电服务中心", head=head)
    head.department = dept
    head.save()
    return dept


@pytest.fixture
def officer(power):
    return UserFactory(username="power_staff", role="staff", department=power)


@pytest.fixture
def appeal(enterprise, enterprise_user, power):
    return services.appeal_raise(
        enterprise=enterprise,
        by=enterprise_user,
        category="utilities",
        title="新厂房需增容至2000千伏安",
        description="二期产线下月投产，现有容量不足",
        department=power,
    )


def test_an_enterprise_appeal_runs_the_problem_transitions_and_is_rated(
    appeal, officer, enterprise_user, calendar
):
    assert appeal.project is None and appeal.channel == AppealChannel.PORTAL
    assert appeal.state == S.SUBMITTED
    services.appeal_move(appeal=appeal, to_state=S.ACCEPTED, by=officer, limit_days=5)
    services.appeal_move(appeal=appeal, to_state=S.RESOLVED, by=officer, note="已安排增容施工")
    # The enterprise hears of the answer.
    assert Notification.objects.filter(user=enterprise_user, link__contains=str(appeal.pk)).exists()
    services.appeal_evaluate(appeal=appeal, by=enterprise_user, satisfied=True)
    appeal.refresh_from_db()
    assert appeal.state == S.CONFIRMED and appeal.satisfied is True
    assert appeal.evaluated_at is not None
    states = list(appeal.steps.values_list("to_state", flat=True))
    assert states == [S.SUBMITTED, S.ACCEPTED, S.RESOLVED, S.CONFIRMED]
    assert AuditEntry.objects.filter(object_id=str(appeal.pk)).count() >= 4


def test_not_satisfied_needs_reasons_and_reopens_the_appeal(
    appeal, officer, enterprise_user, calendar
):
    services.appeal_move(appeal=appeal, to_state=S.ACCEPTED, by=officer, limit_days=5)
    services.appeal_move(appeal=appeal, to_state=S.RESOLVED, by=officer, note="已回复")
    with pytest.raises(ValidationError) as error:
        services.appeal_evaluate(appeal=appeal, by=enterprise_user, satisfied=False)
    assert "reasons" in error.value.message_dict
    appeal.refresh_from_db()
    assert appeal.state == S.RESOLVED and appeal.satisfied is None  # nothing changed
    services.appeal_evaluate(
        appeal=appeal, by=enterprise_user, satisfied=False, reasons="只回复未解决"
    )
    appeal.refresh_from_db()
    assert appeal.state == S.REOPENED and appeal.satisfied is False
    assert appeal.evaluation_reasons == "只回复未解决"
    # Reopened, it moves on through the same transitions.
    services.appeal_move(appeal=appeal, to_state=S.RESOLVED, by=officer, note="已完成增容")
    services.appeal_evaluate(appeal=appeal, by=enterprise_user, satisfied=True)
    appeal.refresh_from_db()
    assert appeal.state == S.CONFIRMED and appeal.satisfied is True


def test_the_transitions_are_the_problem_workflows_own(appeal, officer, enterprise_user):
    # A submitted appeal cannot be answered before it is accepted: the same refusal.
    with pytest.raises(ValidationError) as error:
        services.appeal_move(appeal=appeal, to_state=S.RESOLVED, by=officer, note="x")
    assert "to_state" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.appeal_evaluate(appeal=appeal, by=enterprise_user, satisfied=True)
    # Only the assigned department accepts.
    with pytest.raises(PermissionDenied):
        services.appeal_move(appeal=appeal, to_state=S.ACCEPTED, by=enterprise_user, limit_days=3)


def test_an_enterprise_cannot_raise_for_another_or_rate_anothers_appeal(
    appeal, other_enterprise, officer, calendar
):
    outsider = UserFactory(username="other_ent", role="enterprise", enterprise=other_enterprise)
    with pytest.raises(PermissionDenied):
        services.appeal_raise(
            enterprise=appeal.enterprise,
            by=outsider,
            category="land",
            title="t",
            description="d",
        )
    services.appeal_move(appeal=appeal, to_state=S.ACCEPTED, by=officer, limit_days=5)
    services.appeal_move(appeal=appeal, to_state=S.RESOLVED, by=officer, note="已回复")
    with pytest.raises(PermissionDenied):
        services.appeal_evaluate(appeal=appeal, by=outsider, satisfied=True)
    assert not Problem.objects.restrict(outsider, "view").filter(pk=appeal.pk).exists()


def test_staff_record_a_12345_transfer_with_its_ticket_number(enterprise, staff, power):
    with pytest.raises(ValidationError) as error:
        services.appeal_raise(
            enterprise=enterprise,
            by=staff,
            category="approvals",
            title="施工许可咨询",
            description="热线转办",
            channel=AppealChannel.HOTLINE,
        )
    assert "hotline_number" in error.value.message_dict
    assert not Problem.objects.exists()
    appeal = services.appeal_raise(
        enterprise=enterprise,
        by=staff,
        category="approvals",
        title="施工许可咨询",
        description="热线转办",
        channel=AppealChannel.HOTLINE,
        hotline_number="12345-20261201-0088",
        policy_feedback=True,
        department=power,
    )
    assert appeal.hotline_number == "12345-20261201-0088" and appeal.policy_feedback


def test_an_unknown_category_is_refused(enterprise, enterprise_user):
    with pytest.raises(ValidationError) as error:
        services.appeal_raise(
            enterprise=enterprise, by=enterprise_user, category="x", title="t", description="d"
        )
    assert "category" in error.value.message_dict


def test_an_overdue_appeal_is_red_and_escalated_like_a_project_problem(
    appeal, officer, power, calendar
):
    services.appeal_move(appeal=appeal, to_state=S.ACCEPTED, by=officer, limit_days=1)
    appeal.refresh_from_db()
    later = appeal.deadline + dt.timedelta(days=7)
    assert lights.problem_light(appeal, later) == lights.RED
    assert services.escalate_overdue(later) >= 1
    assert ProblemStep.objects.filter(problem=appeal, kind=StepKind.ESCALATION).exists()
    assert Notification.objects.filter(user=power.head, key__startswith=f"problem-{appeal.pk}-")


def test_a_supervision_notice_on_an_appeal(appeal, leader, officer, calendar):
    services.appeal_move(appeal=appeal, to_state=S.ACCEPTED, by=officer, limit_days=5)
    notice = services.supervision_issue(
        problem=appeal, by=leader, demand="三日内答复", limit_days=3
    )
    assert notice.problem_id == appeal.pk
    services.supervision_reply(notice=notice, by=officer, reply="已答复")


def test_figures_per_category_and_department_on_time_and_satisfaction(
    enterprise, enterprise_user, officer, power, staff, calendar
):
    def raise_(category, **kw):
        return services.appeal_raise(
            enterprise=enterprise,
            by=enterprise_user,
            category=category,
            title=category,
            description="d",
            department=power,
            **kw,
        )

    on_time = raise_("utilities")
    services.appeal_move(appeal=on_time, to_state=S.ACCEPTED, by=officer, limit_days=5)
    services.appeal_move(appeal=on_time, to_state=S.RESOLVED, by=officer, note="ok")
    services.appeal_evaluate(appeal=on_time, by=enterprise_user, satisfied=True)
    late = raise_("utilities")
    services.appeal_move(appeal=late, to_state=S.ACCEPTED, by=officer, limit_days=5)
    Problem.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    unhappy = raise_("land")
    services.appeal_move(appeal=unhappy, to_state=S.ACCEPTED, by=officer, limit_days=5)
    services.appeal_move(appeal=unhappy, to_state=S.RESOLVED, by=officer, note="no")
    services.appeal_evaluate(appeal=unhappy, by=enterprise_user, satisfied=False, reasons="未解决")
    figures = selectors.appeal_figures()
    assert figures.overall.total == 3
    assert (figures.overall.on_time, figures.overall.late) == (2, 1)
    assert figures.overall.on_time_rate == pytest.approx(66.7)
    assert figures.overall.satisfaction == 50.0
    by_category = {t.label: t.total for t in figures.by_category}
    assert (
        by_category == {"Utilities (water, power, gas)": 2, "Land": 1}
        or sum(by_category.values()) == 3
    )
    assert [(t.label, t.total) for t in figures.by_department] == [("供电服务中心", 3)]
