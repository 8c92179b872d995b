import pytest
from django.test import Client

from gaoxin.accounts.services import api_token_create
from gaoxin.core.models import AuditEntry
from gaoxin.enterprises.models import Enterprise
from gaoxin.projects.services import project_create
from tests.factories import EnterpriseFactory, valid_uscc

pytestmark = pytest.mark.django_db

URL = "/api/v1/enterprises/"


def bearer(user):
    _token, raw = api_token_create(user=user, name="test")
    return {"Authorization": f"Bearer {raw}"}


def test_list_without_credentials_is_401_in_the_common_error_shape(client):
    response = client.get(URL)
    assert response.status_code == 401
    assert set(response.json()) == {"message", "errors"}


def test_token_lists_enterprises_with_filters(client, staff, enterprise, other_enterprise):
    response = client.get(URL, {"q": "东讯"}, headers=bearer(staff))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["items"][0]["name"] == other_enterprise.name


def test_list_query_count_does_not_grow_with_rows(client, staff, django_assert_max_num_queries):
    headers = bearer(staff)
    EnterpriseFactory.create_batch(3)
    with django_assert_max_num_queries(8) as small:
        client.get(URL, headers=headers)
    EnterpriseFactory.create_batch(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(URL, headers=headers)
    assert response.json()["count"] == 33


def test_create_returns_201_and_is_audited(client, staff):
    response = client.post(
        URL,
        {"name": "日照兴华半导体有限公司", "uscc": valid_uscc(42), "industry": "39"},
        content_type="application/json",
        headers=bearer(staff),
    )
    assert response.status_code == 201, response.content
    created = Enterprise.objects.get(uscc=valid_uscc(42))
    assert response.json()["id"] == created.pk
    assert AuditEntry.objects.filter(action="create", object_id=str(created.pk)).exists()


def test_invalid_uscc_is_400_with_the_field_error(client, staff):
    response = client.post(
        URL,
        {"name": "某公司", "uscc": "91371100MA3C4T1K2X"},
        content_type="application/json",
        headers=bearer(staff),
    )
    assert response.status_code == 400
    body = response.json()
    assert "uscc" in body["errors"]
    assert "校验码" in body["errors"]["uscc"][0]
    assert not Enterprise.objects.exists()


def test_unknown_industry_code_is_a_field_error(client, staff):
    response = client.post(
        URL,
        {"name": "某公司", "uscc": valid_uscc(3), "industry": "C9"},
        content_type="application/json",
        headers=bearer(staff),
    )
    assert response.status_code == 400
    assert "industry" in response.json()["errors"]


def test_schema_errors_are_422_in_the_same_shape(client, staff):
    response = client.post(
        URL, {"uscc": valid_uscc(3)}, content_type="application/json", headers=bearer(staff)
    )
    assert response.status_code == 422
    assert "name" in response.json()["errors"]


def test_stale_patch_is_409_with_the_current_record(client, staff, clerk, enterprise):
    ok = client.patch(
        f"{URL}{enterprise.pk}",
        {"version": 1, "address": "北京路1号"},
        content_type="application/json",
        headers=bearer(staff),
    )
    assert ok.status_code == 200
    assert ok.json()["version"] == 2
    stale = client.patch(
        f"{URL}{enterprise.pk}",
        {"version": 1, "address": "上海路9号"},
        content_type="application/json",
        headers=bearer(clerk),
    )
    assert stale.status_code == 409
    body = stale.json()
    assert body["current"]["address"] == "北京路1号"
    assert body["current"]["version"] == 2
    enterprise.refresh_from_db()
    assert enterprise.address == "北京路1号"


def test_enterprise_user_sees_only_its_own(client, enterprise_user, enterprise, other_enterprise):
    headers = bearer(enterprise_user)
    listed = client.get(URL, headers=headers).json()
    assert [e["id"] for e in listed["items"]] == [enterprise.pk]
    assert client.get(f"{URL}{other_enterprise.pk}", headers=headers).status_code == 404
    assert client.get(f"{URL}{enterprise.pk}", headers=headers).status_code == 200


def test_contact_phones_are_masked_in_the_api(client, staff, enterprise):
    enterprise.contacts.create(name="王经理", phone="13912345678")
    body = client.get(f"{URL}{enterprise.pk}", headers=bearer(staff)).json()
    assert body["contacts"][0]["phone_masked"] == "139****5678"
    assert "13912345678" not in str(body)


def test_leader_cannot_create_403(client, leader):
    response = client.post(
        URL,
        {"name": "x", "uscc": valid_uscc(9)},
        content_type="application/json",
        headers=bearer(leader),
    )
    assert response.status_code == 403
    assert response.json()["message"]


def test_session_auth_requires_csrf_for_writes(staff):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff)
    response = browser.post(
        URL, {"name": "x", "uscc": valid_uscc(9)}, content_type="application/json"
    )
    assert response.status_code in (401, 403)
    assert not Enterprise.objects.exists()
    assert browser.get(URL).status_code == 200  # reads need no token


def test_delete_only_by_admin(client, admin_user, staff, enterprise):
    assert client.delete(f"{URL}{enterprise.pk}", headers=bearer(staff)).status_code == 403
    assert client.delete(f"{URL}{enterprise.pk}", headers=bearer(admin_user)).status_code == 204
    assert AuditEntry.objects.filter(action="delete", object_id=str(enterprise.pk)).exists()


def test_an_enterprise_with_projects_cannot_be_deleted(client, admin_user, staff, enterprise):
    project_create(by=staff, data={"name": "二期", "enterprise": enterprise})
    response = client.delete(f"{URL}{enterprise.pk}", headers=bearer(admin_user))
    assert response.status_code == 400
    assert "项目" in response.json()["message"]
    assert Enterprise.objects.filter(pk=enterprise.pk).exists()
