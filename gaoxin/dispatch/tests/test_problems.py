import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gaoxin.accounts.services import api_token_create
from gaoxin.core.models import AuditEntry, Notification
from gaoxin.core.workcalendar import calendar_year_set
from gaoxin.dispatch import lights, services
from gaoxin.dispatch.models import Problem, ProblemState, ProblemStep, Supervision
from gaoxin.projects.services import project_create
from tests.factories import DepartmentFactory, UserFactory
from tests.factories import UserFactory as Users

pytestmark = pytest.mark.django_db
S = ProblemState


@pytest.fixture
def planning(db):
    head = UserFactory(username="plan_head", role="staff")
    dept = DepartmentFactory(code="planning", name="自然资源和规划局", head=head)
    head.department = dept
    head.save()
    return dept


@pytest.fixture
def planner(planning):
    return UserFactory(username="plan_staff", role="staff", department=planning)


@pytest.fixture
def project(staff, enterprise):
    return project_create(by=staff, data={"name": "海声尼克二期", "enterprise": enterprise})


@pytest.fixture
def problem(project, enterprise_user, planning):
    return services.problem_raise(
        project=project,
        by=enterprise_user,
        kind="blockage",
        title="规划许可迟迟未批",
        description="方案已报送两个月",
        department=planning,
    )


def test_the_whole_way_from_enterprise_to_confirmation(problem, planner, enterprise_user, calendar):
    services.problem_move(problem=problem, to_state=S.ACCEPTED, by=planner, limit_days=5)
    services.problem_move(problem=problem, to_state=S.IN_PROGRESS, by=planner)
    services.problem_move(
        problem=problem, to_state=S.RESOLVED, by=planner, note="已召开专题会，许可已发放"
    )
    services.problem_move(problem=problem, to_state=S.CONFIRMED, by=enterprise_user)
    problem.refresh_from_db()
    assert problem.state == S.CONFIRMED
    assert problem.resolution == "已召开专题会，许可已发放"
    assert list(problem.steps.values_list("to_state", flat=True)) == [
        "submitted",
        "accepted",
        "in_progress",
        "resolved",
        "confirmed",
    ]
    assert AuditEntry.objects.filter(content_type__model="problem").count() == 5


def test_illegal_moves_are_refused_with_the_possible_ones(problem, planner):
    with pytest.raises(ValidationError) as error:
        services.problem_move(problem=problem, to_state=S.RESOLVED, by=planner, note="x")
    assert "已受理" in error.value.messages[0] or "Accepted" in error.value.messages[0]
    assert Problem.objects.get(pk=problem.pk).state == S.SUBMITTED


def test_accepting_needs_a_time_limit(problem, planner):
    with pytest.raises(ValidationError) as error:
        services.problem_move(problem=problem, to_state=S.ACCEPTED, by=planner)
    assert "limit_days" in error.value.error_dict


def test_deadline_counts_working_days_across_national_day(problem, planner, calendar, monkeypatch):

    monkeypatch.setattr(timezone, "localdate", lambda: dt.date(2026, 9, 30))
    services.problem_move(problem=problem, to_state=S.ACCEPTED, by=planner, limit_days=3)
    problem.refresh_from_db()
    assert problem.deadline == dt.date(2026, 10, 10)  # 8, 9 and the make-up Saturday 10th
    assert problem.deadline_certain


def test_another_department_cannot_handle_it(problem, staff, calendar):
    with pytest.raises(PermissionDenied):
        services.problem_move(problem=problem, to_state=S.ACCEPTED, by=staff, limit_days=5)


def test_the_department_cannot_push_the_problem_onto_another(
    problem, planner, department, calendar
):
    with pytest.raises(PermissionDenied):
        services.problem_move(
            problem=problem, to_state=S.ACCEPTED, by=planner, department=department, limit_days=5
        )


def test_only_the_raiser_side_confirms_or_reopens(problem, planner, leader, calendar):
    services.problem_move(problem=problem, to_state=S.ACCEPTED, by=planner, limit_days=5)
    services.problem_move(problem=problem, to_state=S.RESOLVED, by=planner, note="已办结")
    for user in (planner, leader):
        with pytest.raises(PermissionDenied):
            services.problem_move(problem=problem, to_state=S.CONFIRMED, by=user)


def test_reopening_needs_a_reason_and_goes_back_to_the_department(
    problem, planner, enterprise_user, calendar
):
    services.problem_move(problem=problem, to_state=S.ACCEPTED, by=planner, limit_days=5)
    services.problem_move(problem=problem, to_state=S.RESOLVED, by=planner, note="已办结")
    with pytest.raises(ValidationError):
        services.problem_move(problem=problem, to_state=S.REOPENED, by=enterprise_user)
    services.problem_move(
        problem=problem, to_state=S.REOPENED, by=enterprise_user, note="许可证仍未拿到"
    )
    services.problem_move(problem=problem, to_state=S.IN_PROGRESS, by=planner)
    assert Problem.objects.get(pk=problem.pk).state == S.IN_PROGRESS


