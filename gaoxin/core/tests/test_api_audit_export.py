"""The audit log's workbook over the API (issue 22): administrators (the auditors) only, the
log page's filters, the page's file."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from gaoxin.accounts.services import api_token_create
from gaoxin.core import audit

pytestmark = pytest.mark.django_db


def _bearer(user):
    return {"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}"}


def _rows(content):
    return list(load_workbook(BytesIO(content)).active.iter_rows(values_only=True))


def test_only_auditors_export_the_log_and_its_filters_are_the_pages(
    client, admin_user, staff, leader, department
):
    headers = _bearer(admin_user)
    audit.record(action="create", obj=department, by=admin_user, after=audit.snapshot(department))
    before = audit.snapshot(department)
    department.name = "招商服务局"
    department.save()
    audit.record(
        action="update",
        obj=department,
        by=admin_user,
        before=before,
        after=audit.snapshot(department),
    )
    for user in (staff, leader):
        assert client.get("/api/v1/audit/export", headers=_bearer(user)).status_code == 403
    answer = client.get("/api/v1/audit/export", headers=headers)
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    every = _rows(answer.content)
    assert len(every) >= 2  # the header and at least the token's creation
    only_creates = _rows(client.get("/api/v1/audit/export?action=create", headers=headers).content)
    assert 1 < len(only_creates) < len(every)  # the update is left out
    nothing = _rows(
        client.get("/api/v1/audit/export?object=no-such-object-anywhere", headers=headers).content
    )
    assert len(nothing) == 1  # the header only
    client.force_login(admin_user)
    page = client.get("/platform/audit/?action=create&export=xlsx")
    assert _rows(page.content)[0] == only_creates[0]
    assert len(_rows(page.content)) == len(only_creates)
    unknown = client.get("/api/v1/audit/export?colour=red", headers=headers)
    assert unknown.status_code == 400 and "colour" in unknown.json()["errors"]
    bad_type = client.get("/api/v1/audit/export?content_type=999999", headers=headers)
    assert bad_type.status_code == 400
