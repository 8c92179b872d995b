"""Each role's home page (gaoxin.portal.views.home at `/`, URL name `home`)."""

import datetime as dt

import pytest
from django.urls import resolve, reverse

from gaoxin.affairs.models import Authorization
from gaoxin.core.models import AuditEntry
from gaoxin.dispatch.models import Problem
from gaoxin.portal import views
from gaoxin.projects.models import Project

pytestmark = pytest.mark.django_db


def test_home_keeps_its_url_and_name_and_is_the_portal_view():
    assert reverse("home") == "/"
    assert resolve("/").func is views.home


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_the_enterprise_sees_its_portal_with_its_problems_lit(
    client, enterprise, enterprise_user, department
):
    project = Project.objects.create(name="海声芯片二期", enterprise=enterprise)
    Problem.objects.create(
        project=project,
        kind="hard",
        title="用电增容",
        description="需增容",
        raised_by=enterprise_user,
        department=department,
        state="accepted",
        limit_days=3,
        deadline=dt.date(2000, 1, 3),
    )
    client.force_login(enterprise_user)
    response = client.get("/")
    assert response.status_code == 200
    assert response.templates[0].name == "portal/home_enterprise.html"
    page = response.content.decode()
    assert 'data-testid="home-enterprise"' in page and enterprise.name in page
    assert "海声芯片二期" in page and "用电增容" in page
    assert [p.light for p in response.context["problems"]] == ["red"]  # long overdue
    for section in ("portal-applications", "portal-appointments", "portal-ledger"):
        assert f'data-testid="{section}"' in page


def test_the_enterprise_does_not_see_another_enterprises_projects(
    client, enterprise_user, other_enterprise
):
    Project.objects.create(name="别家的项目", enterprise=other_enterprise)
    client.force_login(enterprise_user)
    page = client.get("/").content.decode()
    assert "别家的项目" not in page


def test_the_agent_sees_the_enterprises_that_authorised_it(client, agent, enterprise):
    Authorization.objects.create(
        number="WT-TEST-1",
        enterprise=enterprise,
        agent=agent,
        scope="items",
        valid_from=dt.date(2000, 1, 1),
        valid_until=dt.date(2999, 12, 31),
        signatory="赵海",
        granted_by=agent,
    )
    client.force_login(agent)
    response = client.get("/")
    assert response.templates[0].name == "portal/home_agent.html"
    assert [c["enterprise"].pk for c in response.context["clients"]] == [enterprise.pk]
    assert enterprise.name in response.content.decode()


def test_staff_see_their_departments_desk_and_admins_the_latest_changes(
    client, staff, admin_user, department
):
    Project.objects.create(name="本局的项目", department=department)
    Project.objects.create(name="别局的项目")
    client.force_login(staff)
    response = client.get("/")
    assert response.templates[0].name == "portal/home_staff.html"
    assert [p.name for p in response.context["my_projects"]] == ["本局的项目"]
    tiles = {t.key: t for t in response.context["tiles"]}
    assert tiles["projects"].value == 1
    # Dropped projects are not counted, so the list it opens leaves them out too.
    assert tiles["projects"].url.startswith(f"/projects/?department={department.pk}&stage=lead")
    assert "stage=dropped" not in tiles["projects"].url
    assert client.get(tiles["projects"].url).context["page"].paginator.count == 1
    assert "recent_audit" not in response.context
    client.force_login(admin_user)
    admin_page = client.get("/")
    assert admin_page.templates[0].name == "portal/home_admin.html"
    assert admin_page.context["recent_audit"] == list(AuditEntry.objects.all()[:10])


def test_a_steward_sees_only_its_own_projects_by_phase(client, steward, staff):
    Project.objects.create(name="我管的项目", steward=steward, stage="under_construction")
    Project.objects.create(name="别人管的项目", steward=staff)
    client.force_login(steward)
    response = client.get("/")
    assert response.templates[0].name == "portal/home_steward.html"
    phases = {p["phase"]: [x.name for x in p["projects"]] for p in response.context["phases"]}
    assert phases == {"attract": [], "build": ["我管的项目"], "operate": []}
    # Nothing recorded yet: its service log is due.
    assert [p.name for p in response.context["log_due"]] == ["我管的项目"]


@pytest.mark.parametrize("role", ["enterprise_user", "agent", "staff", "admin_user"])
def test_each_home_page_takes_a_fixed_number_of_queries(
    role, request, client, django_assert_max_num_queries
):
    client.force_login(request.getfixturevalue(role))
    with django_assert_max_num_queries(30):
        assert client.get("/").status_code == 200