def test_an_enterprise_raises_problems_only_on_its_own_projects(
    other_enterprise, enterprise_user, staff
):
    theirs = project_create(by=staff, data={"name": "别家项目", "enterprise": other_enterprise})
    with pytest.raises(PermissionDenied):
        services.problem_raise(
            project=theirs, by=enterprise_user, kind="hard", title="x", description="y"
        )


def test_visibility_enterprise_sees_its_own_projects_problems_leader_reads_all(
    problem, enterprise_user, leader, other_enterprise, planner
):
    outsider = UserFactory(role="enterprise", enterprise=other_enterprise)
    assert list(Problem.objects.restrict(enterprise_user)) == [problem]
    assert not Problem.objects.restrict(outsider).exists()
    assert list(Problem.objects.restrict(leader)) == [problem]
    assert list(Problem.objects.restrict(planner, "change")) == [problem]


@pytest.mark.parametrize(
    ("today", "light"),
    [
        (dt.date(2026, 9, 28), "green"),  # 29, 30 Sep, 8, 9, 10 Oct: five working days left
        (dt.date(2026, 9, 30), "green"),  # a week of holiday, yet still three working days
        (dt.date(2026, 10, 8), "yellow"),  # 9 and the make-up Saturday 10th: two left
        (dt.date(2026, 10, 12), "red"),
    ],
)
def test_lights_count_working_days_around_the_holiday(problem, calendar, today, light):
    problem.state, problem.deadline = S.ACCEPTED, dt.date(2026, 10, 10)
    assert lights.problem_light(problem, today) == light


def test_closed_problems_are_green_even_past_the_deadline(problem, calendar):
    problem.state, problem.deadline = S.CONFIRMED, dt.date(2026, 1, 5)
    assert lights.problem_light(problem, dt.date(2026, 6, 1)) == "green"


def test_escalation_is_idempotent_and_climbs_to_the_leaders(
    problem, planner, leader, planning, calendar
):
    services.problem_move(problem=problem, to_state=S.ACCEPTED, by=planner, limit_days=5)
    Problem.objects.filter(pk=problem.pk).update(deadline=dt.date(2026, 9, 25))
    assert services.escalate_overdue(dt.date(2026, 9, 28)) == 1  # 1 working day late
    assert services.escalate_overdue(dt.date(2026, 9, 28)) == 0  # the scheduler ran twice
    assert Notification.objects.filter(user=planning.head).count() == 1
    assert not Notification.objects.filter(user=leader).exists()
    assert services.escalate_overdue(dt.date(2026, 10, 9)) == 1  # now past 3 working days
    assert services.escalate_overdue(dt.date(2026, 10, 9)) == 0
    assert Notification.objects.filter(user=leader).count() == 1
    assert ProblemStep.objects.filter(problem=problem, escalation_level__isnull=False).count() == 2


def test_api_raise_and_move_with_the_workflow_rules(
    client, enterprise_user, project, planner, planning, calendar
):

    def bearer(user):
        return {"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}"}

    raised = client.post(
        "/api/v1/problems/",
        {
            "project": project.pk,
            "kind": "bottleneck",
            "title": "用电报装慢",
            "description": "等待三周",
            "department": planning.pk,
        },
        content_type="application/json",
        headers=bearer(enterprise_user),
    )
    assert raised.status_code == 201, raised.content
    pk = raised.json()["id"]
    wrong = client.post(
        f"/api/v1/problems/{pk}/move",
        {"to_state": "confirmed"},
        content_type="application/json",
        headers=bearer(enterprise_user),
    )
    assert wrong.status_code == 400
    accepted = client.post(
        f"/api/v1/problems/{pk}/move",
        {"to_state": "accepted", "limit_days": 5},
        content_type="application/json",
        headers=bearer(planner),
    )
    assert accepted.status_code == 200
    assert accepted.json()["state"] == "accepted"
    assert accepted.json()["light"] == "green"
    stranger = client.post(
        f"/api/v1/problems/{pk}/move",
        {"to_state": "in_progress"},
        content_type="application/json",
        headers=bearer(enterprise_user),
    )
    assert stranger.status_code == 403


def test_a_deadline_in_an_unknown_year_is_recomputed_once_the_year_is_entered(
    problem, planner, admin_user, calendar, monkeypatch, django_capture_on_commit_callbacks
):

    monkeypatch.setattr(timezone, "localdate", lambda: dt.date(2026, 12, 28))
    services.problem_move(problem=problem, to_state=S.ACCEPTED, by=planner, limit_days=5)
    ProblemStep.objects.filter(problem=problem, to_state=S.ACCEPTED).update(
        at=timezone.make_aware(dt.datetime(2026, 12, 28, 10, 0))
    )
    problem.refresh_from_db()
    assert (problem.deadline, problem.deadline_certain) == (dt.date(2027, 1, 4), False)
    assert services.recompute_uncertain_deadlines() == 0  # 2027 still unknown
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_set(
            year=2027, holidays={dt.date(2027, 1, 1): "元旦"}, makeup_workdays={}, by=admin_user
        )
    assert services.recompute_uncertain_deadlines() == 1
    problem.refresh_from_db()
    assert (problem.deadline, problem.deadline_certain) == (dt.date(2027, 1, 5), True)


