"""Powers as narrow as the job (docs/security.md): a problem is accepted or handed back only by
its assigned department and moved to another department only by the coordinating office,
with the reason recorded; a talent commissioner lets and ends talent-apartment leases only.
Every other attempt is a 403 with a Chinese message, on the services, the pages and the API,
and changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from gaoxin.accounts.models import Role
from gaoxin.core.models import AuditEntry
from gaoxin.dispatch import services
from gaoxin.dispatch.models import Problem, ProblemState, ProblemStep, StepKind
from gaoxin.projects.services import project_create
from gaoxin.spaces import services as spaces
from gaoxin.spaces.models import Building, Lease, Unit
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db
S = ProblemState


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def planning(db):
    return DepartmentFactory(code="planning", name="自然资源和规划局")


@pytest.fixture
def planner(planning):
    return UserFactory(username="plan_staff", role=Role.STAFF, department=planning)


@pytest.fixture
def office_staff(db):
    office = DepartmentFactory(code="office", name="党政办公室")
    return UserFactory(username="olga_office", role=Role.STAFF, department=office)


@pytest.fixture
def problem(staff, enterprise, enterprise_user, planning):
    project = project_create(by=staff, data={"name": "海声尼克二期", "enterprise": enterprise})
    return services.problem_raise(
        project=project,
        by=enterprise_user,
        kind="blockage",
        title="规划许可迟迟未批",
        description="方案已报送两个月",
        department=planning,
    )


def _unchanged(problem, state=S.SUBMITTED):
    stored = Problem.objects.get(pk=problem.pk)
    assert stored.state == state
    assert stored.department_id == problem.department_id
    assert stored.steps.count() == problem.steps.count()
    return stored


# --- hole 5: another department's staff took the problem for itself -------------------------


def test_another_departments_staff_cannot_accept_a_problem_into_their_own_department(
    problem, staff, department, calendar
):
    steps, audits = problem.steps.count(), AuditEntry.objects.count()
    with pytest.raises(PermissionDenied) as refused:
        services.problem_move(
            problem=problem, to_state=S.ACCEPTED, by=staff, department=department, limit_days=5
        )
    assert "只有问题所分派的部门" in str(refused.value)
    stored = Problem.objects.get(pk=problem.pk)
    assert (stored.state, stored.department.code, stored.deadline) == (
        S.SUBMITTED,
        "planning",
        None,
    )
    assert stored.steps.count() == steps
    assert AuditEntry.objects.count() == audits


def test_on_the_page_another_department_gets_403_with_the_reason(
    client, problem, staff, department, calendar
):
    client.force_login(staff)
    response = client.post(
        f"/dispatch/problems/{problem.pk}/move/",
        {"to_state": "accepted", "department": department.pk, "limit_days": 5},
    )
    assert response.status_code == 403
    assert "只有问题所分派的部门才能受理" in response.content.decode()
    _unchanged(problem)


def test_in_the_api_another_department_gets_403_with_the_reason(
    client, problem, staff, department, calendar
):
    from gaoxin.accounts.services import api_token_create

    token = api_token_create(user=staff, name="t")[1]
    response = client.post(
        f"/api/v1/problems/{problem.pk}/move",
        {"to_state": "accepted", "department": department.pk, "limit_days": 5},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "zh-hans"},
    )
    assert response.status_code == 403
    assert "只有问题所分派的部门" in response.json()["message"]
    _unchanged(problem)


def test_the_assigned_department_accepts_but_cannot_push_it_elsewhere(
    problem, planner, department, calendar
):
    with pytest.raises(PermissionDenied) as refused:
        services.problem_move(
            problem=problem, to_state=S.ACCEPTED, by=planner, department=department, limit_days=5
        )
    assert "统筹协调部门" in str(refused.value)
    _unchanged(problem)
    services.problem_move(problem=problem, to_state=S.ACCEPTED, by=planner, limit_days=5)
    assert Problem.objects.get(pk=problem.pk).state == S.ACCEPTED


def test_the_projects_steward_works_a_problem_but_does_not_accept_it(
    problem, steward, planner, calendar
):
    problem.project.steward = steward
    problem.project.save()
    with pytest.raises(PermissionDenied):
        services.problem_move(problem=problem, to_state=S.ACCEPTED, by=steward, limit_days=5)
    services.problem_move(problem=problem, to_state=S.ACCEPTED, by=planner, limit_days=5)
    services.problem_move(problem=problem, to_state=S.IN_PROGRESS, by=steward)
    assert Problem.objects.get(pk=problem.pk).state == S.IN_PROGRESS


# --- hand back and move, with the reason ------------------------------------------------------


def test_the_assigned_department_hands_a_problem_back_with_its_reason(problem, planner, calendar):
    with pytest.raises(ValidationError):
        services.problem_hand_back(problem=problem, by=planner, reason="  ")
    services.problem_move(problem=problem, to_state=S.ACCEPTED, by=planner, limit_days=5)
    services.problem_hand_back(problem=problem, by=planner, reason="属供电公司职责，非本局事项")
    stored = Problem.objects.get(pk=problem.pk)
    assert (stored.state, stored.department, stored.deadline) == (S.SUBMITTED, None, None)
    step = stored.steps.last()
    assert (step.kind, step.note, step.department.code) == (
        StepKind.HAND_BACK,
        "属供电公司职责，非本局事项",
        "planning",
    )
    entry = AuditEntry.objects.filter(object_id=str(problem.pk)).order_by("-id").first()
    assert entry.after["reason"] == "属供电公司职责，非本局事项"
    assert entry.before["department"] == problem.department_id
    assert entry.after["department"] is None


def test_only_the_assigned_department_hands_back(client, problem, staff, office_staff):
    for user in (staff, office_staff):
        with pytest.raises(PermissionDenied) as refused:
            services.problem_hand_back(problem=problem, by=user, reason="不归我们")
        assert "只有问题所分派的部门" in str(refused.value)
    client.force_login(staff)
    response = client.post(f"/dispatch/problems/{problem.pk}/hand-back/", {"note": "不归我们"})
    assert response.status_code == 403
    _unchanged(problem)


def test_the_coordinating_office_moves_a_problem_with_its_reason(
    client, problem, office_staff, department, planner, staff, calendar
):
    client.force_login(office_staff)
    page = client.get(f"/dispatch/problems/{problem.pk}/").content.decode()
    assert 'data-testid="reassign"' in page
    response = client.post(
        f"/dispatch/problems/{problem.pk}/reassign/",
        {"department": department.pk, "note": "涉及招商协议条款，由投促局牵头"},
    )
    assert response.status_code == 302
    stored = Problem.objects.get(pk=problem.pk)
    assert stored.department == department
    step = stored.steps.last()
    assert (step.kind, step.department, step.by, step.note) == (
        StepKind.REASSIGN,
        department,
        office_staff,
        "涉及招商协议条款，由投促局牵头",
    )
    entry = AuditEntry.objects.filter(object_id=str(problem.pk)).order_by("-id").first()
    assert entry.user == office_staff
    assert entry.after["reason"] == "涉及招商协议条款，由投促局牵头"
    # Now the new department accepts it; the old one may not.
    with pytest.raises(PermissionDenied):
        services.problem_move(problem=stored, to_state=S.ACCEPTED, by=planner, limit_days=5)
    services.problem_move(problem=stored, to_state=S.ACCEPTED, by=staff, limit_days=5)


def test_a_move_needs_a_reason(problem, office_staff, department):
    with pytest.raises(ValidationError) as error:
        services.problem_reassign(
            problem=problem, by=office_staff, department=department, reason=""
        )
    assert "note" in error.value.error_dict
    _unchanged(problem)


def test_nobody_but_the_coordinating_office_moves_a_problem(
    client, problem, planner, staff, steward, leader, department
):
    from gaoxin.accounts.services import api_token_create

    for user in (planner, staff, steward, leader):
        with pytest.raises(PermissionDenied):
            services.problem_reassign(
                problem=problem, by=user, department=department, reason="换个部门"
            )
    client.force_login(planner)
    response = client.post(
        f"/dispatch/problems/{problem.pk}/reassign/",
        {"department": department.pk, "note": "换个部门"},
    )
    assert response.status_code == 403
    assert "只有统筹协调部门" in response.content.decode()
    token = api_token_create(user=planner, name="t")[1]
    response = client.post(
        f"/api/v1/problems/{problem.pk}/reassign",
        {"department": department.pk, "reason": "换个部门"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "zh-hans"},
    )
    assert response.status_code == 403
    assert "只有统筹协调部门" in response.json()["message"]
    _unchanged(problem)


def test_the_api_moves_a_problem_for_the_coordinating_office(
    client, problem, office_staff, department
):
    from gaoxin.accounts.services import api_token_create

    token = api_token_create(user=office_staff, name="t")[1]
    response = client.post(
        f"/api/v1/problems/{problem.pk}/reassign",
        {"department": department.pk, "reason": "由投促局牵头"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["department"] == department.pk


def test_a_problem_without_a_department_waits_for_the_coordinating_office(
    staff, enterprise, enterprise_user, office_staff, department, calendar
):
    project = project_create(by=staff, data={"name": "无部门项目", "enterprise": enterprise})
    problem = services.problem_raise(
        project=project, by=enterprise_user, kind="hard", title="不知找谁", description="求助"
    )
    with pytest.raises(PermissionDenied):
        services.problem_move(problem=problem, to_state=S.ACCEPTED, by=staff, limit_days=5)
    services.problem_reassign(
        problem=problem, by=office_staff, department=department, reason="分派"
    )
    services.problem_move(problem=problem, to_state=S.ACCEPTED, by=staff, limit_days=5)
    assert Problem.objects.get(pk=problem.pk).state == S.ACCEPTED


def test_the_enterprise_sees_neither_hand_backs_nor_moves(
    client, problem, planner, office_staff, department, enterprise_user
):
    services.problem_hand_back(problem=problem, by=planner, reason="退回理由XYZ")
    services.problem_reassign(
        problem=problem, by=office_staff, department=department, reason="移交理由XYZ"
    )
    client.force_login(enterprise_user)
    page = client.get(f"/dispatch/problems/{problem.pk}/").content.decode()
    assert "理由XYZ" not in page
    assert ProblemStep.objects.filter(problem=problem, note__contains="理由XYZ").count() == 2


# --- hole 3: the commissioner and the leases ---------------------------------------------------


@pytest.fixture
def factory_unit(db):
    building = Building.objects.create(name="标准厂房一号", kind="factory")
    return Unit.objects.create(building=building, number="101", area_m2=Decimal("800"))


@pytest.fixture
def apartment_unit(db):
    building = Building.objects.create(name="人才公寓一号楼", kind="talent_apartment")
    return Unit.objects.create(building=building, number="1-101", area_m2=Decimal("60"))


def _lease(unit, enterprise, by):
    return spaces.lease_create(
        unit=unit,
        enterprise=enterprise,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2027, 12, 31),
        rent_m2_month=Decimal("25"),
        by=by,
    )


def test_a_commissioner_cannot_end_a_factory_lease(factory_unit, enterprise, staff, commissioner):
    lease = _lease(factory_unit, enterprise, staff)
    with pytest.raises(PermissionDenied) as refused:
        spaces.lease_terminate(
            lease=lease, on=dt.date(2026, 6, 30), by=commissioner, expected_version=lease.version
        )
    assert "人才公寓" in str(refused.value)
    stored = Lease.objects.get(pk=lease.pk)
    assert stored.terminated_on is None


def test_a_commissioner_cannot_let_a_factory_unit(factory_unit, enterprise, commissioner):
    with pytest.raises(PermissionDenied) as refused:
        _lease(factory_unit, enterprise, commissioner)
    assert "人才公寓" in str(refused.value)
    assert not Lease.objects.exists()


def test_on_the_pages_a_commissioner_gets_403_for_a_factory(
    client, factory_unit, enterprise, staff, commissioner
):
    lease = _lease(factory_unit, enterprise, staff)
    client.force_login(commissioner)
    page = client.get(f"/spaces/units/{factory_unit.pk}/")
    assert page.status_code == 200
    assert 'data-testid="lease-form"' not in page.content.decode()
    response = client.post(
        f"/spaces/leases/{lease.pk}/terminate/", {"on": "2026-06-30", "version": lease.version}
    )
    assert response.status_code == 403
    assert "人才专员只能办理人才公寓的租赁" in response.content.decode()
    assert Lease.objects.get(pk=lease.pk).terminated_on is None
    response = client.post(
        f"/spaces/units/{factory_unit.pk}/",
        {
            "enterprise": enterprise.pk,
            "starts_on": "2028-01-01",
            "ends_on": "2028-12-31",
            "rent_m2_month": "20",
        },
    )
    assert response.status_code == 403
    assert Lease.objects.count() == 1


def test_a_commissioner_lets_and_ends_talent_apartments(
    client, apartment_unit, enterprise, commissioner
):
    client.force_login(commissioner)
    page = client.get(f"/spaces/units/{apartment_unit.pk}/").content.decode()
    assert 'data-testid="lease-form"' in page
    response = client.post(
        f"/spaces/units/{apartment_unit.pk}/",
        {
            "enterprise": enterprise.pk,
            "starts_on": "2026-01-01",
            "ends_on": "2027-12-31",
            "rent_m2_month": "0",
        },
    )
    assert response.status_code == 302
    lease = Lease.objects.get()
    response = client.post(
        f"/spaces/leases/{lease.pk}/terminate/", {"on": "2026-06-30", "version": lease.version}
    )
    assert response.status_code == 302
    assert Lease.objects.get(pk=lease.pk).terminated_on == dt.date(2026, 6, 30)


def test_department_staff_still_end_any_lease(factory_unit, enterprise, staff):
    lease = _lease(factory_unit, enterprise, staff)
    spaces.lease_terminate(
        lease=lease, on=dt.date(2026, 6, 30), by=staff, expected_version=lease.version
    )
    assert Lease.objects.get(pk=lease.pk).terminated_on == dt.date(2026, 6, 30)


def test_the_enterprise_reads_its_leases_in_the_api_without_the_rent(
    client, factory_unit, enterprise, staff, enterprise_user
):
    from gaoxin.accounts.services import api_token_create

    _lease(factory_unit, enterprise, staff)
    token = api_token_create(user=enterprise_user, name="t")[1]
    rows = client.get("/api/v1/spaces/leases", headers={"Authorization": f"Bearer {token}"}).json()
    assert [r["rent_m2_month"] for r in rows] == [None]
