"""The service desk's pages and API: who sees and does what, with the figures they show."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from gaoxin.affairs import services
from gaoxin.affairs.models import Appointment, Rating, Slot, Window
from gaoxin.affairs.tests.test_desk import _closed_case, _item, at
from tests.factories import DepartmentFactory, UserFactory, hand_in_materials

pytestmark = pytest.mark.django_db
CST = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def approval(db):
    return DepartmentFactory(code="approval", name="行政审批服务局")


@pytest.fixture
def licence(admin_user, approval, calendar):
    return _item(admin_user, approval, "L1", promised=30, unit="working_minutes", name="营业执照")


@pytest.fixture
def window(licence, approval):
    window = Window.objects.create(number="B01", name="企业开办专区", department=approval)
    window.items.set([licence])
    return window


@pytest.fixture
def reviewers(approval):
    return {
        "clerk": UserFactory(username="window", role="clerk", department=approval),
        "approval": UserFactory(username="approver", role="staff", department=approval),
    }


def _slot(window, *args, capacity=1):
    start = dt.datetime(*args, tzinfo=CST)
    return Slot.objects.create(
        window=window, starts_at=start, ends_at=start + dt.timedelta(minutes=30), capacity=capacity
    )


def test_booking_on_the_page_and_nobody_elses_booking(
    client, window, licence, enterprise, enterprise_user, other_enterprise, time_machine
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    slot = _slot(window, 2026, 11, 3, 9, 0)
    client.force_login(enterprise_user)
    page = client.get(f"/affairs/appointments/new/?item={licence.pk}").content.decode()
    assert f'value="{slot.pk}"' in page
    response = client.post(
        "/affairs/appointments/new/",
        {"item": licence.pk, "slot": slot.pk, "enterprise": enterprise.pk},
    )
    appointment = Appointment.objects.get()
    assert response["Location"] == f"/affairs/appointments/{appointment.pk}/"
    full = client.post(
        "/affairs/appointments/new/",
        {"item": licence.pk, "slot": slot.pk, "enterprise": enterprise.pk},
        follow=True,
    )
    assert "已有预约" in full.content.decode() and Appointment.objects.count() == 1
    ics = client.get(f"/affairs/appointments/{appointment.pk}/calendar.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    assert "SUMMARY:营业执照（B01 企业开办专区）" in ics.content.decode()
    assert "营业执照" in client.get("/affairs/appointments/calendar.ics").content.decode()
    stranger = UserFactory(username="stranger", role="enterprise", enterprise=other_enterprise)
    client.force_login(stranger)
    assert client.get(f"/affairs/appointments/{appointment.pk}/").status_code == 404
    assert client.get(f"/affairs/appointments/{appointment.pk}/calendar.ics").status_code == 404
    refused = client.post(f"/affairs/appointments/{appointment.pk}/act/", {"action": "cancel"})
    assert refused.status_code == 404
    assert Appointment.objects.get().state == "booked"


def test_the_window_sees_its_day_and_checks_people_in(
    client, window, licence, enterprise, enterprise_user, reviewers, time_machine
):
    time_machine.move_to(at(2026, 11, 3, 8), tick=False)
    slot = _slot(window, 2026, 11, 3, 9, 0, capacity=2)
    booking = services.appointment_book(
        slot=slot, enterprise=enterprise, item=licence, by=enterprise_user
    )
    client.force_login(reviewers["clerk"])
    day = client.get(f"/affairs/windows/{window.pk}/?day=2026-11-03").content.decode()
    assert "已约 1 / 2" in day and enterprise.name in day
    client.post(f"/affairs/appointments/{booking.pk}/act/", {"action": "check_in"})
    booking.refresh_from_db()
    assert booking.state == "checked_in"
    opened = client.post(
        f"/affairs/windows/{window.pk}/",
        {"starts_at": "2026-11-07T10:00", "minutes": "60", "capacity": "2", "note": "周六申请"},
    )
    assert opened.status_code == 302
    assert Slot.objects.get(window=window, off_hours=True).starts_at == at(2026, 11, 7, 10)
    client.force_login(enterprise_user)
    client.post(
        f"/affairs/windows/{window.pk}/",
        {"starts_at": "2026-11-08T10:00", "minutes": "60", "capacity": "2", "note": "x"},
    )
    assert Slot.objects.filter(off_hours=True).count() == 1  # only the window opens slots


def test_the_enterprise_rates_on_the_case_page_and_sees_it_on_its_home(
    client, licence, enterprise, enterprise_user, reviewers, time_machine
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    case = _closed_case(enterprise, enterprise_user, licence, reviewers)
    client.force_login(enterprise_user)
    home = client.get("/").content.decode()
    assert 'data-testid="portal-to-rate"' in home and case.number in home
    page = client.get(f"/affairs/applications/{case.pk}/").content.decode()
    assert 'data-testid="rate-form"' in page and "2026-11-09" in page  # rate by, or satisfied
    bad = client.post(f"/affairs/applications/{case.pk}/rate/", {"level": "1"}, follow=True)
    assert "差评请说明原因" in bad.content.decode() and not Rating.objects.exists()
    client.post(f"/affairs/applications/{case.pk}/rate/", {"level": "5"})
    assert Rating.objects.get().level == 5
    assert 'data-testid="portal-to-rate"' not in client.get("/").content.decode()
    client.force_login(reviewers["clerk"])
    assert client.post(f"/affairs/applications/{case.pk}/rate/", {"level": "1"}).status_code == 403


def test_statistics_per_window_count_cases_and_ratings(
    client, window, licence, enterprise, enterprise_user, reviewers, time_machine
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    case = _closed_case(enterprise, enterprise_user, licence, reviewers)
    assert case.window == window  # accepted at the window serving the item
    services.rating_give(application=case, by=enterprise_user, level=2, reasons="等候太久")
    client.force_login(reviewers["clerk"])
    page = client.get(
        "/affairs/statistics/?start=2026-11-01&end=2026-11-30&by=window"
    ).content.decode()
    assert page.count('data-testid="rating-stats"') == 1
    assert "<title>政务服务统计 ·" in page
    on_time = page.split('data-testid="on-time"')[1].split("</table>")[0]
    ratings = page.split('data-testid="rating-stats"')[1].split("</table>")[0]
    assert "企业开办专区" in on_time and "100.0%" in on_time
    assert "企业开办专区" in ratings and "0.0%" in ratings  # one rating, and it is bad


def test_the_desk_by_api(
    client, window, licence, enterprise, enterprise_user, reviewers, agent, time_machine
):
    from gaoxin.accounts.services import api_token_create

    def bearer(user):
        return {"Authorization": f"Bearer {api_token_create(user=user, name='t')[1]}"}

    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    slot = _slot(window, 2026, 11, 3, 9, 0)
    booked = client.post(
        "/api/v1/affairs/appointments",
        {"slot": slot.pk, "enterprise": enterprise.pk, "item": licence.pk},
        content_type="application/json",
        headers=bearer(enterprise_user),
    )
    assert booked.status_code == 201 and booked.json()["state"] == "booked"
    again = client.post(
        "/api/v1/affairs/appointments",
        {"slot": slot.pk, "enterprise": enterprise.pk, "item": licence.pk},
        content_type="application/json",
        headers=bearer(enterprise_user),
    )
    assert again.status_code == 400
    cancelled = client.post(
        f"/api/v1/affairs/appointments/{booked.json()['id']}/cancel",
        headers=bearer(enterprise_user),
    )
    assert cancelled.json()["state"] == "cancelled"
    granted = client.post(
        "/api/v1/affairs/authorizations",
        {
            "enterprise": enterprise.pk,
            "agent": agent.pk,
            "scope": "items",
            "items": [licence.pk],
            "valid_from": "2026-11-01",
            "valid_until": "2026-11-30",
            "signatory": "赵海",
        },
        content_type="application/json",
        headers=bearer(enterprise_user),
    )
    assert granted.status_code == 201, granted.content
    filed = client.post(
        "/api/v1/affairs/applications",
        {"enterprise": enterprise.pk, "items": [licence.pk]},
        content_type="application/json",
        headers=bearer(agent),
    )
    assert filed.status_code == 201 and filed.json()["channel"] == "agent"
    revoked = client.post(
        f"/api/v1/affairs/authorizations/{granted.json()['id']}/revoke",
        headers=bearer(enterprise_user),
    )
    assert revoked.json()["revoked_at"] is not None
    after = client.post(
        "/api/v1/affairs/applications",
        {"enterprise": enterprise.pk, "items": [licence.pk]},
        content_type="application/json",
        headers=bearer(agent),
    )
    assert after.status_code == 400
    case = _closed_case(enterprise, enterprise_user, licence, reviewers)
    rated = client.post(
        f"/api/v1/affairs/applications/{case.pk}/rating",
        {"level": 1, "reasons": "态度差"},
        content_type="application/json",
        headers=bearer(enterprise_user),
    )
    assert rated.status_code == 201 and rated.json()["remediation"] is not None


def test_lists_do_not_grow_queries_with_their_rows(
    client,
    window,
    licence,
    enterprise,
    enterprise_user,
    django_assert_max_num_queries,
    time_machine,
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    for hour in range(9, 12):
        for minute in (0, 30):
            slot = _slot(window, 2026, 11, 3, hour, minute)
            services.appointment_book(
                slot=slot, enterprise=enterprise, item=licence, by=enterprise_user
            )
    client.force_login(enterprise_user)
    with django_assert_max_num_queries(15):
        page = client.get("/affairs/appointments/?show=all")
    assert page.content.decode().count("营业执照 ·") == 6
    with django_assert_max_num_queries(16):  # the work calendar is read once, not per slot
        client.get(f"/affairs/windows/{window.pk}/?day=2026-11-03")


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


def test_a_window_day_of_an_unknown_year_says_why_it_has_no_slots(client, window, reviewers):
    client.force_login(reviewers["clerk"])
    known = client.get(f"/affairs/windows/{window.pk}/?day=2026-11-30").content.decode()
    assert 'data-testid="year-unknown"' not in known
    unknown = client.get(f"/affairs/windows/{window.pk}/?day=2031-03-03").content.decode()
    assert 'data-testid="year-unknown"' in unknown and "2031" in unknown
    # A day outside the calendar's range is not an error: the page shows today.
    assert client.get(f"/affairs/windows/{window.pk}/?day=9999-12-31").status_code == 200
