"""docs/integration.md's worked example (issue 22), run as written: the Python block of its
section 7 goes through httpx into the application (httpx's WSGI transport), as an enterprise
with a token; while it waits, the window accepts and the departments approve. Only the three
settings at its top are filled in. A change of the API that breaks the example fails here."""

import functools
import re
from pathlib import Path

import httpx
import pytest

from gaoxin.accounts.services import api_token_create
from gaoxin.affairs import services
from gaoxin.affairs.models import Application, ApplicationState
from gaoxin.affairs.tests.support import approve_all
from gaoxin.wsgi import application as wsgi_application

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[3] / "docs" / "integration.md"


def _example() -> str:
    section = DOC.read_text(encoding="utf-8").split("## 7.", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def _set(code: str, name: str, value) -> str:
    code, count = re.subn(rf"^{name} = .*$", f"{name} = {value!r}", code, flags=re.M)
    assert count == 1, f"the example sets {name} once at its top"
    return code


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI application would close the test's database connection after each request
    (as in tests/test_api_fuzz.py); Django's test client avoids that the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_worked_example_files_an_application_and_follows_it_to_a_decision(
    admin_user,
    approval,
    planning,
    window_clerk,
    approver,
    planner,
    enterprise,
    enterprise_user,
    calendar,
    tmp_path,
    monkeypatch,
    capsys,
):
    item = services.item_create(
        by=admin_user,
        data={
            "code": "SG1",
            "name": "建筑工程施工许可",
            "department": approval,
            "legal_limit_days": 20,
            "promised_limit": 5,
        },
        reviewing_departments=[planning],
        materials=[
            {"name": "申请书", "essential": True},
            {"name": "场所平面图", "essential": False},
        ],
    )
    for material in item.materials.all():  # the files the example opens by material name
        (tmp_path / f"{material.name}.pdf").write_bytes(b"%PDF-1.4\n" + material.name.encode())
    monkeypatch.chdir(tmp_path)
    token = api_token_create(user=enterprise_user, name="对接示例")[1]
    code = _set(_example(), "BASE_URL", "http://testserver/api/v1")
    code = _set(code, "TOKEN", token)
    code = _set(code, "ENTERPRISE", enterprise.pk)
    monkeypatch.setattr(
        httpx,
        "Client",
        functools.partial(httpx.Client, transport=httpx.WSGITransport(app=wsgi_application)),
    )
    waits = []

    def the_zone_works(seconds):
        """Instead of ten minutes' wait: the window accepts and the departments approve."""
        waits.append(seconds)
        case = Application.objects.get()
        assert case.state == ApplicationState.SUBMITTED  # submitted by the example
        approve_all(case, {"clerk": window_clerk, "approval": approver, "planning": planner})

    monkeypatch.setattr("time.sleep", the_zone_works)

    exec(compile(code, str(DOC), "exec"), {"__name__": "integration_example"})  # noqa: S102

    case = Application.objects.get()
    assert case.enterprise == enterprise and list(case.items.all()) == [item]
    assert case.state == ApplicationState.APPROVED
    assert sorted(m.material.name for m in case.case_materials.all()) == ["场所平面图", "申请书"]
    assert waits == [600]
    printed = capsys.readouterr().out
    assert f"{case.number} approved" in printed
    assert printed.strip().endswith("decided: approved")
