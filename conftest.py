"""Fixtures shared by every test: one named user per role, the clusters, and clean caches."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from gaoxin.accounts.models import Role
from tests.factories import DepartmentFactory, EnterpriseFactory, UserFactory

pytest_plugins = ["tests.browser"]


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` need a PostgreSQL server (they cut its connections); on
    SQLite they are deselected, not skipped, and the run says so."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    selected = [i for i in items if "postgres" not in i.keywords]
    deselected = [i for i in items if "postgres" in i.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}
    }
    cache.clear()  # the work calendar is cached; a rolled-back test must not leak into the next
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _test_sign_ins_give_the_second_factor(monkeypatch):
    """``client.force_login``/``client.login`` stand for a complete sign-in: for admins,
    leaders and anyone with an authenticator that includes the second factor. The sign-in
    pages themselves are tested in gaoxin/accounts/tests/test_two_factor.py."""
    from django.test.client import ClientMixin

    from tests.second_factor import verify_second_factor

    original = ClientMixin._login

    def _login(self, user, backend=None):
        original(self, user, backend)
        verify_second_factor(self.session, user)

    monkeypatch.setattr(ClientMixin, "_login", _login)


@pytest.fixture
def calendar(db):
    """The official schedule as the package knows it (2004–2026)."""
    from gaoxin.core.workcalendar import calendar_seed_from_package

    calendar_seed_from_package(by=None)


@pytest.fixture
def department(db):
    return DepartmentFactory(code="investment", name="投资促进局")


def _user(role, **kwargs):
    return UserFactory(role=role, **kwargs)


@pytest.fixture
def admin_user(db):
    return _user(Role.ADMIN, username="alice_admin", is_staff=True, is_superuser=True)


@pytest.fixture
def leader(db):
    return _user(Role.LEADER, username="lee_leader")


@pytest.fixture
def staff(department):
    return _user(Role.STAFF, username="sam_staff", department=department)


@pytest.fixture
def steward(department):
    return _user(Role.STEWARD, username="stella_steward", department=department)


@pytest.fixture
def clerk(db):
    return _user(Role.CLERK, username="clara_clerk")


@pytest.fixture
def commissioner(db):
    return _user(Role.COMMISSIONER, username="cody_commissioner")


@pytest.fixture
def enterprise(db):
    return EnterpriseFactory(name="山东海声尼克微电子有限公司")


@pytest.fixture
def other_enterprise(db):
    return EnterpriseFactory(name="日照东讯电子科技有限公司")


@pytest.fixture
def enterprise_user(enterprise):
    return _user(Role.ENTERPRISE, username="erin_enterprise", enterprise=enterprise)


@pytest.fixture
def agent(db):
    """A zone agent (代办员): acts for enterprises only inside their authorisations."""
    return _user(Role.AGENT, username="andy_agent", full_name="王代办")


@pytest.fixture
def users_by_role(admin_user, leader, staff, steward, clerk, commissioner, enterprise_user, agent):
    return {
        Role.AGENT: agent,
        Role.ADMIN: admin_user,
        Role.LEADER: leader,
        Role.STAFF: staff,
        Role.STEWARD: steward,
        Role.CLERK: clerk,
        Role.COMMISSIONER: commissioner,
        Role.ENTERPRISE: enterprise_user,
    }
