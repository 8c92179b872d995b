"""The case pages walk: the enterprise files online, the window accepts with a deficiency,
two departments review in parallel (one asks for supplements), the enterprise supplies, the
case is approved; nobody else's case is readable."""

import datetime as dt

import pytest

from gaoxin.affairs.models import Application
from gaoxin.affairs.tests.test_applications import _item, at
from tests.factories import DepartmentFactory, UserFactory, pdf

pytestmark = pytest.mark.django_db


def test_the_case_walk_through_the_pages(
    client, admin_user, enterprise_user, enterprise, other_enterprise, calendar, time_machine
):
    approval = DepartmentFactory(code="approval", name="行政审批服务局")
    planning = DepartmentFactory(code="planning", name="自然资源和规划局")
    clerk = UserFactory(username="window", role="clerk", department=approval)
    approver = UserFactory(username="approver", role="staff", department=approval)
    planner = UserFactory(username="planner", role="staff", department=planning)
    permit = _item(admin_user, approval, "P1", reviewers=[planning])
    time_machine.move_to(at(2026, 9, 21, 10), tick=False)

    client.force_login(enterprise_user)
    refused = client.post("/affairs/applications/new/", {"enterprise": enterprise.pk})
    assert refused.status_code == 400  # no item chosen
    assert not Application.objects.exists()
    # Found by its pinyin initials; its page lists the materials.
    found = client.get("/affairs/applications/new/", {"q": "sxP1"}).content.decode()
    assert f"?item={permit.pk}" in found
    chosen = client.get("/affairs/applications/new/", {"item": permit.pk}).content.decode()
    assert "事项P1" in chosen and 'data-testid="draft-form"' in chosen
    client.post("/affairs/applications/new/", {"enterprise": enterprise.pk, "items": [permit.pk]})
    case = Application.objects.get()
    assert (case.state, case.channel) == ("draft", "online")
    essential = permit.materials.get(essential=True)
    waivable = permit.materials.get(essential=False)
    refused = client.post(
        f"/affairs/applications/{case.pk}/act/", {"action": "submit"}, follow=True
    )
    assert "申请书" in [m.message for m in refused.context["messages"]][-1]
    assert Application.objects.get().state == "draft"
    client.post(
        f"/affairs/applications/{case.pk}/act/",
        {"action": "upload", "material": essential.pk, "file": pdf("申请书.pdf")},
    )
    page = client.get(f"/affairs/applications/{case.pk}/").content.decode()
    assert "申请书.pdf" in page and 'data-testid="submit-form"' in page
    client.post(
        f"/affairs/applications/{case.pk}/act/", {"action": "submit", "deficiency": [waivable.pk]}
    )
    case.refresh_from_db()
    assert case.state == "submitted"

    client.force_login(clerk)
    page = client.get(f"/affairs/applications/{case.pk}/").content.decode()
    assert f'name="missing" value="{waivable.pk}" checked' in page  # as the applicant asked
    client.post(
        f"/affairs/applications/{case.pk}/act/",
        {"action": "accept", "missing": [waivable.pk], "due_on": "2026-09-24", "signatory": "赵海"},
    )
    case.refresh_from_db()
    assert case.state == "under_review"
    assert case.commitment.due_on == dt.date(2026, 9, 24)

    client.force_login(planner)
    queue = client.get("/affairs/reviews/").content.decode()
    assert case.number in queue
    planning_review = case.reviews.get(department=planning)
    client.post(
        f"/affairs/applications/{case.pk}/act/",
        {
            "action": "review",
            "review": planning_review.pk,
            "decision": "supplement",
            "reasons": "补充宗地图",
        },
    )
    time_machine.move_to(at(2026, 9, 22, 10), tick=False)
    client.force_login(enterprise_user)  # a day later: a new session (the idle timeout)
    page = client.get(f"/affairs/applications/{case.pk}/").content.decode()
    assert "补充宗地图" in page and 'data-testid="supplements-open"' in page
    client.post(f"/affairs/applications/{case.pk}/act/", {"action": "supply", "note": "已补宗地图"})
    client.post(
        f"/affairs/applications/{case.pk}/act/",
        {"action": "upload", "material": waivable.pk, "file": pdf("平面图.pdf")},
    )
    client.post(f"/affairs/applications/{case.pk}/act/", {"action": "commitment_supply"})
    assert case.commitment.__class__.objects.get(pk=case.commitment.pk).supplied_at
    client.force_login(clerk)
    client.post(
        f"/affairs/applications/{case.pk}/act/",
        {"action": "commitment_check", "verdict": "accept"},
    )

    for user, department in ((approver, approval), (planner, planning)):
        client.force_login(user)
        review = case.reviews.get(department=department)
        client.post(
            f"/affairs/applications/{case.pk}/act/",
            {"action": "review", "review": review.pk, "decision": "approved"},
        )
    case.refresh_from_db()
    assert case.state == "approved"
    receipt = client.get(f"/affairs/applications/{case.pk}/notices/receipt/").content.decode()
    assert case.number in receipt and "赵海" in receipt and "2026年9月24日" in receipt
    result = client.get(f"/affairs/applications/{case.pk}/notices/result/").content.decode()
    assert "准予许可" in result
    assert client.get(f"/affairs/applications/{case.pk}/notices/nonsense/").status_code == 404
    # The planner cannot decide the approval department's review (already decided anyway).
    client.force_login(planner)
    response = client.post(
        f"/affairs/applications/{case.pk}/act/",
        {
            "action": "review",
            "review": case.reviews.get(department=approval).pk,
            "decision": "rejected",
            "reasons": "x",
        },
        follow=True,
    )
    errors = [m for m in response.context["messages"] if m.level_tag == "error"]
    assert len(errors) == 1
    assert Application.objects.get().state == "approved"

    stranger = UserFactory(username="stranger", role="enterprise", enterprise=other_enterprise)
    client.force_login(stranger)
    assert client.get(f"/affairs/applications/{case.pk}/").status_code == 404
    assert case.number not in client.get("/affairs/applications/").content.decode()
    outsider = UserFactory(
        username="science", role="staff", department=DepartmentFactory(code="science")
    )
    client.force_login(outsider)
    assert client.get(f"/affairs/applications/{case.pk}/").status_code == 404
    assert case.number not in client.get("/affairs/reviews/").content.decode()


