import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gaoxin.core.locking import ConflictError
from gaoxin.core.models import AuditEntry
from gaoxin.projects import services
from gaoxin.projects.models import Project, StageEvent
from gaoxin.projects.stages import Stage
from gaoxin.projects.tests.conftest import make_project
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def project(staff):
    return make_project(
        staff, "日照兴华半导体项目", Stage.NEGOTIATING, D(2026, 3, 1), department=staff.department
    )


def test_create_records_the_first_event_and_audits(staff):
    project = services.project_create(
        by=staff,
        data={
            "name": "中兴新能源汽车项目",
            "prospective_investor": "中兴新能源",
            "total_investment": Decimal(50000),
        },
        stage=Stage.LEAD,
        on=D(2026, 1, 5),
    )
    event = project.events.get()
    assert (event.stage, event.on, event.recorded_by) == (Stage.LEAD, D(2026, 1, 5), staff)
    assert project.stage == Stage.LEAD
    assert AuditEntry.objects.filter(content_type__model="project", action="create").exists()
    assert AuditEntry.objects.filter(content_type__model="stageevent").exists()


def test_a_project_needs_an_investor(staff):
    with pytest.raises(ValidationError) as error:
        services.project_create(by=staff, data={"name": "无名项目"})
    assert "prospective_investor" in error.value.error_dict
    assert not Project.objects.exists()


def test_parts_cannot_exceed_the_total(staff):
    with pytest.raises(ValidationError) as error:
        services.project_create(
            by=staff,
            data={
                "name": "x",
                "prospective_investor": "y",
                "total_investment": Decimal(100),
                "fixed_asset_investment": Decimal(200),
            },
        )
    assert "fixed_asset_investment" in error.value.error_dict


def test_a_new_project_cannot_start_signed(staff):
    with pytest.raises(ValidationError):
        services.project_create(
            by=staff, data={"name": "x", "prospective_investor": "y"}, stage=Stage.SIGNED
        )


def test_illegal_jump_is_refused_with_the_possible_next_steps(project, staff):
    with pytest.raises(ValidationError) as error:
        services.project_advance(
            project=project, to_stage=Stage.IN_PRODUCTION, on=D(2026, 4, 1), by=staff
        )
    message = error.value.error_dict["to_stage"][0].messages[0]
    assert "洽谈" in message and "投产" in message
    assert "签约" in message and "终止" in message  # what is possible instead
    assert project.events.count() == 1


def test_future_dates_are_refused(project, staff):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        services.project_advance(project=project, to_stage=Stage.SIGNED, on=tomorrow, by=staff)
    assert "on" in error.value.error_dict


def test_back_dating_is_allowed_but_not_before_the_previous_step(project, staff):
    with pytest.raises(ValidationError) as error:
        services.project_advance(project=project, to_stage=Stage.SIGNED, on=D(2026, 2, 1), by=staff)
    assert "2026-03-01" in error.value.error_dict["on"][0].messages[0]
    event = services.project_advance(
        project=project,
        to_stage=Stage.SIGNED,
        on=D(2026, 3, 1),
        by=staff,
        note="现场签约",
        evidence="合同 RZ-2026-018",
    )
    project.refresh_from_db()
    assert (project.stage, project.stage_since) == (Stage.SIGNED, D(2026, 3, 1))
    assert event.from_stage == Stage.NEGOTIATING


def test_advance_bumps_the_version_so_stale_edits_conflict(project, staff):
    services.project_advance(project=project, to_stage=Stage.SIGNED, on=D(2026, 3, 2), by=staff)
    with pytest.raises(ConflictError):
        services.project_update(
            project=project, by=staff, data={"name": "新名"}, expected_version=1
        )


def test_correction_voids_the_latest_step_and_restores_the_stage(project, staff):
    event = services.project_advance(
        project=project, to_stage=Stage.SIGNED, on=D(2026, 3, 2), by=staff
    )
    services.event_correct(event=event, by=staff, reason="日期录错，应为3月20日")
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING
    assert StageEvent.objects.filter(pk=event.pk).exists()  # never deleted
    services.project_advance(project=project, to_stage=Stage.SIGNED, on=D(2026, 3, 20), by=staff)
    project.refresh_from_db()
    assert project.stage_since == D(2026, 3, 20)
    entry = AuditEntry.objects.get(content_type__model="stagecorrection")
    assert entry.after["voided"]["on"] == "2026-03-02"


def test_only_the_latest_step_can_be_corrected_and_not_the_first(project, staff):
    first = project.events.get()
    with pytest.raises(ValidationError):
        services.event_correct(event=first, by=staff, reason="x")
    services.project_advance(project=project, to_stage=Stage.SIGNED, on=D(2026, 3, 2), by=staff)
    with pytest.raises(ValidationError):
        services.event_correct(event=first, by=staff, reason="x")
    latest = project.events.order_by("-id").first()
    with pytest.raises(ValidationError):
        services.event_correct(event=latest, by=staff, reason="  ")


def test_a_correction_cannot_be_corrected_twice(project, staff):
    event = services.project_advance(
        project=project, to_stage=Stage.SIGNED, on=D(2026, 3, 2), by=staff
    )
    services.event_correct(event=event, by=staff, reason="误录")
    event.refresh_from_db()
    with pytest.raises(ValidationError):
        services.event_correct(event=event, by=staff, reason="误录")


def test_staff_of_another_department_cannot_advance(project):
    outsider = UserFactory(role="staff", department=DepartmentFactory(code="other"))
    with pytest.raises(PermissionDenied):
        services.project_advance(
            project=project, to_stage=Stage.SIGNED, on=D(2026, 3, 2), by=outsider
        )


def test_the_steward_may_advance_a_project_of_another_department(project, steward):
    steward.department = DepartmentFactory(code="other")
    steward.save()
    project.steward = steward
    project.save()
    services.project_advance(project=project, to_stage=Stage.SIGNED, on=D(2026, 3, 2), by=steward)


def test_leaders_and_enterprise_users_cannot_write(project, leader, enterprise_user):
    for user in (leader, enterprise_user):
        with pytest.raises(PermissionDenied):
            services.project_advance(
                project=project, to_stage=Stage.SIGNED, on=D(2026, 3, 2), by=user
            )


def test_money_entries_allow_negative_corrections_but_not_zero(project, staff):
    services.money_add(
        project=project, by=staff, kind="funds_in_place", on=D(2026, 3, 5), amount=Decimal(500)
    )
    services.money_add(
        project=project,
        by=staff,
        kind="funds_in_place",
        on=D(2026, 3, 6),
        amount=Decimal(-100),
        note="冲减误录",
    )
    with pytest.raises(ValidationError):
        services.money_add(
            project=project, by=staff, kind="funds_in_place", on=D(2026, 3, 6), amount=Decimal(0)
        )


def test_targets_are_admin_only_and_positive(admin_user, staff):
    with pytest.raises(PermissionDenied):
        services.target_set(by=staff, year=2026, figure="in_production", value=Decimal(38))
    with pytest.raises(ValidationError):
        services.target_set(by=admin_user, year=2026, figure="in_production", value=Decimal(0))
    services.target_set(by=admin_user, year=2026, figure="in_production", value=Decimal(38))
    target = services.target_set(
        by=admin_user, year=2026, figure="in_production", value=Decimal(40)
    )
    assert target.value == Decimal(40)
    assert AuditEntry.objects.filter(content_type__model="target", action="update").exists()
