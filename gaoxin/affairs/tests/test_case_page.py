"""The case pages walk: the enterprise files online, the window accepts with a deficiency, two
departments review in parallel (one asks for supplements), the enterprise supplies, the case is
approved; one URL per action; nobody else's case is readable."""

import datetime as dt

import pytest

from gaoxin.affairs.models import (
    Application,
    ApplicationState,
)
from gaoxin.affairs.tests.support import (
    at,
    make_item,
)
from tests.factories import DepartmentFactory, UserFactory, pdf

pytestmark = pytest.mark.django_db
A = ApplicationState


def test_the_case_walk_through_the_pages(
    client, admin_user, enterprise_user, enterprise, other_enterprise, calendar, time_machine
):
    approval = DepartmentFactory(code="approval", name="行政审批服务局")
    planning = DepartmentFactory(code="planning", name="自然资源和规划局")
    clerk = UserFactory(username="window", role="clerk", department=approval)
    approver = UserFactory(username="approver", role="staff", department=approval)
    planner = UserFactory(username="planner", role="staff", department=planning)
    permit = make_item(admin_user, approval, "P1", reviewers=[planning])
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
    refused = client.post(f"/affairs/applications/{case.pk}/submit/", follow=True)
    assert "申请书" in [m.message for m in refused.context["messages"]][-1]
    assert Application.objects.get().state == "draft"
    client.post(
        f"/affairs/applications/{case.pk}/upload/",
        {"material": essential.pk, "file": pdf("申请书.pdf")},
    )
    page = client.get(f"/affairs/applications/{case.pk}/").content.decode()
    assert "申请书.pdf" in page and 'data-testid="submit-form"' in page
    client.post(f"/affairs/applications/{case.pk}/submit/", {"deficiency": [waivable.pk]})
    case.refresh_from_db()
    assert case.state == "submitted"

    client.force_login(clerk)
    page = client.get(f"/affairs/applications/{case.pk}/").content.decode()
    assert f'name="missing" value="{waivable.pk}" checked' in page  # as the applicant asked
    client.post(
        f"/affairs/applications/{case.pk}/accept/",
        {"missing": [waivable.pk], "due_on": "2026-09-24", "signatory": "赵海"},
    )
    case.refresh_from_db()
    assert case.state == "under_review"
    assert case.commitment.due_on == dt.date(2026, 9, 24)

    client.force_login(planner)
    queue = client.get("/affairs/reviews/").content.decode()
    assert case.number in queue
    planning_review = case.reviews.get(department=planning)
    client.post(
        f"/affairs/applications/{case.pk}/review/",
        {
            "review": planning_review.pk,
            "decision": "supplement",
            "reasons": "补充宗地图",
        },
    )
    time_machine.move_to(at(2026, 9, 22, 10), tick=False)
    client.force_login(enterprise_user)  # a day later: a new session (the idle timeout)
    page = client.get(f"/affairs/applications/{case.pk}/").content.decode()
    assert "补充宗地图" in page and 'data-testid="supplements-open"' in page
    nothing = client.post(
        f"/affairs/applications/{case.pk}/supply/", {"note": "已补宗地图"}, follow=True
    )
    assert "上传" in [m.message for m in nothing.context["messages"]][-1]  # no file yet
    assert case.supplements.filter(supplied_at__isnull=True).exists()
    client.post(
        f"/affairs/applications/{case.pk}/upload/",
        {"material": waivable.pk, "file": pdf("平面图.pdf")},
    )
    client.post(f"/affairs/applications/{case.pk}/supply/", {"note": "已补宗地图"})
    client.post(f"/affairs/applications/{case.pk}/commitment/supply/")
    assert case.commitment.__class__.objects.get(pk=case.commitment.pk).supplied_at
    client.force_login(clerk)
    client.post(
        f"/affairs/applications/{case.pk}/commitment/check/",
        {"verdict": "accept"},
    )

    for user, department in ((approver, approval), (planner, planning)):
        client.force_login(user)
        review = case.reviews.get(department=department)
        client.post(
            f"/affairs/applications/{case.pk}/review/",
            {"review": review.pk, "decision": "approved"},
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
        f"/affairs/applications/{case.pk}/review/",
        {
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
