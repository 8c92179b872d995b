"""The register's page actions over the API (issue 22): contacts, the export, the import (a
job, all or nothing), the liaison officer and qualifications — the pages' forms, services,
permissions and audit entries."""

import datetime as dt
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from gaoxin.accounts.services import api_token_create
from gaoxin.core.jobs import run_import
from gaoxin.core.models import AuditEntry, BackgroundJob
from gaoxin.enterprises.importer import COLUMNS
from gaoxin.enterprises.models import (
    Enterprise,
    EnterpriseContact,
    Qualification,
    QualificationType,
)
from tests.factories import valid_uscc

pytestmark = pytest.mark.django_db
URL = "/api/v1/enterprises"


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}"}


def post(client, url, data, user):
    return client.post(url, data, content_type="application/json", headers=bearer(user))


def test_a_contact_is_added_with_the_forms_checks_and_removed_audited(
    client, staff, enterprise, other_enterprise, enterprise_user
):
    bad = post(client, f"{URL}/{enterprise.pk}/contacts", {"name": "王", "email": "x"}, staff)
    assert bad.status_code == 400 and "email" in bad.json()["errors"]
    added = post(
        client,
        f"{URL}/{enterprise.pk}/contacts",
        {"name": "王经理", "phone": "13800138000", "is_primary": True},
        staff,
    )
    assert added.status_code == 201
    assert added.json()["phone_masked"] != "13800138000"
    contact = EnterpriseContact.objects.get(pk=added.json()["id"])
    assert AuditEntry.objects.filter(object_id=str(contact.pk), action="create").exists()
    # an enterprise user changes only its own enterprise: another's is not found
    elsewhere = post(
        client, f"{URL}/{other_enterprise.pk}/contacts", {"name": "李"}, enterprise_user
    )
    assert elsewhere.status_code == 404
    gone = client.delete(f"{URL}/{enterprise.pk}/contacts/{contact.pk}", headers=bearer(staff))
    assert gone.status_code == 204 and not EnterpriseContact.objects.filter(pk=contact.pk).exists()
    assert AuditEntry.objects.filter(object_id=str(contact.pk), action="delete").exists()


