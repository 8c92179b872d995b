from io import BytesIO

import pytest
from openpyxl import load_workbook

from gaoxin.core.models import AuditEntry
from gaoxin.enterprises.models import Enterprise
from tests.factories import EnterpriseFactory, valid_uscc

pytestmark = pytest.mark.django_db


def test_list_filters_and_searches(client, staff, enterprise, other_enterprise):
    client.force_login(staff)
    response = client.get("/enterprises/", {"q": "海声"})
    assert response.status_code == 200
    assert enterprise.name in response.text
    assert other_enterprise.name not in response.text


def test_list_htmx_request_gets_only_the_rows(client, staff, enterprise):
    client.force_login(staff)
    response = client.get("/enterprises/", headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<div id="enterprise-rows">')
    assert "<html" not in response.text


def test_list_query_count_is_flat(client, staff, django_assert_max_num_queries):
    client.force_login(staff)
    EnterpriseFactory.create_batch(3)
    with django_assert_max_num_queries(20) as small:
        client.get("/enterprises/")
    EnterpriseFactory.create_batch(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/enterprises/")


def test_export_contains_exactly_the_filtered_rows(client, staff, enterprise, other_enterprise):
    client.force_login(staff)
    response = client.get("/enterprises/export/", {"q": "东讯"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "名称"
    assert [r[0] for r in rows[1:]] == [other_enterprise.name]


def test_enterprise_user_cannot_export(client, enterprise_user):
    client.force_login(enterprise_user)
    assert client.get("/enterprises/export/").status_code == 403


def test_create_form_shows_the_uscc_error_next_to_the_field_and_keeps_input(client, staff):
    client.force_login(staff)
    response = client.post(
        "/enterprises/new/", {"name": "日照某某科技有限公司", "uscc": "91371100MA3C4T1K2X"}
    )
    assert response.status_code == 400
    assert 'data-field-error="uscc"' in response.text
    assert "校验码" in response.text
    assert "日照某某科技有限公司" in response.text
    assert not Enterprise.objects.exists()


def test_create_form_registers(client, staff):
    client.force_login(staff)
    response = client.post(
        "/enterprises/new/", {"name": "日照某某科技有限公司", "uscc": valid_uscc(77)}
    )
    created = Enterprise.objects.get()
    assert response.status_code == 302
    assert response.url == f"/enterprises/{created.pk}/"


def test_edit_with_a_stale_version_shows_the_conflict_and_the_current_values(
    client, staff, enterprise
):
    client.force_login(staff)
    form = {"name": enterprise.name, "uscc": enterprise.uscc, "address": "北京路1号", "version": 1}
    assert client.post(f"/enterprises/{enterprise.pk}/edit/", form).status_code == 302
    stale = client.post(f"/enterprises/{enterprise.pk}/edit/", {**form, "address": "上海路9号"})
    assert stale.status_code == 409
    assert "其他人已修改" in stale.text
    assert 'data-testid="conflict-current"' in stale.text
    assert "北京路1号" in stale.text  # the current value is shown
    assert "上海路9号" in stale.text  # and the user's input is kept
    enterprise.refresh_from_db()
    assert enterprise.address == "北京路1号"
    # Saving again, now against the version shown, is a deliberate overwrite.
    again = client.post(
        f"/enterprises/{enterprise.pk}/edit/", {**form, "address": "上海路9号", "version": 2}
    )
    assert again.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.address == "上海路9号"


def test_history_page_shows_before_and_after(client, staff, enterprise):
    client.force_login(staff)
    form = {"name": enterprise.name, "uscc": enterprise.uscc, "address": "北京路1号", "version": 1}
    client.post(f"/enterprises/{enterprise.pk}/edit/", form)
    page = client.get(f"/enterprises/{enterprise.pk}/history/")
    assert "北京路1号" in page.text
    assert AuditEntry.objects.filter(action="update").count() == 1


def test_enterprise_user_form_offers_only_owner_fields(client, enterprise_user, enterprise):
    client.force_login(enterprise_user)
    page = client.get(f"/enterprises/{enterprise.pk}/edit/")
    assert 'name="address"' in page.text
    assert 'name="is_dishonest"' not in page.text
    assert 'name="uscc"' not in page.text


def test_enterprise_user_cannot_open_another_enterprise(client, enterprise_user, other_enterprise):
    client.force_login(enterprise_user)
    assert client.get(f"/enterprises/{other_enterprise.pk}/").status_code == 404
    assert client.get(f"/enterprises/{other_enterprise.pk}/edit/").status_code == 404


def test_contact_phone_is_masked_on_screen(client, staff, enterprise):
    enterprise.contacts.create(name="王经理", phone="13912345678")
    client.force_login(staff)
    page = client.get(f"/enterprises/{enterprise.pk}/")
    assert "139****5678" in page.text
    assert "13912345678" not in page.text


def test_contact_added_and_removed_through_the_page_is_audited(client, staff, enterprise):
    client.force_login(staff)
    client.post(f"/enterprises/{enterprise.pk}/contacts/", {"name": "李娜", "phone": "13800000000"})
    contact = enterprise.contacts.get()
    client.post(f"/enterprises/{enterprise.pk}/contacts/{contact.pk}/delete/")
    assert not enterprise.contacts.exists()
    actions = list(
        AuditEntry.objects.filter(content_type__model="enterprisecontact").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["create", "delete"]
