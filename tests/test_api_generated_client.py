"""A generated client as a real consumer (issue 22): openapi-python-client (pinned in
requirements-dev.txt) builds a Python package from the exported OpenAPI document, offline, with
no warnings; the test imports it and runs a scripted flow through it against the application
(in-process, over WSGI): register a project, advance it, read the statistics (counts arrive as
integers), file an application and hand in a material. A document a generator cannot use, or a
changed operationId, fails here."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import shutil
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import httpx
import pytest

from gaoxin.accounts.services import api_token_create
from gaoxin.affairs.tests.support import make_item
from gaoxin.api import api
from gaoxin.wsgi import application
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

PACKAGE = "gaoxin_api_client"
CONFIG = f"""\
project_name_override: {PACKAGE}
package_name_override: {PACKAGE}
post_hooks: []
content_type_overrides:
  application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: application/octet-stream
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Export the document, generate the client and import it (once for the module)."""
    from django.core.management import call_command  # noqa: F401  (Django is set up)

    where = tmp_path_factory.mktemp("client")
    document = where / "openapi.json"
    document.write_text(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")), "utf-8")
    (where / "config.yaml").write_text(CONFIG, "utf-8")
    tool = shutil.which("openapi-python-client", path=str(Path(sys.executable).parent))
    assert tool, "openapi-python-client is in requirements-dev.txt"
    run = subprocess.run(
        [
            tool,
            "generate",
            "--path",
            str(document),
            "--output-path",
            str(where / PACKAGE),
            "--meta",
            "none",
            "--config",
            str(where / "config.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    assert "Warning" not in output and "WARNING" not in output, output
    sys.path.insert(0, str(where))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(where))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI application would close the test's connection after each request."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def client_for(package, user):
    token = api_token_create(user=user, name="generated client")[1]
    client = package.AuthenticatedClient(base_url="http://testserver", token=token)
    client.set_httpx_client(
        httpx.Client(
            base_url="http://testserver",
            transport=httpx.WSGITransport(app=application),
            headers={"Authorization": f"Bearer {token}"},
        )
    )
    return client


def test_a_scripted_flow_through_the_generated_client(
    generated, staff, admin_user, enterprise, enterprise_user, calendar
):
    projects = importlib.import_module(f"{PACKAGE}.api.projects")
    affairs = importlib.import_module(f"{PACKAGE}.api.government_services")
    models = importlib.import_module(f"{PACKAGE}.models")
    types = importlib.import_module(f"{PACKAGE}.types")
    op = {
        name: importlib.import_module(f"{PACKAGE}.api.{group}.{name}")
        for group, name in [
            ("projects", "gaoxin_projects_api_create_project"),
            ("projects", "gaoxin_projects_api_advance"),
            ("projects", "gaoxin_projects_api_statistics"),
            ("government_services", "gaoxin_affairs_api_file_application"),
            ("government_services", "gaoxin_affairs_api_upload_material"),
        ]
    }
    assert projects and affairs
    office = client_for(generated, staff)

    created = op["gaoxin_projects_api_create_project"].sync_detailed(
        client=office,
        body=models.ProjectIn(
            name="生成客户端项目", enterprise=enterprise.pk, on=dt.date(2026, 3, 2)
        ),
    )
    assert created.status_code == 201, created.content
    project = created.parsed
    assert isinstance(project, models.ProjectOut) and project.stage == models.Stage.LEAD

    advanced = op["gaoxin_projects_api_advance"].sync_detailed(
        project.id,
        client=office,
        body=models.AdvanceIn(to_stage=models.Stage.NEGOTIATING, on=dt.date(2026, 3, 9)),
    )
    assert advanced.status_code == 201, advanced.content  # the stage event recorded
    assert (advanced.parsed.from_stage, advanced.parsed.stage) == (
        models.Stage.LEAD,
        models.Stage.NEGOTIATING,
    )

    refused = op["gaoxin_projects_api_advance"].sync_detailed(
        project.id,
        client=office,
        body=models.AdvanceIn(to_stage=models.Stage.AT_CAPACITY, on=dt.date(2026, 3, 10)),
    )
    assert refused.status_code == 400 and isinstance(refused.parsed, models.Error)

    figures = op["gaoxin_projects_api_statistics"].sync(
        client=office, start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30)
    )
    assert isinstance(figures, models.StatisticsOut)
    negotiating = figures.entries["negotiating"]
    assert (negotiating.value, negotiating.base) == (1, 0)
    assert isinstance(figures.in_register.value, int) and figures.in_register.value == 1

    approval = DepartmentFactory(code="approval", name="行政审批服务局")
    permit = make_item(admin_user, approval, "GEN1")
    applicant = client_for(generated, enterprise_user)
    filed = op["gaoxin_affairs_api_file_application"].sync_detailed(
        client=applicant, body=models.ApplicationIn(enterprise=enterprise.pk, items=[permit.pk])
    )
    assert filed.status_code == 201, filed.content
    case = filed.parsed
    assert case.state == models.ApplicationState.DRAFT
    material = permit.materials.get(name="申请书")
    uploaded = op["gaoxin_affairs_api_upload_material"].sync_detailed(
        case.id,
        client=applicant,
        body=models.GaoxinAffairsApiUploadMaterialMultiPartBodyParams(
            material=material.pk,
            file=types.File(
                payload=BytesIO(b"%PDF-1.4\n%generated client\n"),
                file_name="申请书.pdf",
                mime_type="application/pdf",
            ),
        ),
    )
    assert uploaded.status_code == 201, uploaded.content
    assert uploaded.parsed.materials_handed_in == [material.pk]