def test_a_leader_issues_a_supervision_notice_and_the_department_replies(
    client, problem, planner, leader, staff, enterprise_user, planning, calendar
):

    services.problem_move(problem=problem, to_state=S.ACCEPTED, by=planner, limit_days=5)
    with pytest.raises(PermissionDenied):
        services.supervision_issue(problem=problem, by=staff, demand="抓紧", limit_days=3)
    notice = services.supervision_issue(
        problem=problem, by=leader, demand="请于三个工作日内批复规划许可", limit_days=3
    )
    assert notice.number.startswith("督办〔")
    assert Notification.objects.filter(user=planning.head, key=f"supervision-{notice.pk}").exists()
    client.force_login(leader)
    page = client.get(f"/dispatch/supervisions/{notice.pk}/")
    assert "请于三个工作日内批复规划许可" in page.text
    assert notice.number in page.text
    client.force_login(enterprise_user)
    assert client.get(f"/dispatch/supervisions/{notice.pk}/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.supervision_reply(notice=notice, by=staff, reply="x")
    services.supervision_reply(notice=notice, by=planner, reply="已批复，许可证编号 2026-088")
    with pytest.raises(ValidationError):
        services.supervision_reply(notice=notice, by=planner, reply="again")
    assert Supervision.objects.get().replied_by == planner


def test_a_closed_problem_cannot_be_supervised(problem, planner, enterprise_user, leader, calendar):
    services.problem_move(problem=problem, to_state=S.ACCEPTED, by=planner, limit_days=5)
    services.problem_move(problem=problem, to_state=S.RESOLVED, by=planner, note="已办结")
    services.problem_move(problem=problem, to_state=S.CONFIRMED, by=enterprise_user)
    with pytest.raises(ValidationError):
        services.supervision_issue(problem=problem, by=leader, demand="x", limit_days=3)


def test_supervision_api_and_its_light(client, problem, planner, leader, calendar):

    def bearer(user):
        return {"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}"}

    services.problem_move(problem=problem, to_state=S.ACCEPTED, by=planner, limit_days=5)
    issued = client.post(
        f"/api/v1/problems/{problem.pk}/supervisions",
        {"demand": "限期批复", "limit_days": 2},
        content_type="application/json",
        headers=bearer(leader),
    )
    assert issued.status_code == 201, issued.content
    notice = Supervision.objects.get()
    assert lights.supervision_light(notice, notice.deadline + dt.timedelta(days=1)) == "red"
    denied = client.post(
        f"/api/v1/problems/{problem.pk}/supervisions",
        {"demand": "x", "limit_days": 2},
        content_type="application/json",
        headers=bearer(planner),
    )
    assert denied.status_code == 403
    replied = client.post(
        f"/api/v1/problems/supervisions/{notice.pk}/reply",
        {"reply": "已批复"},
        content_type="application/json",
        headers=bearer(planner),
    )
    assert replied.status_code == 200
    assert replied.json()["light"] == "green"
    listed = client.get("/api/v1/problems/supervisions", headers=bearer(leader)).json()
    assert listed["count"] == 1


def test_my_work_lists_what_waits_reddest_first(
    client, problem, planner, enterprise_user, project, calendar
):

    services.problem_move(problem=problem, to_state=S.ACCEPTED, by=planner, limit_days=5)
    late = services.problem_raise(
        project=project,
        by=planner,
        kind="hard",
        title="超期问题",
        description="x",
        department=planner.department,
    )
    services.problem_move(problem=late, to_state=S.ACCEPTED, by=planner, limit_days=1)
    Problem.objects.filter(pk=late.pk).update(deadline=dt.date(2020, 1, 1))
    client.force_login(planner)
    page = client.get("/dispatch/my-work/")
    titles = [p.title for p in page.context["to_handle"]]
    assert titles == ["超期问题", "规划许可迟迟未批"]
    services.problem_move(problem=problem, to_state=S.RESOLVED, by=planner, note="已办结")
    client.force_login(enterprise_user)
    page = client.get("/dispatch/my-work/")
    assert [p.title for p in page.context["to_confirm"]] == ["规划许可迟迟未批"]


def test_a_key_projects_overdue_problem_climbs_to_its_sponsor_only(
    problem, planner, leader, planning, staff, calendar
):

    other_leader = Users(username="other_leader", role="leader")
    services.key_project_add(
        year=2026,
        project=problem.project,
        sponsor=leader,
        lead_department=planning,
        by=staff,
    )
    services.problem_move(problem=problem, to_state=S.ACCEPTED, by=planner, limit_days=5)
    Problem.objects.filter(pk=problem.pk).update(deadline=dt.date(2026, 9, 25))
    assert services.escalate_overdue(dt.date(2026, 10, 9)) == 2
    assert Notification.objects.filter(user=leader, key__endswith="escalation-2").exists()
    assert not Notification.objects.filter(user=other_leader).exists()
    assert (
        Notification.objects.filter(user=planning.head, key__endswith="escalation-1").count() == 1
    )
