"""Each role's workbench shows its own work first, as counts that open their lists; the menu
highlights the section of the page; stale reminders are archived by the daily job."""

import datetime as dt

import pytest
from django.utils import timezone

from gaoxin.accounts.models import Role
from gaoxin.affairs.tests.support import at, make_simple_item, submitted
from gaoxin.core.context_processors import menu_for
from gaoxin.core.models import Notification
from gaoxin.core.tasks import NOTIFICATION_USEFUL_DAYS, archive_stale_notifications
from gaoxin.dispatch.models import KeyProject, Problem
from gaoxin.portal.views import desk_of
from gaoxin.projects.models import Project
from gaoxin.talent.models import ServiceLogEntry, Talent
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def _late_problem(project, by, department):
    return Problem.objects.create(
        project=project,
        kind="hard",
        title="用电增容",
        description="需增容",
        raised_by=by,
        department=department,
        state="accepted",
        limit_days=3,
        deadline=timezone.localdate() - dt.timedelta(days=10),
    )


def test_the_leader_sees_the_red_key_projects_it_sponsors_and_nobody_elses(
    client, leader, staff, department
):
    other_leader = UserFactory(role=Role.LEADER, username="other_leader")
    year = timezone.localdate().year
    mine = Project.objects.create(name="我牵头的项目", department=department)
    theirs = Project.objects.create(name="别人牵头的项目", department=department)
    for project, sponsor in ((mine, leader), (theirs, other_leader)):
        KeyProject.objects.create(
            year=year, project=project, sponsor=sponsor, lead_department=department
        )
        _late_problem(project, staff, department)
    client.force_login(leader)
    response = client.get("/")
    assert response.templates[0].name == "portal/home_leader.html"
    tiles = {t.key: t for t in response.context["tiles"]}
    assert tiles["red"].value == 1 and tiles["red"].tone == "danger"
    assert tiles["red"].url == f"/dispatch/key-projects/?sponsor={leader.pk}&year={year}&light=red"
    assert tiles["yellow"].value == 0
    assert [r.key_project.project.name for r in response.context["lit"]] == ["我牵头的项目"]
    # Every overdue problem the leader may see, with its count opening the filtered list.
    assert (
        tiles["overdue"].value == 2 and tiles["overdue"].url == "/dispatch/problems/?overdue=true"
    )
    assert [label for _s, label, _c in response.context["year_figures"]]


def test_the_clerk_sees_cases_awaiting_acceptance_on_the_five_day_clock(
    client, admin_user, enterprise, enterprise_user, calendar, time_machine
):
    approval = DepartmentFactory(code="approval", name="行政审批服务局")
    clerk = UserFactory(role=Role.CLERK, username="window_clerk", department=approval)
    item = make_simple_item(admin_user, approval, "S1", name="食品经营许可")
    # Submitted on Monday 2 March 2026: the notice (or acceptance) is due five working days on.
    case = submitted(enterprise_user, enterprise, [item], time_machine, at(2026, 3, 2, 10))
    time_machine.move_to(at(2026, 3, 4, 9), tick=False)
    client.force_login(clerk)
    response = client.get("/")
    assert response.templates[0].name == "portal/home_clerk.html"
    [waiting] = response.context["awaiting"]
    assert waiting.pk == case.pk
    assert waiting.intake_due == dt.date(2026, 3, 9)
    assert waiting.intake_left == 3 and waiting.light == "green"
    tiles = {t.key: t for t in response.context["tiles"]}
    assert tiles["awaiting"].value == 1
    assert tiles["awaiting"].url == "/affairs/applications/?state=submitted"
    time_machine.move_to(at(2026, 3, 10, 9), tick=False)
    client.force_login(clerk)  # a new day, a new session
    [late] = client.get("/").context["awaiting"]
    assert late.light == "red" and late.intake_left is None


