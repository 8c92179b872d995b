import datetime as dt

import pytest

from gaoxin.dispatch import services
from gaoxin.dispatch.models import PlanTemplate, PlanTemplateStep
from gaoxin.projects.services import project_advance, project_create
from tests.factories import DepartmentFactory, UserFactory


@pytest.fixture
def construction(db):
    head = UserFactory(username="build_head", role="staff")
    dept = DepartmentFactory(code="construction", name="建设管理局", head=head)
    head.department = dept
    head.save()
    return dept


@pytest.fixture
def builder(construction):
    return UserFactory(username="build_staff", role="staff", department=construction)


@pytest.fixture
def investment_head(staff, department):
    """The investment department's head (the staff fixture's department)."""
    head = UserFactory(username="invest_head", role="staff", department=department)
    department.head = head
    department.save()
    return head


@pytest.fixture
def key_project(staff, steward, leader, enterprise, department, calendar):
    project = project_create(
        by=staff,
        data={"name": "海声尼克二期", "enterprise": enterprise, "steward": steward},
        on=dt.date(2026, 1, 5),
    )
    return services.key_project_add(
        year=2026, project=project, sponsor=leader, lead_department=department, by=staff
    )


@pytest.fixture
def small_template(db):
    """A, then B and C in parallel, then D (the construction start)."""
    template = PlanTemplate.objects.create(name="测试模板")
    a = PlanTemplateStep.objects.create(template=template, order=1, name="A", duration_days=3)
    b = PlanTemplateStep.objects.create(template=template, order=2, name="B", duration_days=2)
    c = PlanTemplateStep.objects.create(template=template, order=3, name="C", duration_days=4)
    d = PlanTemplateStep.objects.create(
        template=template, order=4, name="D", duration_days=1, marks_start=True
    )
    b.depends_on.set([a])
    c.depends_on.set([a])
    d.depends_on.set([b, c])
    return template


def advance(project, by, *steps):
    for stage, on in steps:
        project_advance(project=project, to_stage=stage, on=on, by=by)
    project.refresh_from_db()
    return project
