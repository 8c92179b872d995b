"""The platform and event pages: one URL and one small form per action; a page's form comes
back with the errors next to the fields and the input kept; refusals are a 403."""

import datetime as dt

import pytest

from gaoxin.core.models import AuditEntry
from gaoxin.platforms import services
from gaoxin.platforms.models import Event, Platform, Signing, TransferDeal
from gaoxin.projects.services import project_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform(staff):
    return services.platform_create(
        by=staff, data={"name": "日照高新区工业技术研究院", "kind": "research_institute"}
    )


@pytest.fixture
def event(staff, department):
    return services.event_create(
        by=staff,
        data={
            "name": "2026日照高新区投融资对接大会",
            "kind": "matchmaking",
            "held_on": dt.date(2026, 11, 18),
            "organiser": department,
        },
    )


def test_a_platform_without_a_name_comes_back_with_the_error_at_the_field(client, staff):
    client.force_login(staff)
    response = client.post(
        "/platforms/", {"name": "", "kind": "research_institute", "partners": "山东大学"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'data-field-error="name"' in page and "请填写平台名称" in page
    assert 'value="山东大学"' in page and not Platform.objects.exists()
    made = client.post("/platforms/", {"name": "新平台", "kind": "research_institute"})
    assert made.status_code == 302 and Platform.objects.get().name == "新平台"


def test_a_deal_with_a_negative_amount_is_refused_at_its_field(client, staff, platform, enterprise):
    client.force_login(staff)
    url = f"/platforms/{platform.pk}/deals/new/"
    data = {"title": "激光焊接", "enterprise": enterprise.pk, "signed_on": "2026-05-01"}
    negative = client.post(url, {**data, "amount": "-5"})
    assert negative.status_code == 400
    assert 'data-field-error="amount"' in negative.content.decode()
    assert "金额不能为负数" in negative.content.decode()
    not_a_number = client.post(url, {**data, "amount": "NaN"})
    assert not_a_number.status_code == 400 and "请以数字填写金额" in not_a_number.content.decode()
    assert 'value="激光焊接"' in not_a_number.content.decode()
    assert not TransferDeal.objects.exists()
    assert client.post(url, {**data, "amount": "120"}).status_code == 302
    assert list(platform.enterprises_served.all()) == [enterprise]


def test_only_platform_staff_record_a_deal(client, enterprise_user, platform, enterprise):
    client.force_login(enterprise_user)
    response = client.post(
        f"/platforms/{platform.pk}/deals/new/",
        {"title": "x", "enterprise": enterprise.pk, "amount": "1", "signed_on": "2026-05-01"},
    )
    assert response.status_code == 403 and not TransferDeal.objects.exists()


def test_an_event_date_beyond_the_calendar_is_refused_at_its_field(client, staff, department):
    client.force_login(staff)
    response = client.post(
        "/platforms/events/",
        {"name": "对接会", "kind": "matchmaking", "held_on": "9999-12-31", "venue": "会展中心"},
    )
    assert response.status_code == 400
    assert 'data-field-error="held_on"' in response.content.decode()
    assert not Event.objects.exists()
    made = client.post(
        "/platforms/events/", {"name": "对接会", "kind": "matchmaking", "held_on": "2026-11-18"}
    )
    event = Event.objects.get()
    assert made.status_code == 302 and event.organiser == department  # the user's own


def test_participants_are_added_and_audited(client, staff, event, enterprise):
    client.force_login(staff)
    response = client.post(
        f"/platforms/events/{event.pk}/participants/", {"enterprises": [enterprise.pk]}
    )
    assert response.status_code == 302 and list(event.participants.all()) == [enterprise]
    entry = AuditEntry.objects.filter(content_type__model="event", action="update").get()
    assert entry.after == {"participants": [enterprise.pk]}


def test_signing_a_project_in_the_register_and_a_new_one(
    client, staff, event, enterprise, calendar
):
    lead = project_create(
        by=staff,
        data={"name": "精密部件项目", "enterprise": enterprise},
        on=dt.date(2026, 10, 1),
    )
    client.force_login(staff)
    client.post(f"/platforms/events/{event.pk}/sign/", {"project": lead.pk})
    lead.refresh_from_db()
    assert lead.stage == "signed" and lead.signing.event == event
    nameless = client.post(
        f"/platforms/events/{event.pk}/sign-new/",
        {"name": "", "investor": "某投资方", "total_investment": "32000"},
    )
    assert nameless.status_code == 400 and 'value="某投资方"' in nameless.content.decode()
    client.post(
        f"/platforms/events/{event.pk}/sign-new/",
        {"name": "射频芯片封测项目", "enterprise": enterprise.pk, "total_investment": "32000"},
    )
    assert Signing.objects.filter(project__name="射频芯片封测项目", event=event).exists()


def test_an_enterprise_records_no_signing(client, staff, event, enterprise_user):
    other = project_create(
        by=staff,
        data={"name": "别家项目", "prospective_investor": "某投资方"},
        on=dt.date(2026, 10, 1),
    )
    client.force_login(enterprise_user)
    response = client.post(f"/platforms/events/{event.pk}/sign/", {"project": other.pk})
    assert response.status_code == 403
    assert not Signing.objects.exists()