def test_a_reviewing_department_without_projects_gets_the_review_desk(client, staff, department):
    approval = DepartmentFactory(code="approval", name="行政审批服务局")
    reviewer = UserFactory(role=Role.STAFF, username="approver", department=approval)
    admin = UserFactory(role=Role.ADMIN, username="root_admin", is_staff=True)
    make_simple_item(admin, approval, "S1")
    make_simple_item(admin, department, "S2")
    Project.objects.create(name="本局的项目", department=department)
    assert desk_of(reviewer) == "reviewer"
    assert desk_of(staff) == "staff"  # its department reviews too, but looks after projects
    client.force_login(reviewer)
    response = client.get("/")
    assert response.templates[0].name == "portal/home_reviewer.html"
    assert {t.key for t in response.context["tiles"]} >= {"queue", "late", "soon"}


def test_the_commissioner_sees_the_talents_due_a_visit(client, commissioner):
    today = timezone.localdate()
    visited = Talent.objects.create(
        name="李四", id_number="110101199003074514", arrived_on=today, commissioner=commissioner
    )
    Talent.objects.create(
        name="张三", id_number="11010119900307451X", arrived_on=today, commissioner=commissioner
    )
    ServiceLogEntry.objects.create(
        talent=visited, commissioner=commissioner, on=today - dt.timedelta(days=5), note="走访"
    )
    client.force_login(commissioner)
    response = client.get("/")
    assert response.templates[0].name == "portal/home_commissioner.html"
    assert [t.name for t in response.context["to_visit"]] == ["张三"]
    assert {t.key: t.value for t in response.context["tiles"]}["visits"] == 1


def test_no_two_roles_share_a_home_page(client, users_by_role):
    approval = DepartmentFactory(code="approval", name="行政审批服务局")
    reviewer = UserFactory(role=Role.STAFF, username="approver", department=approval)
    make_simple_item(users_by_role[Role.ADMIN], approval, "S1")
    templates = {}
    for who, user in [*users_by_role.items(), ("reviewer", reviewer)]:
        client.force_login(user)
        response = client.get("/")
        assert response.status_code == 200, who
        templates[who] = response.templates[0].name
    assert len(set(templates.values())) == len(templates), templates


def test_the_menu_highlights_the_section_of_the_page(leader, staff, enterprise_user, admin_user):
    def active(user, view_name, path):
        groups = menu_for(user, view_name, path)
        return [
            (g["key"], [e["name"] for e in g["entries"] if e["active"]])
            for g in groups
            if g["active"]
        ]

    assert active(leader, "dispatch:key_project", "/dispatch/key-projects/7/") == [
        ("dispatch", ["dispatch:key_projects"])
    ]
    assert active(staff, "dispatch:problem", "/dispatch/problems/3/") == [
        ("dispatch", ["dispatch:problems"])
    ]
    assert active(staff, "dispatch:supervision", "/dispatch/supervisions/2/") == [("dispatch", [])]
    assert active(staff, "dispatch:my_work", "/dispatch/my-work/") == [
        ("work", ["dispatch:my_work"])
    ]
    # The enterprise's problems and cases are on its workbench; no empty entries in its menu.
    names = {e["name"] for g in menu_for(enterprise_user) for e in g["entries"]}
    assert "dispatch:my_work" not in names and "dispatch:key_projects" not in names
    assert "affairs:applications" in names and "policies:mine" in names
    # A superuser holds every permission but has no enterprise: no "my policies" for it.
    names = {e["name"] for g in menu_for(admin_user) for e in g["entries"]}
    assert "policies:mine" not in names and "core:audit_log" in names


def test_reminders_older_than_their_use_are_archived_by_the_daily_job(staff):
    old = Notification.objects.create(user=staff, key="old", title="二月的提醒")
    fresh = Notification.objects.create(user=staff, key="fresh", title="今天的提醒")
    Notification.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=NOTIFICATION_USEFUL_DAYS + 1)
    )
    assert archive_stale_notifications.call() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.read_at is not None and fresh.read_at is None
    assert archive_stale_notifications.call() == 0
