"""Two window actions over the API (issue 22): a slot opened outside office hours on request,
and a material's blank form uploaded — the pages' services, permissions, errors and audit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gaoxin.accounts.services import api_token_create
from gaoxin.affairs.models import Slot
from gaoxin.affairs.tests.support import at
from gaoxin.core.attachments import attachments_of
from gaoxin.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _bearer(user):
    return {"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}"}


def test_the_window_opens_a_slot_outside_office_hours_by_api(
    client, window, window_clerk, enterprise_user, time_machine
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    url = f"/api/v1/affairs/windows/{window.pk}/slots"
    body = {
        "starts_at": "2026-11-07T10:00:00+08:00",
        "minutes": 60,
        "capacity": 2,
        "note": "海声尼克申请周六办理",
    }
    refused = client.post(
        url, body, content_type="application/json", headers=_bearer(enterprise_user)
    )
    assert refused.status_code == 403
    opened = client.post(url, body, content_type="application/json", headers=_bearer(window_clerk))
    assert opened.status_code == 201, opened.content
    slot = Slot.objects.get(pk=opened.json()["id"])
    assert slot.off_hours and slot.ends_at == at(2026, 11, 7, 11) and slot.capacity == 2
    assert opened.json()["off_hours"] is True
    assert AuditEntry.objects.filter(object_id=str(slot.pk), action="create").exists()
    # the same time again: the service's 400 naming the field
    again = client.post(
        url,
        {**body, "starts_at": "2026-11-07T10:30:00"},  # no offset: local time
        content_type="application/json",
        headers=_bearer(window_clerk),
    )
    assert again.status_code == 400
    assert "starts_at" in again.json()["errors"]
    blank = client.post(
        url, {**body, "note": " "}, content_type="application/json", headers=_bearer(window_clerk)
    )
    assert blank.status_code == 400 and "note" in blank.json()["errors"]
    far = client.post(
        url,
        {**body, "starts_at": "9999-12-31T23:30:00Z"},
        content_type="application/json",
        headers=_bearer(window_clerk),
    )
    assert far.status_code == 422
    assert Slot.objects.filter(window=window, off_hours=True).count() == 1
    # a retry with the same idempotency key answers the first answer and opens nothing more
    keyed = {**_bearer(window_clerk), "Idempotency-Key": "slot-2026-11-08"}
    sunday = {**body, "starts_at": "2026-11-08T10:00:00+08:00"}
    first = client.post(url, sunday, content_type="application/json", headers=keyed)
    again = client.post(url, sunday, content_type="application/json", headers=keyed)
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert Slot.objects.filter(window=window, off_hours=True).count() == 2
    missing = client.post(
        "/api/v1/affairs/windows/999999/slots",
        body,
        content_type="application/json",
        headers=_bearer(window_clerk),
    )
    assert missing.status_code == 404


def test_a_materials_blank_form_is_uploaded_by_api_and_replaces_the_old_one(
    client, licence, admin_user, enterprise_user, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    material = licence.materials.first()
    url = f"/api/v1/affairs/items/{licence.pk}/materials/{material.pk}/template"
    refused = client.post(
        url,
        {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n")},
        headers=_bearer(enterprise_user),
    )
    assert refused.status_code == 403
    first = client.post(
        url,
        {"file": SimpleUploadedFile("章程模板.pdf", b"%PDF-1.4\n1")},
        headers=_bearer(admin_user),
    )
    assert first.status_code == 201, first.content
    second = client.post(
        url,
        {"file": SimpleUploadedFile("章程模板v2.pdf", b"%PDF-1.4\n2")},
        headers=_bearer(admin_user),
    )
    assert second.status_code == 201
    assert second.json()["original_name"] == "章程模板v2.pdf"
    assert [a.original_name for a in attachments_of(material)] == ["章程模板v2.pdf"]
    download = client.get(url, headers=_bearer(enterprise_user))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4\n2"
    fake = client.post(
        url,
        {"file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf")},
        headers=_bearer(admin_user),
    )
    assert fake.status_code == 400
    assert [a.original_name for a in attachments_of(material)] == ["章程模板v2.pdf"]
