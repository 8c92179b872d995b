"""On a phone: the enterprise books an appointment and authorises an agent, the agent files
the company-setup bundle, and the enterprise rates the closed case."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from gaoxin.affairs import services
from gaoxin.affairs.models import Appointment, Bundle, BundleCase, BundleStep, Slot, Window
from tests.browser import shot, sign_in
from tests.factories import DepartmentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_booking_agency_bundle_and_rating_on_a_phone(
    phone, live_server, admin_user, enterprise_user, enterprise, agent, calendar
):

    approval = DepartmentFactory(code="approval", name="行政审批服务局")
    clerk = UserFactory(username="window", role="clerk", department=approval)
    approver = UserFactory(username="approver", role="staff", department=approval)

    def item(code, name, promised, unit):
        return services.item_create(
            by=admin_user,
            data={
                "code": code,
                "name": name,
                "department": approval,
                "legal_limit_days": 5,
                "promised_limit": promised,
                "promised_unit": unit,
            },
            materials=[{"name": "申请书", "essential": True}],
        )

    items = [
        item("L1", "企业设立登记", 30, "working_minutes"),
        item("S1", "印章刻制备案", 2, "working_hours"),
        item("T1", "新办纳税人涉税事项及发票申领", 2, "working_hours"),
        item("SS1", "社会保险参保登记", 2, "working_hours"),
    ]
    window = Window.objects.create(number="B01", name="企业开办专区", department=approval)
    window.items.set(items)
    start = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() + dt.timedelta(days=1), dt.time(10, 0))
    )
    slot = Slot.objects.create(
        window=window, starts_at=start, ends_at=start + dt.timedelta(minutes=30), capacity=1
    )
    bundle = Bundle.objects.create(
        code="QYKB", name="企业开办一件事", promised_limit=1, promised_unit="working_days"
    )
    first = BundleStep.objects.create(bundle=bundle, order=1, item=items[0])
    for order, step_item in enumerate(items[1:], start=2):
        BundleStep.objects.create(bundle=bundle, order=order, item=step_item).after.set([first])

    # The enterprise books the seal engraving from its home page.
    sign_in(phone, live_server, enterprise_user.username)
    phone.get_by_test_id("portal-book").click()
    phone.wait_for_url(re.compile(r".*/affairs/appointments/new/$"))
    phone.wait_for_load_state()  # the choice submits itself once the page's script runs
    phone.get_by_label("事项").select_option(label="印章刻制备案")
    phone.wait_for_url(re.compile(r".*item=\d+"))
    phone.locator(f"label:has(input[value='{slot.pk}'])").click()
    phone.get_by_test_id("confirm-booking").click()
    phone.wait_for_url(re.compile(r".*/affairs/appointments/\d+/$"))
    assert phone.get_by_test_id("appointment-state").inner_text() == "已预约"
    shot(phone, "desk-appointment-booked-phone")
    assert Appointment.objects.get().slot == slot

    # It authorises the zone's agent for the four company-setup items.
    phone.goto(f"{live_server.url}/")
    phone.get_by_test_id("portal-agency").click()
    phone.get_by_label("代办员").select_option(label=str(agent))
    phone.get_by_label("事项（指定事项时）").select_option([str(i.pk) for i in items])
    phone.get_by_test_id("grant").click()
    phone.wait_for_url(re.compile(r".*/affairs/authorizations/\d+/$"))
    assert "代办委托书" in phone.get_by_test_id("authorization-letter").inner_text()
    shot(phone, "desk-authorisation-phone")

    # The agent files the bundle for the enterprise.
    phone.context.clear_cookies()
    sign_in(phone, live_server, agent.username)
    phone.goto(f"{live_server.url}/affairs/bundles/")
    phone.get_by_test_id("bundle-QYKB").click()
    assert enterprise.name in phone.get_by_test_id("bundle-file").inner_text()
    phone.get_by_test_id("bundle-submit").click()
    phone.wait_for_url(re.compile(r".*/affairs/bundle-cases/\d+/$"))
    assert "企业设立登记" in phone.get_by_test_id("run-steps").inner_text()
    shot(phone, "desk-bundle-filed-by-agent-phone")
    run = BundleCase.objects.get()
    assert run.authorization.agent == agent

    # The window and the department work every step; the licence case is closed.
    for _round in range(2):
        for case in run.cases.filter(state="submitted"):
            services.application_accept(application=case, by=clerk)
            for review in case.reviews.all():
                services.review_decide(review=review, by=approver, decision="approved")
    run.refresh_from_db()
    assert run.state == "done" and run.cases.count() == 4
    licence_case = run.cases.get(bundle_step=first)
    services.application_close(application=licence_case, by=clerk)

    # The enterprise sees what its agent did and rates the closed case.
    phone.context.clear_cookies()
    sign_in(phone, live_server, enterprise_user.username)
    phone.get_by_test_id("portal-to-rate").get_by_text(licence_case.number).click()
    assert "代办员" in phone.get_by_test_id("timeline").inner_text()
    phone.locator("label:has(input[name='level'][value='5'])").click()
    phone.get_by_test_id("rate").click()
    assert "非常满意" in phone.get_by_test_id("rating").inner_text()
    shot(phone, "desk-case-rated-phone")
    licence_case.refresh_from_db()
    assert licence_case.rating.level == 5 and licence_case.rating.by == enterprise_user
