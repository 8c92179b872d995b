"""Schemathesis against the OpenAPI document: no 5xx, and every answer as the spec says."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from gaoxin.accounts.services import api_token_create
from gaoxin.api import api
from gaoxin.wsgi import application

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
# Requests go straight into the WSGI application, as from_wsgi would set up.
schema.app = application
schema.location = "/api/v1/openapi.json"


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Calling the WSGI application directly would close the test's database connection at
    the end of each request; Django's test client avoids that the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(admin_user, enterprise, staff, leader, calendar):
    import datetime as dt

    from gaoxin.dispatch import services as dispatch
    from gaoxin.dispatch.models import PlanTemplate
    from gaoxin.projects.services import project_create

    project = project_create(by=staff, data={"name": "模糊测试项目", "enterprise": enterprise})
    # A key project with a plan, a matter, a period and a meeting task, so that operations on
    # existing records are reached, not only their 404s.
    key_project = dispatch.key_project_add(
        year=2026, project=project, sponsor=leader, lead_department=staff.department, by=staff
    )
    dispatch.plan_from_template(
        key_project=key_project,
        template=PlanTemplate.objects.first(),
        start=dt.date(2026, 3, 2),
        by=staff,
    )
    dispatch.matter_add(
        key_project=key_project,
        by=staff,
        title="用电增容",
        mode="escort",
        deadline=dt.date(2999, 1, 1),
        parts=[(staff.department, "")],
    )
    dispatch.period_open(kind="month", start=dt.date(2026, 9, 1), by=staff)
    meeting = dispatch.meeting_record(
        title="调度会",
        held_on=dt.date(2026, 9, 1),
        chaired_by=leader,
        attendees=[leader, staff],
        minutes="",
        by=leader,
    )
    dispatch.decision_add(
        meeting=meeting, by=leader, decision="协调", owner=staff, deadline=dt.date(2026, 9, 30)
    )
    # 投产达效: an agreement and a year's indicators, so its operations reach existing records.
    from gaoxin.delivery import services as delivery

    delivery.agreement_create(
        project=project,
        number="FUZZ-1",
        title="模糊测试协议",
        version={
            "signed_on": dt.date(2026, 1, 5),
            "total_investment": 100,
            "fixed_asset_investment": 80,
            "land_area_mu": 10,
        },
        terms=[
            {"kind": "land_delivery", "due_on": dt.date(2026, 3, 2)},
            {"kind": "start", "due_on": dt.date(2026, 6, 1), "depends_on": "land_delivery"},
        ],
        by=staff,
    )
    delivery.evaluation_year_defaults(year=2025, by=admin_user)
    return api_token_create(user=admin_user, name="fuzz")[1]


@schema.parametrize()
@settings(
    max_examples=20,
    derandomize=True,  # the same examples on every run: CI is the run we checked
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_never_fails_and_keeps_its_contract(case, token):
    # Business rules may refuse a request the schema allows (a wrong checksum, an illegal
    # stage jump): that is a 400 with reasons, so the positive-acceptance check is left out.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        # Likewise a lenient reading of a query parameter ("3.0" for 3) is not a broken answer;
        # dates, where leniency did matter, are strict (see test_api_dates_are_strict).
        excluded_checks=[
            schemathesis.checks.positive_data_acceptance,
            schemathesis.checks.negative_data_rejection,
        ],
    )


@pytest.mark.parametrize(
    "value", ["0", "1700000000", "2026-6-30", "2026-06-30T00:00:00", "0001-01-01", "9999-12-31"]
)
def test_api_dates_are_strict(client, token, value):
    response = client.get(
        "/api/v1/projects/stock", {"as_of": value}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 422
    assert "as_of" in response.json()["errors"]


def test_every_api_schema_has_its_own_name():
    """The OpenAPI document names each schema by its class; two classes of one name in
    different apps would silently share one definition and break the contract."""
    from ninja import Schema

    import gaoxin.api  # noqa: F401  (mounts every router, importing every schema)

    seen: dict[str, str] = {}
    duplicates = []
    stack = list(Schema.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if not cls.__module__.startswith("gaoxin."):
            continue
        where = f"{cls.__module__}.{cls.__qualname__}"
        if cls.__name__ in seen and seen[cls.__name__] != where:
            duplicates.append((seen[cls.__name__], where))
        seen.setdefault(cls.__name__, where)
    assert duplicates == []
