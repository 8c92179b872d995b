"""Filing a case: drafts, materials handed in (checked, served only to who sees the case), the
submission refused naming what is missing, who reads which case, the case list's queries, the
API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gaoxin.accounts.services import api_token_create
from gaoxin.affairs import services
from gaoxin.affairs.models import (
    Application,
    ApplicationState,
)
from gaoxin.affairs.tests.support import (
    at,
    make_item,
    submitted,
)
from gaoxin.core.attachments import attachments_of
from gaoxin.core.models import Notification
from tests.factories import DepartmentFactory, UserFactory, hand_in_materials, pdf

pytestmark = pytest.mark.django_db
A = ApplicationState


def test_submission_is_refused_with_the_missing_essential_materials_names(
    enterprise_user, enterprise, three_way_permit, people, time_machine
):
    time_machine.move_to(at(2026, 11, 2, 10), tick=False)
    case = services.application_create(
        enterprise=enterprise, items=[three_way_permit], by=enterprise_user, channel="online"
    )
    assert case.state == A.DRAFT
    with pytest.raises(ValidationError, match="申请书"):
        services.application_submit(application=case, by=enterprise_user)
    hand_in_materials(case, enterprise_user, skip={"场所平面图"})
    with pytest.raises(ValidationError, match="场所平面图"):  # upload it or ask for 容缺
        services.application_submit(application=case, by=enterprise_user)
    assert Application.objects.get(pk=case.pk).state == A.DRAFT
    essential = three_way_permit.materials.get(essential=True)
    with pytest.raises(ValidationError):  # only waivable materials may follow later
        services.application_submit(application=case, by=enterprise_user, deficiency=[essential])
    waivable = three_way_permit.materials.get(essential=False)
    services.application_submit(application=case, by=enterprise_user, deficiency=[waivable])
    case.refresh_from_db()
    assert case.state == A.SUBMITTED
    assert list(case.deficiency_requested.all()) == [waivable]
    # The window hears of the new online case.
    assert Notification.objects.filter(user=people["clerk"], link__contains=str(case.pk)).exists()


def test_an_enterprise_never_reads_another_enterprises_case(
    enterprise_user, enterprise, other_enterprise, permit, time_machine, approver, planner
):
    case = submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
    stranger = UserFactory(username="stranger", role="enterprise", enterprise=other_enterprise)
    assert not Application.objects.restrict(stranger).filter(pk=case.pk).exists()
    assert Application.objects.restrict(enterprise_user).filter(pk=case.pk).exists()
    with pytest.raises(PermissionDenied):
        services.application_create(
            enterprise=enterprise, items=[permit], by=stranger, channel="online"
        )
    outsider = UserFactory(
        username="science", role="staff", department=DepartmentFactory(code="science")
    )
    assert not Application.objects.restrict(outsider).filter(pk=case.pk).exists()


def test_materials_are_checked_and_served_only_to_those_who_see_the_case(
    client, admin_user, enterprise_user, enterprise, other_enterprise, calendar, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    approval = DepartmentFactory(code="approval", name="行政审批服务局")
    permit = make_item(admin_user, approval, "P1")
    case = services.application_create(
        enterprise=enterprise, items=[permit], by=enterprise_user, channel="online"
    )
    client.force_login(enterprise_user)
    pdf = SimpleUploadedFile("../../etc/申请书.pdf", b"%PDF-1.4\n%test\n", "application/pdf")
    client.post(
        f"/affairs/applications/{case.pk}/upload/",
        {"material": permit.materials.first().pk, "file": pdf},
    )
    fake = SimpleUploadedFile("平面图.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    refused = client.post(f"/affairs/applications/{case.pk}/upload/", {"file": fake}, follow=True)
    assert [m.level_tag for m in refused.context["messages"]][-1] == "error"

    (stored,) = attachments_of(case)
    assert stored.original_name == "申请书.pdf"  # folders stripped from the name
    url = f"/affairs/applications/{case.pk}/files/{stored.pk}/"
    assert client.get(url).status_code == 200
    stranger = UserFactory(username="stranger", role="enterprise", enterprise=other_enterprise)
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    assert stored.file.name not in client.get("/affairs/applications/").content.decode()


def test_the_case_by_api_and_nobody_elses(
    client, admin_user, enterprise_user, enterprise, other_enterprise, calendar
):
    def bearer(user):
        return {"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}"}

    approval = DepartmentFactory(code="approval", name="行政审批服务局")
    clerk = UserFactory(username="window", role="clerk", department=approval)
    permit = make_item(admin_user, approval, "P1")
    filed = client.post(
        "/api/v1/affairs/applications",
        {"enterprise": enterprise.pk, "items": [permit.pk]},
        content_type="application/json",
        headers=bearer(enterprise_user),
    )
    assert filed.status_code == 201, filed.content
    pk = filed.json()["id"]
    assert filed.json()["state"] == "draft"
    refused = client.post(
        f"/api/v1/affairs/applications/{pk}/submit",
        {},
        content_type="application/json",
        headers=bearer(enterprise_user),
    )
    assert refused.status_code == 400 and "申请书" in str(refused.json()["errors"])
    for material in permit.materials.all():
        uploaded = client.post(
            f"/api/v1/affairs/applications/{pk}/materials",
            {"material": material.pk, "file": pdf(f"{material.name}.pdf")},
            headers=bearer(enterprise_user),
        )
        assert uploaded.status_code == 201, uploaded.content
    assert len(uploaded.json()["materials_handed_in"]) == 2
    submitted = client.post(
        f"/api/v1/affairs/applications/{pk}/submit",
        {},
        content_type="application/json",
        headers=bearer(enterprise_user),
    )
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    listed = client.get(
        "/api/v1/affairs/applications",
        {"enterprise": enterprise.pk, "item": permit.pk, "state": "submitted"},
        headers=bearer(clerk),
    )
    assert [c["id"] for c in listed.json()["items"]] == [pk]
    assert listed.json()["items"][0]["item_names"] == ["事项P1"]
    other = client.get(
        "/api/v1/affairs/applications", {"enterprise": other_enterprise.pk}, headers=bearer(clerk)
    )
    assert other.json()["items"] == []
    unknown = client.get(
        "/api/v1/affairs/applications", {"enterprize": enterprise.pk}, headers=bearer(clerk)
    )
    assert unknown.status_code == 400 and "enterprize" in unknown.content.decode()
    noticed = client.post(
        f"/api/v1/affairs/applications/{pk}/intake-supplement",
        {"what": "申请书缺签字"},
        content_type="application/json",
        headers=bearer(clerk),
    )
    assert noticed.status_code == 200 and noticed.json()["state"] == "submitted"
    by_enterprise = client.post(
        f"/api/v1/affairs/applications/{pk}/intake-supplement",
        {"what": "x"},
        content_type="application/json",
        headers=bearer(enterprise_user),
    )
    assert by_enterprise.status_code == 403
    nothing = client.post(
        f"/api/v1/affairs/applications/{pk}/supply",
        {},
        content_type="application/json",
        headers=bearer(enterprise_user),
    )
    assert nothing.status_code == 400  # a supplement is a file: none uploaded since the notice
    signed = client.post(
        f"/api/v1/affairs/applications/{pk}/materials",
        {"material": permit.materials.get(essential=True).pk, "file": pdf("申请书-签字.pdf")},
        headers=bearer(enterprise_user),
    )
    assert signed.status_code == 201
    supplied = client.post(
        f"/api/v1/affairs/applications/{pk}/supply",
        {},
        content_type="application/json",
        headers=bearer(enterprise_user),
    )
    assert supplied.status_code == 200
    essential = permit.materials.get(essential=True)
    refused = client.post(
        f"/api/v1/affairs/applications/{pk}/accept",
        {"missing": [essential.pk], "due_on": "2999-01-01", "signatory": "x"},
        content_type="application/json",
        headers=bearer(clerk),
    )
    assert refused.status_code == 400
    accepted = client.post(
        f"/api/v1/affairs/applications/{pk}/accept",
        {},
        content_type="application/json",
        headers=bearer(clerk),
    )
    assert accepted.json()["state"] == "under_review"
    assert accepted.json()["reviews"][0]["state"] == "pending"
    stranger = UserFactory(username="stranger", role="enterprise", enterprise=other_enterprise)
    assert (
        client.get(f"/api/v1/affairs/applications/{pk}", headers=bearer(stranger)).status_code
        == 404
    )
    filed_for_other = client.post(
        "/api/v1/affairs/applications",
        {"enterprise": enterprise.pk, "items": [permit.pk]},
        content_type="application/json",
        headers=bearer(stranger),
    )
    assert filed_for_other.status_code == 403


def test_the_case_list_does_not_grow_queries_with_its_rows(
    client,
    licence,
    enterprise,
    enterprise_user,
    reviewers,
    django_assert_max_num_queries,
    time_machine,
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    for _n in range(8):
        case = services.application_create(
            enterprise=enterprise, items=[licence], by=enterprise_user, channel="online"
        )
        hand_in_materials(case, enterprise_user)
        services.application_submit(application=case, by=enterprise_user)
        services.application_accept(application=case, by=reviewers["clerk"])
    client.force_login(reviewers["clerk"])
    # Fixed: the session, the user and its second factors, permissions, notifications, the
    # cases with their items, the filter's departments and windows. One per row would be 24.
    with django_assert_max_num_queries(16):
        page = client.get("/affairs/applications/")
    assert page.content.decode().count("/affairs/applications/") >= 8


def test_the_api_refuses_absurd_ids_and_leaves_no_draft_behind(
    client, admin_user, enterprise_user, enterprise, calendar
):
    headers = {"Authorization": f"Bearer {api_token_create(user=enterprise_user, name='t')[1]}"}
    approval = DepartmentFactory(code="approval", name="行政审批服务局")
    permit = make_item(admin_user, approval, "P1")
    huge = client.post(
        "/api/v1/affairs/applications",
        {"enterprise": enterprise.pk, "items": [99999999999999999999]},
        content_type="application/json",
        headers=headers,
    )
    assert huge.status_code == 422 and "items" in huge.content.decode()
    refused = client.post(
        "/api/v1/affairs/applications",
        {"enterprise": enterprise.pk, "items": [permit.pk], "submit": True},
        content_type="application/json",
        headers=headers,
    )
    assert refused.status_code == 400  # no materials: cannot be submitted at once
    assert not Application.objects.exists()  # and no draft is left behind