def test_the_export_is_the_lists_filter_and_for_staff_only(
    client, staff, enterprise, other_enterprise, enterprise_user
):
    answer = client.get(f"{URL}/export", {"q": other_enterprise.name}, headers=bearer(staff))
    assert answer.status_code == 200
    sheet = load_workbook(BytesIO(answer.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == [other_enterprise.name]
    assert client.get(f"{URL}/export", headers=bearer(enterprise_user)).status_code == 403
    misspelt = client.get(f"{URL}/export", {"qq": "x"}, headers=bearer(staff))
    assert misspelt.status_code == 400


def _workbook(rows) -> bytes:
    book = Workbook()
    book.active.append(COLUMNS)
    for row in rows:
        book.active.append([row.get(c, "") for c in COLUMNS])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_import_starts_a_job_that_saves_all_or_nothing(client, staff):
    good = _workbook([{"企业名称": "接口导入企业", "统一社会信用代码": valid_uscc(91001)}])
    answer = client.post(
        f"{URL}/import",
        {"file": SimpleUploadedFile("名录.xlsx", good)},
        headers=bearer(staff),
    )
    assert answer.status_code == 202, answer.content
    job = BackgroundJob.objects.get(pk=answer.json()["id"])
    assert (job.kind, job.user) == ("enterprises.import", staff)
    run_import.call(job.pk, "gaoxin.enterprises.importer.import_workbook")
    state = client.get(f"/api/v1/jobs/{job.pk}", headers=bearer(staff)).json()
    assert state["status"] == "succeeded" and state["result"]["created"] == 1
    assert Enterprise.objects.filter(name="接口导入企业").exists()
    not_a_workbook = client.post(
        f"{URL}/import",
        {"file": SimpleUploadedFile("x.xlsx", b"not a zip")},
        headers=bearer(staff),
    )
    assert not_a_workbook.status_code == 400 and "file" in not_a_workbook.json()["errors"]
    template = client.get(f"{URL}/import/template", headers=bearer(staff))
    assert template.status_code == 200
    header = next(load_workbook(BytesIO(template.content)).active.iter_rows(values_only=True))
    assert list(header[: len(COLUMNS)]) == COLUMNS


def test_the_liaison_is_assigned_audited_and_a_stale_version_is_a_409(
    client, admin_user, staff, enterprise, enterprise_user
):
    version = enterprise.version
    answer = client.put(
        f"{URL}/{enterprise.pk}/liaison",
        {"liaison": staff.pk, "version": version},
        content_type="application/json",
        headers=bearer(admin_user),
    )
    assert answer.status_code == 200 and answer.json()["liaison"] == staff.pk
    # the detail answers the references (it answered null for them before)
    detail = client.get(f"{URL}/{enterprise.pk}", headers=bearer(admin_user)).json()
    assert (detail["liaison"], detail["cluster"]) == (staff.pk, enterprise.cluster_id)
    assert AuditEntry.objects.filter(object_id=str(enterprise.pk), action="update").exists()
    stale = client.put(
        f"{URL}/{enterprise.pk}/liaison",
        {"liaison": None, "version": version},
        content_type="application/json",
        headers=bearer(admin_user),
    )
    assert stale.status_code == 409 and stale.json()["current"]["version"] == version + 1
    not_staff = client.put(
        f"{URL}/{enterprise.pk}/liaison",
        {"liaison": enterprise_user.pk},
        content_type="application/json",
        headers=bearer(admin_user),
    )
    assert not_staff.status_code == 400 and "liaison" in not_staff.json()["errors"]


def test_a_qualification_is_recorded_with_the_forms_checks_and_removed(
    client, staff, enterprise, enterprise_user
):
    kind = QualificationType.objects.get(code="hnte")
    backwards = post(
        client,
        f"{URL}/{enterprise.pk}/qualifications",
        {"type": kind.pk, "valid_from": "2026-01-01", "valid_to": "2025-01-01"},
        staff,
    )
    assert backwards.status_code == 400 and "valid_to" in backwards.json()["errors"]
    added = post(
        client,
        f"{URL}/{enterprise.pk}/qualifications",
        {"type": kind.pk, "valid_from": "2026-01-01", "certificate_number": "GR2026"},
        staff,
    )
    assert added.status_code == 201 and added.json()["type_name"] == kind.name
    held = Qualification.objects.get(pk=added.json()["id"])
    assert held.valid_from == dt.date(2026, 1, 1)
    own = client.get(f"{URL}/{enterprise.pk}/qualifications", headers=bearer(enterprise_user))
    assert [q["id"] for q in own.json()] == [held.pk]
    refused = client.delete(
        f"{URL}/{enterprise.pk}/qualifications/{held.pk}", headers=bearer(enterprise_user)
    )
    assert refused.status_code == 403
    gone = client.delete(f"{URL}/{enterprise.pk}/qualifications/{held.pk}", headers=bearer(staff))
    assert gone.status_code == 204 and not Qualification.objects.filter(pk=held.pk).exists()
    assert AuditEntry.objects.filter(object_id=str(held.pk), action="delete").exists()


def test_a_repeated_contact_with_the_same_idempotency_key_is_added_once(client, staff, enterprise):
    headers = {**bearer(staff), "Idempotency-Key": "contact-王经理-1"}
    url = f"{URL}/{enterprise.pk}/contacts"
    first = client.post(url, {"name": "王经理"}, content_type="application/json", headers=headers)
    again = client.post(url, {"name": "王经理"}, content_type="application/json", headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert enterprise.contacts.count() == 1


def test_huge_ids_and_versions_are_a_422_naming_the_field(client, staff, enterprise):
    huge = 2**70
    listed = client.get(f"{URL}/", {"cluster": huge}, headers=bearer(staff))
    assert listed.status_code == 422 and "cluster" in listed.json()["errors"]
    stale = client.put(
        f"{URL}/{enterprise.pk}/liaison",
        {"liaison": staff.pk, "version": huge},
        content_type="application/json",
        headers=bearer(staff),
    )
    assert stale.status_code == 422 and "version" in stale.json()["errors"]
