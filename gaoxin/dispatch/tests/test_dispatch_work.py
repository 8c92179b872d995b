"""1+N service matters, progress reports, meetings and tasks, reminders, assessment, stewards
and the ledger — and who may see and do what."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from gaoxin.accounts.models import Department
from gaoxin.core.locking import ConflictError
from gaoxin.core.models import AuditEntry, Notification
from gaoxin.core.notifications import notify
from gaoxin.dispatch import selectors, services
from gaoxin.dispatch.models import (
    LedgerEntry,
    Problem,
    ServiceMatter,
)
from gaoxin.dispatch.tests.conftest import advance
from gaoxin.projects.models import StewardHandover
from gaoxin.projects.services import project_create, project_update
from gaoxin.projects.stats import Period
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def joint_matter(key_project, staff, department, construction, time_machine):
    time_machine.move_to(dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC))
    return services.matter_add(
        key_project=key_project,
        by=staff,
        title="施工许可并联办理",
        mode="joint",
        deadline=D(2026, 9, 30),
        parts=[(department, "牵头协调"), (construction, "审查图纸")],
    )


# --- 1+N service matters ---------------------------------------------------------------------


def test_joint_handling_needs_two_departments(key_project, staff, department):
    with pytest.raises(ValidationError) as error:
        services.matter_add(
            key_project=key_project,
            by=staff,
            title="联办",
            mode="joint",
            deadline=D(2999, 1, 1),
            parts=[(department, "")],
        )
    assert "departments" in error.value.message_dict
    assert not ServiceMatter.objects.exists()


def test_each_department_finishes_its_own_part_and_the_matter_is_done_when_all_are(
    joint_matter, staff, builder, department, construction
):
    investment_part = joint_matter.parts.get(department=department)
    construction_part = joint_matter.parts.get(department=construction)
    # The construction department cannot close the investment department's part.
    with pytest.raises(PermissionDenied):
        services.matter_act(
            matter=joint_matter, by=builder, note="代为完成", part=investment_part, part_done=True
        )
    services.matter_act(
        matter=joint_matter, by=builder, note="图纸审查通过", part=construction_part, part_done=True
    )
    joint_matter.refresh_from_db()
    assert joint_matter.state == "open"
    services.matter_act(
        matter=joint_matter, by=staff, note="已协调完毕", part=investment_part, part_done=True
    )
    joint_matter.refresh_from_db()
    assert joint_matter.state == "done"
    assert joint_matter.done_on is not None
    assert [a.note for a in joint_matter.actions.all()] == ["图纸审查通过", "已协调完毕"]
    assert (
        AuditEntry.objects.filter(
            content_type__model="servicematter", object_id=str(joint_matter.pk)
        ).count()
        == 3
    )
    with pytest.raises(ValidationError):
        services.matter_act(matter=joint_matter, by=staff, note="再记一笔")


def test_a_department_sees_all_matters_but_changes_only_its_own(
    joint_matter, builder, leader, enterprise_user, other_enterprise
):
    uninvolved = UserFactory(
        username="science_staff", role="staff", department=DepartmentFactory(code="science")
    )
    assert ServiceMatter.objects.restrict(uninvolved, "view").count() == 1
    assert ServiceMatter.objects.restrict(uninvolved, "change").count() == 0
    assert ServiceMatter.objects.restrict(builder, "change").count() == 1
    with pytest.raises(PermissionDenied):
        services.matter_act(matter=joint_matter, by=uninvolved, note="越权")
    # A leader reads everything and changes nothing.
    assert ServiceMatter.objects.restrict(leader, "view").count() == 1
    assert not leader.has_perm("dispatch.change_servicematter", joint_matter)
    # The enterprise sees its own project's matters, another enterprise nothing.
    assert ServiceMatter.objects.restrict(enterprise_user, "view").count() == 1
    stranger = UserFactory(username="stranger", role="enterprise", enterprise=other_enterprise)
    assert ServiceMatter.objects.restrict(stranger, "view").count() == 0


def test_problems_permissions_department_enterprise_leader(
    key_project, enterprise_user, builder, leader, other_enterprise, construction
):
    problem = services.problem_raise(
        project=key_project.project,
        by=enterprise_user,
        kind="blockage",
        title="道路未通",
        description="进厂道路未通",
        department=construction,
    )
    other = UserFactory(
        username="science_staff", role="staff", department=DepartmentFactory(code="science")
    )
    assert Problem.objects.restrict(builder, "change").get() == problem
    assert not Problem.objects.restrict(other, "change").exists()
    assert not other.has_perm("dispatch.change_problem", problem)
    assert Problem.objects.restrict(leader, "view").count() == 1
    assert not leader.has_perm("dispatch.change_problem", problem)
    stranger = UserFactory(username="stranger", role="enterprise", enterprise=other_enterprise)
    assert not Problem.objects.restrict(stranger, "view").exists()
    assert Problem.objects.restrict(enterprise_user, "view").get() == problem


# --- progress dispatch -----------------------------------------------------------------------


def test_a_period_shows_who_has_not_reported_and_who_was_late(
    key_project, staff, leader, time_machine
):
    other = services.key_project_add(
        year=2026,
        project=project_create(by=staff, data={"name": "第二个项目", "prospective_investor": "某"}),
        sponsor=leader,
        lead_department=key_project.lead_department,
        by=staff,
    )
    with pytest.raises(ValidationError):
        services.period_open(kind="week", start=D(2026, 10, 6), by=staff)  # a Tuesday
    period = services.period_open(kind="month", start=D(2026, 9, 1), by=staff)
    assert (period.end, period.due) == (D(2026, 9, 30), D(2026, 10, 8))  # after National Day
    time_machine.move_to(dt.datetime(2026, 10, 8, 10, tzinfo=dt.UTC))
    services.report_file(period=period, key_project=key_project, by=staff, done="完成", next="下步")
    reports, missing = selectors.reporting_status(period)
    assert [r.key_project for r in reports] == [key_project]
    assert reports[0].on_time
    assert missing == [other]
    time_machine.move_to(dt.datetime(2026, 10, 9, 10, tzinfo=dt.UTC))
    late = services.report_file(
        period=period, key_project=other, by=staff, done="完成", next="下步"
    )
    assert not late.on_time
    # Amending keeps the first filing date.
    time_machine.move_to(dt.datetime(2026, 10, 20, 10, tzinfo=dt.UTC))
    amended = services.report_file(
        period=period, key_project=key_project, by=staff, done="补充", next="下步"
    )
    assert (amended.done, amended.filed_on) == ("补充", D(2026, 10, 8))


def test_a_report_needs_content_and_the_right_people(key_project, staff, steward, clerk):
    period = services.period_open(kind="month", start=D(2026, 9, 1), by=staff)
    with pytest.raises(ValidationError) as error:
        services.report_file(period=period, key_project=key_project, by=staff, done=" ", next="x")
    assert "done" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.report_file(period=period, key_project=key_project, by=clerk, done="x", next="y")
    # The project's steward may report.
    services.report_file(period=period, key_project=key_project, by=steward, done="x", next="y")


def test_meeting_decisions_become_tasks_their_owner_is_told_and_completes(
    key_project, leader, staff, builder, time_machine
):
    time_machine.move_to(dt.datetime(2026, 9, 10, 10, tzinfo=dt.UTC))
    meeting = services.meeting_record(
        title="九月调度会",
        held_on=D(2026, 9, 9),
        chaired_by=leader,
        attendees=[leader, staff, builder],
        minutes="研究推进",
        by=leader,
    )
    with pytest.raises(ValidationError):
        services.decision_add(
            meeting=meeting, by=leader, decision="x", owner=builder, deadline=D(2026, 9, 1)
        )
    task = services.decision_add(
        meeting=meeting,
        by=leader,
        decision="打通进厂道路",
        owner=builder,
        deadline=D(2026, 9, 30),
        key_project=key_project,
    )
    assert task.department == builder.department
    assert Notification.objects.filter(user=builder, key=f"decision-{task.pk}").exists()
    with pytest.raises(PermissionDenied):
        services.decision_complete(task=task, by=staff, result="越权")
    services.decision_complete(task=task, by=builder, result="道路已通")
    task.refresh_from_db()
    assert task.done_on == D(2026, 9, 10)
    with pytest.raises(ValidationError):
        services.decision_complete(task=task, by=builder, result="again")


def test_a_meeting_is_recorded_once_held_and_with_its_attendees(leader):
    with pytest.raises(ValidationError) as error:
        services.meeting_record(
            title="未来的会",
            held_on=D(2999, 1, 1),
            chaired_by=leader,
            attendees=[leader],
            minutes="",
            by=leader,
        )
    assert "held_on" in error.value.message_dict


# --- reminders -------------------------------------------------------------------------------


def test_reminders_reach_the_responsible_once_however_often_the_job_runs(
    key_project, small_template, staff, leader, builder, construction, investment_head, steward
):
    services.plan_from_template(
        key_project=key_project, template=small_template, start=D(2026, 9, 28), by=staff
    )
    meeting = services.meeting_record(
        title="调度会",
        held_on=D(2026, 9, 1),
        chaired_by=leader,
        attendees=[leader],
        minutes="",
        by=leader,
    )
    services.decision_add(
        meeting=meeting, by=leader, decision="协调用地", owner=builder, deadline=D(2026, 10, 9)
    )
    services.period_open(kind="month", start=D(2026, 9, 1), by=staff)
    Notification.objects.all().delete()
    today = D(2026, 10, 9)
    first = services.send_reminders(today)
    assert first > 0
    assert services.send_reminders(today) == 0
    keys = set(Notification.objects.values_list("key", flat=True))
    a, b = (key_project.milestones.get(name=n).pk for n in ("A", "B"))
    assert f"milestone-{a}-overdue" in keys  # A ended 30 September
    assert f"milestone-{b}-due-soon" in keys  # B ends today
    assert any(k.startswith("task-") and k.endswith("due-soon") for k in keys)
    assert any(k.startswith("report-") and k.endswith("overdue") for k in keys)  # due 8 October
    recipients = set(Notification.objects.values_list("user__username", flat=True))
    assert {investment_head.username, steward.username, builder.username} <= recipients
    # The next day the due-soon milestone is overdue: one new notice, not a repeat.
    before = Notification.objects.count()
    services.send_reminders(D(2026, 10, 12))
    assert Notification.objects.filter(key=f"milestone-{b}-overdue").count() == 2  # head, steward
    assert Notification.objects.count() > before


def test_notifications_are_emailed_when_a_mail_server_is_configured(
    settings, staff, mailoutbox, django_capture_on_commit_callbacks
):

    staff.email = "li@example.org"
    staff.save()
    settings.NOTIFY_BY_EMAIL = True
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=staff, key="k1", title="提醒", body="内容", link="/x/")
        notify(user=staff, key="k1", title="提醒", body="内容", link="/x/")
    assert [m.subject for m in mailoutbox] == ["提醒"]


# --- assessment ------------------------------------------------------------------------------


def test_assessment_ranks_by_weighted_indicators_and_every_number_has_its_records(
    key_project, staff, admin_user, leader, enterprise, time_machine
):

    planning = DepartmentFactory(code="planning", name="自然资源和规划局")
    for i, dept in enumerate([key_project.lead_department, key_project.lead_department, planning]):
        project = project_create(
            by=admin_user,
            data={"name": f"签约项目{i}", "enterprise": enterprise, "department": dept},
            on=D(2026, 2, 1),
        )
        advance(project, admin_user, ("negotiating", D(2026, 2, 2)), ("signed", D(2026, 3, 1)))
    period = Period(D(2026, 1, 1), D(2026, 6, 30))
    services.assessment_weights_set(
        by=admin_user,
        weights={
            "signings": 100,
            "starts": 0,
            "visits": 0,
            "problems_on_time": 0,
            "reports_on_time": 0,
        },
    )
    rows = {r.key: r for r in selectors.assessment(period, "department")}
    investment = rows[key_project.lead_department.pk]
    assert investment.values["signings"] == 2
    assert rows[planning.pk].values["signings"] == 1
    assert (investment.score, rows[planning.pk].score) == (100, 50)
    assert investment.rank == 1
    records = selectors.assessment_records("signings", period, "department", investment.key)
    assert sorted(r[0] for r in records) == ["签约项目0", "签约项目1"]
    assert (
        AuditEntry.objects.filter(content_type__model="assessmentweight", action="create").count()
        == 5
    )
    with pytest.raises(PermissionDenied):
        services.assessment_weights_set(by=leader, weights={"signings": 1})
    with pytest.raises(ValidationError):
        services.assessment_weights_set(by=admin_user, weights={"signings": 101})
    assert Department.objects.count() >= 2


def test_reports_on_time_rate_counts_missing_and_late_reports(key_project, staff, time_machine):
    period = services.period_open(kind="month", start=D(2026, 9, 1), by=staff)
    whole = Period(D(2026, 9, 1), D(2026, 12, 31))
    row = next(
        r
        for r in selectors.assessment(whole, "department")
        if r.key == key_project.lead_department_id
    )
    assert (row.values["reports_on_time"], row.bases["reports_on_time"]) == (0, 1)  # missing
    time_machine.move_to(dt.datetime(2026, 10, 8, 10, tzinfo=dt.UTC))
    services.report_file(period=period, key_project=key_project, by=staff, done="x", next="y")
    row = next(
        r
        for r in selectors.assessment(whole, "department")
        if r.key == key_project.lead_department_id
    )
    assert row.values["reports_on_time"] == 100
    records = selectors.assessment_records(
        "reports_on_time", whole, "department", key_project.lead_department_id
    )
    assert [ok for *_rest, ok, _link in records] == [True]


# --- stewards --------------------------------------------------------------------------------


def test_a_change_of_steward_is_a_recorded_handover_wherever_it_is_made(
    key_project, staff, steward
):
    successor = UserFactory(username="steward_two", role="steward")
    project = key_project.project
    with pytest.raises(ValidationError):
        services.steward_change(project=project, to_steward=successor, by=staff, note="")
    services.steward_change(project=project, to_steward=successor, by=staff, note="交接在办事项")
    project.refresh_from_db()
    assert project.steward == successor
    handover = StewardHandover.objects.get()
    assert (handover.from_steward, handover.to_steward, handover.phase) == (
        steward,
        successor,
        "attract",
    )
    assert Notification.objects.filter(user=successor, key=f"handover-{handover.pk}").exists()
    # Editing the project's steward field records a handover too.
    project_update(
        project=project, by=staff, data={"steward": steward}, expected_version=project.version
    )
    assert StewardHandover.objects.count() == 2


def test_only_the_projects_steward_writes_its_service_log(
    key_project, steward, staff, time_machine
):
    time_machine.move_to(dt.datetime(2026, 9, 10, 10, tzinfo=dt.UTC))
    entry = services.service_log_add(
        project=key_project.project, by=steward, on=D(2026, 9, 9), note="走访企业"
    )
    assert (entry.steward, entry.phase) == (steward, "attract")
    other = UserFactory(username="steward_two", role="steward")
    with pytest.raises(PermissionDenied):
        services.service_log_add(project=key_project.project, by=other, on=D(2026, 9, 9), note="x")
    with pytest.raises(ValidationError):
        services.service_log_add(
            project=key_project.project, by=steward, on=D(2026, 9, 11), note="x"
        )


# --- ledger ----------------------------------------------------------------------------------

FIGURES = {
    "output_value": Decimal("1200.50"),
    "tax": Decimal("80"),
    "employees": 120,
    "investment_completed": Decimal("0"),
}


@pytest.fixture
def producing(key_project, staff, time_machine):
    time_machine.move_to(dt.datetime(2026, 9, 15, 10, tzinfo=dt.UTC))
    return advance(
        key_project.project,
        staff,
        ("negotiating", D(2026, 1, 10)),
        ("signed", D(2026, 2, 1)),
        ("under_construction", D(2026, 3, 1)),
        ("in_production", D(2026, 6, 20)),
    )


def test_the_ledger_is_kept_monthly_for_projects_in_production_and_gaps_are_found(
    producing, staff, enterprise_user
):
    assert selectors.missing_months([producing], D(2026, 9, 15))[producing.pk] == [
        D(2026, 6, 1),
        D(2026, 7, 1),
        D(2026, 8, 1),
        D(2026, 9, 1),
    ]
    services.ledger_enter(project=producing, month=D(2026, 6, 1), by=staff, data=FIGURES)
    services.ledger_enter(project=producing, month=D(2026, 7, 1), by=enterprise_user, data=FIGURES)
    assert selectors.missing_months([producing], D(2026, 8, 31))[producing.pk] == [D(2026, 8, 1)]
    with pytest.raises(ValidationError):
        services.ledger_enter(project=producing, month=D(2026, 7, 1), by=staff, data=FIGURES)
    with pytest.raises(ValidationError):
        services.ledger_enter(project=producing, month=D(2026, 10, 1), by=staff, data=FIGURES)
    with pytest.raises(ValidationError):
        services.ledger_enter(
            project=producing, month=D(2026, 8, 1), by=staff, data={**FIGURES, "tax": Decimal(-1)}
        )
    assert LedgerEntry.objects.count() == 2


def test_the_ledger_refuses_projects_not_in_production_and_other_enterprises(
    key_project, staff, other_enterprise, producing
):
    stranger = UserFactory(username="stranger", role="enterprise", enterprise=other_enterprise)
    with pytest.raises(PermissionDenied):
        services.ledger_enter(project=producing, month=D(2026, 8, 1), by=stranger, data=FIGURES)
    fresh = project_create(by=staff, data={"name": "未投产", "prospective_investor": "某"})
    with pytest.raises(ValidationError):
        services.ledger_enter(project=fresh, month=D(2026, 8, 1), by=staff, data=FIGURES)


def test_a_ledger_correction_is_versioned_and_audited(producing, staff):

    entry = services.ledger_enter(project=producing, month=D(2026, 8, 1), by=staff, data=FIGURES)
    loaded = entry.version
    services.ledger_correct(
        entry=entry, by=staff, data={**FIGURES, "tax": Decimal("90")}, expected_version=loaded
    )
    with pytest.raises(ConflictError):
        services.ledger_correct(entry=entry, by=staff, data=FIGURES, expected_version=loaded)
    entry.refresh_from_db()
    assert entry.tax == Decimal("90")
    assert (
        AuditEntry.objects.filter(
            content_type__model="ledgerentry", object_id=str(entry.pk)
        ).count()
        == 2
    )


def test_the_ledger_exports_in_its_familiar_layout(client, producing, staff):
    services.ledger_enter(project=producing, month=D(2026, 7, 1), by=staff, data=FIGURES)
    services.ledger_enter(project=producing, month=D(2026, 8, 1), by=staff, data=FIGURES)
    client.force_login(staff)
    response = client.get("/dispatch/ledger/?month=2026-08&format=xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("序号", "项目名称")
    assert rows[1][1] == producing.name
    assert rows[1][4] == 1200.5  # this month
    assert rows[1][5] == 2401.0  # this year: July and August
