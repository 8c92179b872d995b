"""Fixtures the affairs tests share: the departments, the window and its reviewers, items of
the catalogue and a window serving them. Helpers that are not fixtures are in support.py."""

import pytest

from gaoxin.affairs import services
from gaoxin.affairs.models import Bundle, BundleStep, Window
from gaoxin.affairs.tests.support import make_item, make_simple_item
from tests.factories import DepartmentFactory, UserFactory


@pytest.fixture
def approval(db):
    return DepartmentFactory(code="approval", name="行政审批服务局")


@pytest.fixture
def planning(db):
    return DepartmentFactory(code="planning", name="自然资源和规划局")


@pytest.fixture
def tax(db):
    return DepartmentFactory(code="tax", name="税务局")


@pytest.fixture
def window_clerk(approval):
    return UserFactory(username="window", role="clerk", department=approval)


@pytest.fixture
def approver(approval):
    return UserFactory(username="approver", role="staff", department=approval)


@pytest.fixture
def planner(planning):
    return UserFactory(username="planner", role="staff", department=planning)


@pytest.fixture
def permit(admin_user, approval, planning, calendar):
    """A permit reviewed in parallel by the approval and the planning departments."""
    return make_item(admin_user, approval, "P1", reviewers=[planning])


@pytest.fixture
def departments(db):
    return {
        code: DepartmentFactory(code=code, name=name)
        for code, name in [
            ("approval", "行政审批服务局"),
            ("planning", "自然资源和规划局"),
            ("environment", "生态环境分局"),
        ]
    }


@pytest.fixture
def people(departments):
    """The window's clerk and a reviewer of each of the three departments."""
    return {
        "clerk": UserFactory(username="window", role="clerk", department=departments["approval"]),
        **{
            code: UserFactory(username=f"rev-{code}", role="staff", department=department)
            for code, department in departments.items()
        },
    }


@pytest.fixture
def three_way_permit(admin_user, departments, calendar):
    """Reviewed in parallel by three departments, five working days promised."""
    return services.item_create(
        by=admin_user,
        data={
            "code": "P3",
            "name": "建设项目环评与规划许可",
            "department": departments["approval"],
            "legal_limit_days": 20,
            "promised_limit": 5,
            "promised_unit": "working_days",
        },
        reviewing_departments=[departments["planning"], departments["environment"]],
        materials=[
            {"name": "申请书", "essential": True},
            {"name": "场所平面图", "essential": False},
        ],
    )


@pytest.fixture
def licence(admin_user, approval, calendar):
    return make_simple_item(
        admin_user, approval, "L1", promised=30, unit="working_minutes", name="营业执照"
    )


@pytest.fixture
def seal(admin_user, approval, calendar):
    return make_simple_item(admin_user, approval, "S1", name="公章刻制")


@pytest.fixture
def window(licence, approval):
    window = Window.objects.create(
        number="B01", name="企业开办专区", department=approval, slot_capacity=1
    )
    window.items.set([licence])
    return window


@pytest.fixture
def reviewers(window_clerk, approval, tax):
    return {
        "clerk": window_clerk,
        "approval": UserFactory(username="approver", role="staff", department=approval),
        "tax": UserFactory(username="taxer", role="staff", department=tax),
    }


@pytest.fixture
def company_setup(admin_user, approval, tax, licence, seal):
    """企业开办: the licence first, then seal, tax and social security in parallel."""
    invoice = make_simple_item(admin_user, tax, "T1", name="涉税事项及发票申领")
    social = make_simple_item(admin_user, approval, "SS1", name="社保登记")
    bundle = Bundle.objects.create(
        code="QYKB", name="企业开办一件事", promised_limit=1, promised_unit="working_days"
    )
    first = BundleStep.objects.create(bundle=bundle, order=1, item=licence)
    for order, item in enumerate([seal, invoice, social], start=2):
        BundleStep.objects.create(bundle=bundle, order=order, item=item).after.set([first])
    return bundle
