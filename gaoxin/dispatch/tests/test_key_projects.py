"""Key projects and their 五个一: the list, the task force, plans on the work calendar,
milestones, lights and the monthly list."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.core.locking import ConflictError
from gaoxin.core.models import AuditEntry, Notification
from gaoxin.dispatch import lights, selectors, services
from gaoxin.dispatch.models import KeyProject, LightListEntry, Milestone
from gaoxin.dispatch.tests.conftest import advance
from gaoxin.projects.services import project_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
D = dt.date


def test_a_key_project_has_a_leader_as_sponsor_and_one_listing_per_year(key_project, staff):
    assert key_project.sponsor.role == "leader"
    assert AuditEntry.objects.filter(object_id=str(key_project.pk), action="create").exists()
    with pytest.raises(ValidationError) as error:
        services.key_project_add(
            year=2026,
            project=key_project.project,
            sponsor=key_project.sponsor,
            lead_department=key_project.lead_department,
            by=staff,
        )
    assert "project" in error.value.message_dict
    # Another year is another list.
    services.key_project_add(
        year=2027,
        project=key_project.project,
        sponsor=key_project.sponsor,
        lead_department=key_project.lead_department,
        by=staff,
    )
    assert KeyProject.objects.filter(project=key_project.project).count() == 2


def test_the_sponsor_must_be_an_active_leader(staff, department, enterprise):
    project = project_create(by=staff, data={"name": "新项目", "enterprise": enterprise})
    with pytest.raises(ValidationError) as error:
        services.key_project_add(
            year=2026, project=project, sponsor=staff, lead_department=department, by=staff
        )
    assert "sponsor" in error.value.message_dict
    assert not KeyProject.objects.exists()


def test_only_list_makers_put_projects_on_the_list(leader, steward, staff, enterprise, department):
    project = project_create(by=staff, data={"name": "新项目", "enterprise": enterprise})
    for outsider in (leader, steward):
        with pytest.raises(PermissionDenied):
            services.key_project_add(
                year=2026, project=project, sponsor=leader, lead_department=department, by=outsider
            )


def test_plan_dates_follow_dependencies_and_working_days_across_national_day(
    key_project, small_template, staff
):
    # 2026-09-28 is a Monday; 1–7 October are holidays and Saturday 10 October is worked.
    services.plan_from_template(
        key_project=key_project, template=small_template, start=D(2026, 9, 28), by=staff
    )
    plan = {m.name: (m.planned_start, m.planned_end) for m in key_project.milestones.all()}
    assert plan == {
        "A": (D(2026, 9, 28), D(2026, 9, 30)),
        "B": (D(2026, 10, 8), D(2026, 10, 9)),  # after A, across the holiday
        "C": (D(2026, 10, 8), D(2026, 10, 12)),  # in parallel with B, through the make-up Saturday
        "D": (D(2026, 10, 13), D(2026, 10, 13)),  # after both B and C
    }
    assert all(m.planned_certain for m in key_project.milestones.all())
    # A new plan start moves the whole plan.
    services.key_project_update(
        key_project=key_project,
        by=staff,
        data={"plan_start": D(2026, 10, 12)},
        expected_version=key_project.version,
    )
    assert key_project.milestones.get(name="A").planned_end == D(2026, 10, 14)


def test_a_plan_with_recorded_work_is_not_replaced(key_project, small_template, staff):
    services.plan_from_template(
        key_project=key_project, template=small_template, start=D(2026, 9, 28), by=staff
    )
    first = key_project.milestones.get(name="A")
    services.milestone_record(
        milestone=first,
        by=staff,
        actual_start=D(2026, 9, 28),
        actual_end=D(2026, 9, 30),
        expected_version=first.version,
    )
    with pytest.raises(ValidationError):
        services.plan_from_template(
            key_project=key_project, template=small_template, start=D(2026, 10, 8), by=staff
        )
    assert key_project.milestones.count() == 4


def test_milestone_dates_are_checked_and_stale_edits_conflict(key_project, small_template, staff):
    services.plan_from_template(
        key_project=key_project, template=small_template, start=D(2026, 9, 28), by=staff
    )
    milestone = key_project.milestones.get(name="A")
    with pytest.raises(ValidationError) as error:
        services.milestone_record(
            milestone=milestone,
            by=staff,
            actual_start=D(2026, 9, 30),
            actual_end=D(2026, 9, 28),
            expected_version=milestone.version,
        )
    assert "actual_end" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.milestone_record(
            milestone=milestone,
            by=staff,
            actual_start=D(2999, 1, 1),
            expected_version=milestone.version,
        )
    version = milestone.version
    services.milestone_record(
        milestone=milestone, by=staff, actual_start=D(2026, 9, 28), expected_version=version
    )
    with pytest.raises(ConflictError):
        services.milestone_record(
            milestone=Milestone.objects.get(pk=milestone.pk),
            by=staff,
            actual_start=D(2026, 9, 29),
            expected_version=version,
        )
    assert Milestone.objects.get(pk=milestone.pk).actual_start == D(2026, 9, 28)


@pytest.mark.parametrize(
    ("today", "light"),
    [
        (D(2026, 9, 25), "green"),  # four working days before 8 October (holiday in between)
        (D(2026, 9, 29), "yellow"),  # two working days: 30 September and 8 October
        (D(2026, 10, 8), "yellow"),  # the day itself
        (D(2026, 10, 9), "red"),
    ],
)
def test_milestone_light_counts_working_days_across_the_holiday(key_project, today, light):
    milestone = Milestone(planned_end=D(2026, 10, 8))
    assert lights.milestone_light(milestone, today) == light


def test_the_yellow_window_is_configurable(key_project, admin_user):
    milestone = Milestone(planned_end=D(2026, 10, 8))
    assert lights.milestone_light(milestone, D(2026, 9, 25)) == "green"
    current = lights.light_settings()
    services.light_settings_update(
        by=admin_user, data={"yellow_within_days": 5}, expected_version=current.version
    )
    assert lights.milestone_light(milestone, D(2026, 9, 25)) == "yellow"


def test_light_thresholds_are_admin_only_and_consistent(staff, admin_user):
    current = lights.light_settings()
    with pytest.raises(PermissionDenied):
        services.light_settings_update(
            by=staff, data={"yellow_within_days": 5}, expected_version=current.version
        )
    with pytest.raises(ValidationError):
        services.light_settings_update(
            by=admin_user,
            data={"lag_yellow_points": 40, "lag_red_points": 30},
            expected_version=current.version,
        )
    assert lights.light_settings().lag_yellow_points == 10


def _plan_with_done(key_project, staff, template, start, done: int):
    services.plan_from_template(key_project=key_project, template=template, start=start, by=staff)
    for m in key_project.milestones.order_by("order")[:done]:
        services.milestone_record(
            milestone=m,
            by=staff,
            actual_start=m.planned_start,
            actual_end=m.planned_end,
            expected_version=m.version,
        )


def test_schedule_lag_turns_a_project_yellow_then_red(key_project, small_template, staff):
    # Every milestone should be finished by 2026-11-02 (plan 100%).
    _plan_with_done(key_project, staff, small_template, D(2026, 9, 28), done=3)
    light = lights.key_project_light(key_project, D(2026, 11, 2))
    assert (light.lag.planned_pct, light.lag.actual_pct, light.lag.points) == (100, 75, 25)
    # D is overdue as well, so the project is red; the lag alone would be yellow (10–30).
    assert light.light == "red"
    assert any("25" in r for r in light.reasons)
    key_project.project.stage = "under_construction"
    lagging = lights.schedule_lag(list(key_project.milestones.all()), D(2026, 11, 2))
    assert lagging.points == 25


def test_a_lag_beyond_the_red_threshold_is_red_even_without_overdue_items(
    key_project, small_template, staff
):
    _plan_with_done(key_project, staff, small_template, D(2026, 9, 28), done=1)
    Milestone.objects.filter(key_project=key_project).update(planned_end=D(2026, 10, 1))
    Milestone.objects.filter(key_project=key_project, name="D").update(planned_end=D(2026, 12, 31))
    key_project.refresh_from_db()
    result = lights.key_project_light(key_project, D(2026, 10, 20))
    assert result.lag.points == 50  # 3 of 4 due, 1 done
    assert result.light == "red"


def test_not_started_months_after_the_planned_start_is_red(key_project, staff):
    project = key_project.project
    project.planned_start_on = D(2026, 5, 1)
    project.save()
    assert lights.key_project_light(key_project, D(2026, 7, 31)).light == "green"
    late = lights.key_project_light(key_project, D(2026, 8, 2))
    assert late.light == "red"
    assert any("3" in r for r in late.reasons)
    # Once construction has started, it no longer counts.
    advance(
        project,
        staff,
        ("negotiating", D(2026, 2, 1)),
        ("signed", D(2026, 3, 1)),
        ("under_construction", D(2026, 8, 1)),
    )
    key_project.refresh_from_db()
    assert lights.key_project_light(key_project, D(2026, 8, 2)).light == "green"


def test_lights_roll_up_per_department_and_leader(key_project, small_template, staff, leader):
    other_leader = UserFactory(username="leader_two", role="leader")
    other = services.key_project_add(
        year=2026,
        project=project_create(by=staff, data={"name": "第二个项目", "prospective_investor": "某"}),
        sponsor=other_leader,
        lead_department=key_project.lead_department,
        by=staff,
    )
    services.plan_from_template(
        key_project=other, template=small_template, start=D(2026, 9, 28), by=staff
    )
    rows = selectors.key_project_lights(KeyProject.objects.all(), today=D(2026, 11, 2))
    assert {r.key_project.pk: r.light for r in rows} == {key_project.pk: "green", other.pk: "red"}
    (department,) = lights.roll_up(rows, "department")
    assert (department.counts["red"], department.counts["green"], department.light) == (1, 1, "red")
    by_leader = {g.key: g for g in lights.roll_up(rows, "leader")}
    assert by_leader[other_leader.pk].light == "red"
    assert by_leader[leader.pk].light == "green"


def test_the_lights_of_many_key_projects_take_a_fixed_number_of_queries(
    key_project, small_template, staff, leader, django_assert_max_num_queries
):
    for i in range(8):
        kp = services.key_project_add(
            year=2026,
            project=project_create(
                by=staff, data={"name": f"项目{i}", "prospective_investor": "某"}
            ),
            sponsor=leader,
            lead_department=key_project.lead_department,
            by=staff,
        )
        services.plan_from_template(
            key_project=kp, template=small_template, start=D(2026, 9, 28), by=staff
        )
    lights.light_settings()
    with django_assert_max_num_queries(10):
        rows = selectors.key_project_lights(KeyProject.objects.all(), today=D(2026, 11, 2))
    assert len(rows) == 9


def test_the_monthly_list_is_frozen_once_published(key_project, small_template, staff):
    services.plan_from_template(
        key_project=key_project, template=small_template, start=D(2026, 9, 28), by=staff
    )
    assert services.publish_light_list(D(2026, 10, 1)) == 1
    entry = LightListEntry.objects.get()
    assert (entry.month, entry.light) == (D(2026, 10, 1), "red")  # B and C overdue by 31 October
    assert entry.reasons
    assert services.publish_light_list(D(2026, 10, 15)) == 0  # publishing again adds nothing
    # The sponsor leader hears of it once, with the project named.
    told = Notification.objects.filter(user=key_project.sponsor, key="light-list:2026-10")
    assert told.count() == 1 and key_project.project.name in told.get().body
    # Catching up later does not rewrite what was published.
    for m in key_project.milestones.all():
        services.milestone_record(
            milestone=m,
            by=staff,
            actual_start=m.planned_start,
            actual_end=m.planned_end,
            expected_version=m.version,
        )
    assert LightListEntry.objects.get().light == "red"


def test_task_force_members_are_zone_staff_once_each(key_project, staff, enterprise_user, builder):
    services.task_force_add(key_project=key_project, user=builder, role="member", by=staff)
    with pytest.raises(ValidationError):
        services.task_force_add(key_project=key_project, user=builder, role="lead", by=staff)
    with pytest.raises(ValidationError):
        services.task_force_add(
            key_project=key_project, user=enterprise_user, role="member", by=staff
        )
    # A member of another department cannot change the key project...
    outsider = UserFactory(username="outsider", role="staff")
    with pytest.raises(PermissionDenied):
        services.task_force_add(key_project=key_project, user=outsider, role="member", by=outsider)
    # ...but the task force member can (the rule covers the task force).
    assert builder.has_perm("dispatch.change_keyproject", key_project)
    assert key_project.task_force.count() == 1


def test_reconciliation_removes_only_an_empty_listing(key_project, staff, calendar):
    period = services.period_open(kind="month", start=D(2026, 1, 1), by=staff)
    services.report_file(period=period, key_project=key_project, by=staff, done="x", next="y")
    with pytest.raises(ValidationError):
        services.key_project_remove(key_project=key_project, by=staff)
    assert KeyProject.objects.filter(pk=key_project.pk).exists()
