"""Ids typed into forms by hand (or by a bot) get a clear refusal, never a 500, and change
nothing."""

import pytest

from gaoxin.affairs import services
from gaoxin.affairs.models import Application, ServiceItem
from tests.factories import DepartmentFactory, hand_in_materials

pytestmark = pytest.mark.django_db
GARBAGE = ["abc", "1.5", "-1", "99999999999999999999999", "１"]


@pytest.fixture
def case(admin_user, enterprise, enterprise_user, calendar):
    approval = DepartmentFactory(code="approval", name="行政审批服务局")
    item = services.item_create(
        by=admin_user,
        data={
            "code": "P1",
            "name": "许可",
            "department": approval,
            "legal_limit_days": 20,
            "promised_limit": 5,
        },
        materials=[{"name": "申请书", "essential": True}],
    )
    application = services.application_create(
        enterprise=enterprise, items=[item], by=enterprise_user, channel="online"
    )
    hand_in_materials(application, enterprise_user)
    return services.application_submit(application=application, by=enterprise_user)


@pytest.mark.parametrize("value", GARBAGE)
def test_garbage_ids_on_the_affairs_pages(client, case, admin_user, value):
    client.force_login(admin_user)
    item = ServiceItem.objects.get()
    posts = [
        (f"/affairs/items/{item.pk}/", {"material": value}),
        (
            "/affairs/applications/new/",
            {"enterprise": value, "items": [value], "pre_review": value},
        ),
        (f"/affairs/applications/{case.pk}/accept/", {"missing": [value]}),
        (f"/affairs/applications/{case.pk}/review/", {"review": value}),
        (f"/affairs/applications/{case.pk}/exclusions/end/", {"period": value}),
        (f"/affairs/applications/{case.pk}/supply/", {"request": value}),
        (f"/affairs/applications/{case.pk}/submit/", {"deficiency": [value]}),
        ("/affairs/pre-reviews/", {"enterprise": value, "items": [value], "departments": [value]}),
    ]
    for path, data in posts:
        assert client.post(path, data).status_code < 500, (path, data)
    assert Application.objects.get().state == "submitted"
    assert Application.objects.count() == 1


@pytest.mark.parametrize("value", GARBAGE)
def test_garbage_ids_on_the_dispatch_and_cockpit_pages(client, admin_user, value):
    client.force_login(admin_user)
    for path in (
        f"/dispatch/key-projects/?sponsor={value}&department={value}",
        f"/dispatch/assessment/records/?indicator=signings&key={value}",
    ):
        assert client.get(path).status_code < 500, path
    assert client.post("/cockpit/map/", {"project": value, "plot": "A"}).status_code == 302