def test_materials_are_checked_and_served_only_to_those_who_see_the_case(
    client, admin_user, enterprise_user, enterprise, other_enterprise, calendar, tmp_path, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gaoxin.affairs import services

    settings.MEDIA_ROOT = tmp_path
    approval = DepartmentFactory(code="approval", name="行政审批服务局")
    permit = _item(admin_user, approval, "P1")
    case = services.application_create(
        enterprise=enterprise, items=[permit], by=enterprise_user, channel="online"
    )
    client.force_login(enterprise_user)
    pdf = SimpleUploadedFile("../../etc/申请书.pdf", b"%PDF-1.4\n%test\n", "application/pdf")
    client.post(
        f"/affairs/applications/{case.pk}/act/",
        {"action": "upload", "material": permit.materials.first().pk, "file": pdf},
    )
    fake = SimpleUploadedFile("平面图.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    refused = client.post(
        f"/affairs/applications/{case.pk}/act/", {"action": "upload", "file": fake}, follow=True
    )
    assert [m.level_tag for m in refused.context["messages"]][-1] == "error"
    from gaoxin.core.attachments import attachments_of

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
    from gaoxin.accounts.services import api_token_create

    def bearer(user):
        return {"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}"}

    approval = DepartmentFactory(code="approval", name="行政审批服务局")
    clerk = UserFactory(username="window", role="clerk", department=approval)
    permit = _item(admin_user, approval, "P1")
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
