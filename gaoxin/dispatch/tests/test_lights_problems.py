"""Lights that see problems (issue 18): an overdue problem and an open supervision notice
light a key project by the admin's rules, with the reasons; the notice is in the problem's
timeline; an enterprise's view leaves the notice out."""

import datetime as dt

import pytest
from django.core.cache import cache

from gaoxin.dispatch import lights, services, visibility
from gaoxin.dispatch.models import LightSettings, Problem
from gaoxin.dispatch.models import ProblemState as S
from gaoxin.dispatch.selectors import key_project_lights
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def planner(db):
    head = UserFactory(username="plan_head", role="staff")
    dept = DepartmentFactory(code="planning", name="自然资源和规划局", head=head)
    head.department = dept
    head.save()
    return UserFactory(username="plan_staff", role="staff", department=dept)


@pytest.fixture
def blocked(key_project, enterprise_user, planner, leader):
    problem = services.problem_raise(
        project=key_project.project,
        by=enterprise_user,
        kind="blockage",
        title="规划许可迟迟未批",
        description="方案已报送两个月",
        department=planner.department,
    )
    services.problem_move(problem=problem, to_state=S.ACCEPTED, by=planner, limit_days=20)
    return problem


def _light(key_project, today, internal=True):
    return key_project_lights(
        type(key_project).objects.filter(pk=key_project.pk), today, internal=internal
    )[0]


def _set(**rules):
    LightSettings.objects.update_or_create(pk=1, defaults=rules)
    cache.delete(lights.LIGHT_SETTINGS_CACHE_KEY)


def test_an_open_supervision_notice_lights_the_key_project_yellow_with_its_reason(
    key_project, blocked, leader
):
    problem = Problem.objects.get(pk=blocked.pk)
    today = problem.deadline - dt.timedelta(days=10)
    before = _light(key_project, today)
    notice = services.supervision_issue(problem=problem, by=leader, demand="抓紧", limit_days=5)
    after = _light(key_project, today)
    assert lights.RANK[after.light] <= lights.RANK[lights.YELLOW]
    assert any(notice.number in r and problem.title in r for r in after.reasons)
    assert not any(notice.number in r for r in before.reasons)
    # The enterprise's view of the light leaves the notice out.
    outside = _light(key_project, today, internal=False)
    assert not any(notice.number in r for r in outside.reasons)
    # The admin may make an open notice red.
    _set(open_supervision_light="red")
    assert _light(key_project, today).light == lights.RED


def test_an_overdue_problem_takes_the_admin_set_colour_with_how_late(key_project, blocked):
    problem = Problem.objects.get(pk=blocked.pk)
    late = problem.deadline + dt.timedelta(days=4)
    row = _light(key_project, late)
    assert row.light == lights.RED
    assert any("4" in r and problem.title in r for r in row.reasons)
    _set(overdue_problem_light="yellow")
    row = _light(key_project, late)
    reasons = [r for r in row.reasons if problem.title in r]
    assert reasons and row.counts[lights.YELLOW] >= 1


def test_the_notice_is_in_the_problems_timeline_for_staff_only(
    blocked, leader, staff, enterprise_user, client
):
    notice = services.supervision_issue(problem=blocked, by=leader, demand="抓紧", limit_days=5)
    steps = visibility.problem_steps(staff, blocked)
    issued = [s for s in steps if getattr(s, "kind", "") == "supervision_issued"]
    assert [s.notice for s in issued] == [notice]
    assert steps == sorted(steps, key=lambda s: s.at)
    assert not [
        s for s in visibility.problem_steps(enterprise_user, blocked) if "supervision" in s.kind
    ]
    client.force_login(staff)
    page = client.get(f"/dispatch/problems/{blocked.pk}/")
    assert notice.number in page.text
