"""The enterprise service desk: appointments from the work calendar without overbooking,
agency within scope and period, bundles timed end to end, ratings and their remediation."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from icalendar import Calendar

from gaoxin.affairs import services
from gaoxin.affairs.models import (
    Application,
    Appointment,
    Bundle,
    BundleStep,
    Rating,
    Slot,
    Window,
)
from gaoxin.core.models import AuditEntry, Notification
from tests.factories import DepartmentFactory, UserFactory, hand_in_materials

pytestmark = pytest.mark.django_db
CST = ZoneInfo("Asia/Shanghai")


def at(*args):
    return dt.datetime(*args, tzinfo=CST)


@pytest.fixture
def approval(db):
    return DepartmentFactory(code="approval", name="行政审批服务局")


@pytest.fixture
def tax(db):
    return DepartmentFactory(code="tax", name="税务局")


def _item(admin_user, department, code, *, promised=1, unit="working_days", name=None):
    return services.item_create(
        by=admin_user,
        data={
            "code": code,
            "name": name or f"事项{code}",
            "department": department,
            "legal_limit_days": 20,
            "promised_limit": promised,
            "promised_unit": unit,
        },
        materials=[{"name": "申请书", "essential": True}],
    )


@pytest.fixture
def licence(admin_user, approval, calendar):
    return _item(admin_user, approval, "L1", promised=30, unit="working_minutes", name="营业执照")


@pytest.fixture
def window(licence, approval):
    window = Window.objects.create(
        number="B01", name="企业开办专区", department=approval, slot_capacity=1
    )
    window.items.set([licence])
    return window


@pytest.fixture
def window_clerk(approval):
    return UserFactory(username="window", role="clerk", department=approval)


# --- appointments -----------------------------------------------------------------------------


def test_slots_follow_the_work_calendar(window):
    # 2026: National Day from 1 to 7 October; Sunday 20 September and Saturday
    # 10 October are make-up working days.
    created = services.slots_open(
        window=window, first=dt.date(2026, 9, 19), last=dt.date(2026, 10, 10)
    )
    days = {s.starts_at.astimezone(CST).date() for s in Slot.objects.filter(window=window)}
    assert dt.date(2026, 9, 20) in days and dt.date(2026, 10, 10) in days
    assert dt.date(2026, 9, 19) not in days  # a Saturday
    assert not any(dt.date(2026, 10, 1) <= d <= dt.date(2026, 10, 7) for d in days)
    per_day = Slot.objects.filter(window=window, starts_at__date=dt.date(2026, 9, 21)).count()
    assert per_day == 14  # 9:00–12:00 and 13:30–17:30 in half-hours
    assert created == per_day * len(days)
    assert (
        services.slots_open(window=window, first=dt.date(2026, 9, 19), last=dt.date(2026, 10, 10))
        == 0
    )


def _slot(window, *args, capacity=1):
    start = at(*args)
    return Slot.objects.create(
        window=window, starts_at=start, ends_at=start + dt.timedelta(minutes=30), capacity=capacity
    )


def test_booking_takes_a_place_and_a_full_slot_refuses(
    window, licence, enterprise, enterprise_user, other_enterprise, time_machine
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    slot = _slot(window, 2026, 11, 3, 9, 0)
    booked = services.appointment_book(
        slot=slot, enterprise=enterprise, item=licence, by=enterprise_user
    )
    assert booked.number.startswith("YY261103") and booked.state == "booked"
    slot.refresh_from_db()
    assert slot.booked == 1
    stranger = UserFactory(username="stranger", role="enterprise", enterprise=other_enterprise)
    with pytest.raises(ValidationError, match="约满"):
        services.appointment_book(slot=slot, enterprise=other_enterprise, item=licence, by=stranger)
    with pytest.raises(PermissionDenied):  # not for another enterprise
        services.appointment_book(slot=slot, enterprise=enterprise, item=licence, by=stranger)
    assert AuditEntry.objects.filter(content_type__model="appointment").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_last_place_at_once_never_overbook(
    window, licence, enterprise, other_enterprise, enterprise_user, time_machine
):
    from tests.test_reliability import run_together

    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    slot = _slot(window, 2026, 11, 3, 9, 0)
    stranger = UserFactory(username="stranger", role="enterprise", enterprise=other_enterprise)

    def book(e, user):
        return lambda: services.appointment_book(slot=slot, enterprise=e, item=licence, by=user)

    results = run_together(book(enterprise, enterprise_user), book(other_enterprise, stranger))
    booked = [r for r in results if isinstance(r, Appointment)]
    assert len(booked) == 1, results
    assert Appointment.objects.filter(slot=slot, state="booked").count() == 1
    assert Slot.objects.get(pk=slot.pk).booked == 1


def test_cancelling_and_moving_follow_the_windows_rule(
    window, licence, enterprise, enterprise_user, window_clerk, time_machine
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    first = _slot(window, 2026, 11, 3, 9, 0)
    full = _slot(window, 2026, 11, 3, 9, 30, capacity=0 + 1)
    later = _slot(window, 2026, 11, 3, 10, 0)
    Slot.objects.filter(pk=full.pk).update(booked=1)  # someone else has it
    booking = services.appointment_book(
        slot=first, enterprise=enterprise, item=licence, by=enterprise_user
    )
    with pytest.raises(ValidationError):  # a full slot leaves the booking as it was
        services.appointment_reschedule(appointment=booking, slot=full, by=enterprise_user)
    booking.refresh_from_db()
    assert booking.state == "booked" and Slot.objects.get(pk=first.pk).booked == 1
    moved = services.appointment_reschedule(appointment=booking, slot=later, by=enterprise_user)
    assert moved.rescheduled_from == booking
    assert Slot.objects.get(pk=first.pk).booked == 0 and Slot.objects.get(pk=later.pk).booked == 1
    # Two hours before the slot is the window's limit for changes by the enterprise.
    time_machine.move_to(at(2026, 11, 3, 8, 1), tick=False)
    with pytest.raises(ValidationError, match="120"):
        services.appointment_cancel(appointment=moved, by=enterprise_user)
    services.appointment_cancel(appointment=moved, by=window_clerk)  # the window may
    assert Slot.objects.get(pk=later.pk).booked == 0


def test_reminders_check_in_no_shows_and_the_calendar_file(
    window, licence, enterprise, enterprise_user, window_clerk, time_machine
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    came = services.appointment_book(
        slot=_slot(window, 2026, 11, 3, 9, 0),
        enterprise=enterprise,
        item=licence,
        by=enterprise_user,
    )
    missed = services.appointment_book(
        slot=_slot(window, 2026, 11, 3, 10, 0),
        enterprise=enterprise,
        item=licence,
        by=enterprise_user,
    )
    time_machine.move_to(at(2026, 11, 2, 10, 30), tick=False)  # both within a day now
    assert services.send_reminders() == 2
    assert services.send_reminders() == 0  # once
    assert (
        Notification.objects.filter(user=enterprise_user, key__startswith="appointment:").count()
        == 2
    )
    with pytest.raises(ValidationError):  # check-in is on the day
        services.appointment_check_in(appointment=came, by=window_clerk)
    time_machine.move_to(at(2026, 11, 3, 8, 55), tick=False)
    with pytest.raises(PermissionDenied):
        services.appointment_check_in(appointment=came, by=enterprise_user)
    services.appointment_check_in(appointment=came, by=window_clerk)
    time_machine.move_to(at(2026, 11, 3, 11, 1), tick=False)
    assert services.record_no_shows() == 1
    assert services.record_no_shows() == 0
    missed.refresh_from_db()
    came.refresh_from_db()
    assert (came.state, missed.state) == ("checked_in", "no_show")
    calendar = Calendar.from_ical(services.calendar_file([came, missed]))
    events = calendar.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["营业执照（B01 企业开办专区）"] * 2
    assert events[0].decoded("dtstart") == at(2026, 11, 3, 9, 0)


def test_off_hours_slots_are_opened_by_the_window_on_request(
    window, window_clerk, enterprise_user, time_machine
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    with pytest.raises(PermissionDenied):
        services.slot_open_off_hours(
            window=window,
            starts_at=at(2026, 11, 7, 10),
            minutes=60,
            capacity=2,
            note="x",
            by=enterprise_user,
        )
    with pytest.raises(ValidationError):
        services.slot_open_off_hours(
            window=window,
            starts_at=at(2026, 11, 7, 10),
            minutes=60,
            capacity=2,
            note=" ",
            by=window_clerk,
        )
    with pytest.raises(ValidationError):  # within the coming year, not in 9999
        services.slot_open_off_hours(
            window=window,
            starts_at=dt.datetime(9999, 12, 31, 23, 30, tzinfo=dt.UTC),
            minutes=60,
            capacity=1,
            note="x",
            by=window_clerk,
        )
    slot = services.slot_open_off_hours(
        window=window,
        starts_at=at(2026, 11, 7, 10),
        minutes=60,
        capacity=2,
        note="海声尼克申请周六办理",
        by=window_clerk,
    )
    assert slot.off_hours and slot.ends_at == at(2026, 11, 7, 11)  # a Saturday
    with pytest.raises(ValidationError, match="已有"):
        services.slot_open_off_hours(
            window=window,
            starts_at=at(2026, 11, 7, 10, 30),
            minutes=30,
            capacity=1,
            note="重复",
            by=window_clerk,
        )


# --- agency -----------------------------------------------------------------------------------


@pytest.fixture
def seal(admin_user, approval, calendar):
    return _item(admin_user, approval, "S1", name="公章刻制")


def _authorise(enterprise, agent, by, items=(), project=None, **kwargs):
    return services.authorization_grant(
        enterprise=enterprise,
        agent=agent,
        scope="project" if project else "items",
        items=items,
        project=project,
        valid_from=kwargs.get("valid_from", dt.date(2026, 11, 1)),
        valid_until=kwargs.get("valid_until", dt.date(2026, 12, 31)),
        signatory="赵海",
        by=by,
    )


def test_an_agent_acts_only_within_scope_and_period(
    client, licence, seal, enterprise, enterprise_user, agent, other_enterprise, time_machine
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    with pytest.raises(ValidationError):  # only a zone agent may be authorised
        _authorise(enterprise, enterprise_user, enterprise_user, items=[licence])
    authorization = _authorise(enterprise, agent, enterprise_user, items=[licence])
    assert authorization.number == f"DB2026{authorization.pk:06d}"
    assert Notification.objects.filter(user=agent).count() == 1
    case = services.application_create(
        enterprise=enterprise, items=[licence], by=agent, channel="window"
    )
    assert (case.channel, case.authorization) == ("agent", authorization)
    with pytest.raises(ValidationError, match="授权范围"):
        services.application_create(enterprise=enterprise, items=[seal], by=agent, channel="agent")
    with pytest.raises(PermissionDenied):  # nobody else authorised this agent
        services.application_create(
            enterprise=other_enterprise, items=[licence], by=agent, channel="agent"
        )
    hand_in_materials(case, agent)
    services.application_submit(application=case, by=agent)
    # After revocation the agent can no longer act or even see the case.
    services.authorization_revoke(authorization=authorization, by=enterprise_user)
    case.refresh_from_db()
    assert not agent.has_perm("affairs.supply_application", case)
    with pytest.raises(ValidationError, match="撤销"):
        services.application_create(
            enterprise=enterprise, items=[licence], by=agent, channel="agent"
        )
    assert not Application.objects.restrict(agent).exists()
    # The enterprise sees what the agent did in its name.
    client.force_login(enterprise_user)
    page = client.get(f"/affairs/authorizations/{authorization.pk}/").content.decode()
    assert case.number in page and "王代办" in page


def test_an_authorisation_expires_and_a_project_scope_covers_any_item(
    licence, seal, enterprise, enterprise_user, agent, staff, time_machine
):
    from gaoxin.projects.services import project_create

    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    project = project_create(by=staff, data={"name": "智能终端项目", "enterprise": enterprise})
    authorization = _authorise(
        enterprise, agent, enterprise_user, project=project, valid_until=dt.date(2026, 11, 30)
    )
    with pytest.raises(ValidationError):  # project scope: the agent names the project
        services.application_create(enterprise=enterprise, items=[seal], by=agent, channel="agent")
    case = services.application_create(
        enterprise=enterprise, items=[seal, licence], by=agent, channel="agent", project=project
    )
    assert case.authorization == authorization and case.project == project
    time_machine.move_to(at(2026, 12, 1, 9), tick=False)
    with pytest.raises(ValidationError, match="过期"):
        services.application_create(
            enterprise=enterprise, items=[seal], by=agent, channel="agent", project=project
        )
    with pytest.raises(ValidationError):  # periods are checked
        _authorise(
            enterprise,
            agent,
            enterprise_user,
            items=[seal],
            valid_from=dt.date(2026, 12, 1),
            valid_until=dt.date(2028, 1, 1),
        )


# --- bundles ----------------------------------------------------------------------------------


@pytest.fixture
def company_setup(admin_user, approval, tax, licence, seal):
    """企业开办: the licence first, then seal, tax and social security in parallel."""
    invoice = _item(admin_user, tax, "T1", name="涉税事项及发票申领")
    social = _item(admin_user, approval, "SS1", name="社保登记")
    bundle = Bundle.objects.create(
        code="QYKB", name="企业开办一件事", promised_limit=1, promised_unit="working_days"
    )
    first = BundleStep.objects.create(bundle=bundle, order=1, item=licence)
    for order, item in enumerate([seal, invoice, social], start=2):
        BundleStep.objects.create(bundle=bundle, order=order, item=item).after.set([first])
    return bundle


def _approve_all(application, reviewers):
    services.application_accept(application=application, by=reviewers["clerk"])
    application.refresh_from_db()
    for review in application.reviews.all():
        services.review_decide(
            review=review, by=reviewers[review.department.code], decision="approved"
        )
    application.refresh_from_db()
    return application


@pytest.fixture
def reviewers(window_clerk, approval, tax):
    return {
        "clerk": window_clerk,
        "approval": UserFactory(username="approver", role="staff", department=approval),
        "tax": UserFactory(username="taxer", role="staff", department=tax),
    }


def test_a_bundle_opens_its_steps_in_order_and_is_timed_end_to_end(
    company_setup, enterprise, enterprise_user, reviewers, time_machine
):
    # Filed on Friday at 16:30; the promise is one working day (seven office hours).
    time_machine.move_to(at(2026, 11, 6, 16, 30), tick=False)
    run = services.bundle_file(bundle=company_setup, enterprise=enterprise, by=enterprise_user)
    assert run.number.startswith("YJS2026") and run.deadline == at(2026, 11, 9, 16, 30)
    (licence_case,) = run.cases.all()
    assert licence_case.state == "submitted" and licence_case.bundle_step.order == 1
    time_machine.move_to(at(2026, 11, 6, 16, 40), tick=False)
    licence_case = _approve_all(licence_case, reviewers)
    time_machine.move_to(at(2026, 11, 6, 16, 50), tick=False)
    assert licence_case.state == "approved"
    assert services.clock(licence_case)["used"] == 0  # decided within its 30 minutes
    others = list(run.cases.exclude(pk=licence_case.pk))
    assert sorted(a.bundle_step.order for a in others) == [2, 3, 4]
    assert all(a.state == "submitted" and a.channel == "online" for a in others)
    time_machine.move_to(at(2026, 11, 9, 15, 0), tick=False)  # Monday
    for application in others:
        _approve_all(application, reviewers)
    run.refresh_from_db()
    assert run.state == "done" and run.finished_at == at(2026, 11, 9, 15, 0)
    timing = services.bundle_clock(run)
    assert timing["used"] == 60 + 180 + 90 and timing["within"]


def test_a_rejected_step_stops_the_bundle(
    company_setup, enterprise, enterprise_user, reviewers, time_machine
):
    time_machine.move_to(at(2026, 11, 6, 10), tick=False)
    run = services.bundle_file(bundle=company_setup, enterprise=enterprise, by=enterprise_user)
    (licence_case,) = run.cases.all()
    services.application_accept(application=licence_case, by=reviewers["clerk"])
    review = licence_case.reviews.get()
    services.review_decide(
        review=review, by=reviewers["approval"], decision="rejected", reasons="名称不合规"
    )
    run.refresh_from_db()
    assert run.state == "stopped" and run.cases.count() == 1


def test_an_agent_files_a_bundle_within_its_authorisation(
    company_setup, enterprise, enterprise_user, agent, licence, reviewers, time_machine
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    _authorise(enterprise, agent, enterprise_user, items=[licence])
    with pytest.raises(ValidationError):  # the seal, tax and social security are not in scope
        services.bundle_file(bundle=company_setup, enterprise=enterprise, by=agent)
    authorization = _authorise(
        enterprise, agent, enterprise_user, items=[s.item for s in company_setup.steps.all()]
    )
    run = services.bundle_file(bundle=company_setup, enterprise=enterprise, by=agent)
    assert run.authorization == authorization
    # The enterprise revokes while the licence is reviewed: the bundle goes on as filed.
    services.authorization_revoke(authorization=authorization, by=enterprise_user)
    _approve_all(run.cases.get(), reviewers)
    assert run.cases.count() == 4
    assert set(run.cases.values_list("channel", flat=True)) == {"agent"}


# --- ratings ----------------------------------------------------------------------------------


def _closed_case(enterprise, enterprise_user, licence, reviewers):
    case = services.application_create(
        enterprise=enterprise, items=[licence], by=enterprise_user, channel="online"
    )
    hand_in_materials(case, enterprise_user)
    services.application_submit(application=case, by=enterprise_user)
    case = _approve_all(case, reviewers)
    return services.application_close(application=case, by=reviewers["clerk"])


def test_a_bad_rating_opens_a_remediation_the_enterprise_follows(
    client, licence, enterprise, enterprise_user, reviewers, approval, time_machine
):
    approval.head = reviewers["approval"]
    approval.save()
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    case = _closed_case(enterprise, enterprise_user, licence, reviewers)
    with pytest.raises(ValidationError):  # a bad rating says why
        services.rating_give(application=case, by=enterprise_user, level=2)
    with pytest.raises(PermissionDenied):
        services.rating_give(application=case, by=reviewers["clerk"], level=5)
    rating = services.rating_give(
        application=case, by=enterprise_user, level=2, reasons="窗口让我跑了两次"
    )
    with pytest.raises(ValidationError):
        services.rating_give(application=case, by=enterprise_user, level=5)
    remediation = rating.remediation
    assert remediation.department == approval
    assert remediation.due_on == dt.date(2026, 11, 23)  # fifteen working days
    assert Notification.objects.filter(
        user=reviewers["approval"], key__startswith="remediation"
    ).exists()
    taxer = reviewers["tax"]
    with pytest.raises(PermissionDenied):  # another department
        services.remediation_reply(remediation=remediation, by=taxer, reply="x")
    with pytest.raises(ValidationError):  # reply first
        services.remediation_visit(remediation=remediation, by=reviewers["approval"], notes="x")
    services.remediation_reply(
        remediation=remediation, by=reviewers["approval"], reply="已约谈窗口人员，推行一次告知"
    )
    services.remediation_visit(
        remediation=remediation, by=reviewers["approval"], notes="企业表示满意"
    )
    client.force_login(enterprise_user)
    page = client.get(f"/affairs/remediations/{remediation.pk}/").content.decode()
    assert "推行一次告知" in page and "企业表示满意" in page


def test_a_case_not_rated_in_time_counts_as_satisfied(
    licence, enterprise, enterprise_user, reviewers, time_machine
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    case = _closed_case(enterprise, enterprise_user, licence, reviewers)
    with pytest.raises(ValidationError):  # only closed cases are rated
        open_case = services.application_create(
            enterprise=enterprise, items=[licence], by=enterprise_user, channel="online"
        )
        services.rating_give(application=open_case, by=enterprise_user, level=5)
    time_machine.move_to(at(2026, 11, 9, 18), tick=False)  # the fifth working day: still open
    assert services.ratings_default() == 0
    time_machine.move_to(at(2026, 11, 10, 1), tick=False)
    assert services.ratings_default() == 1
    assert services.ratings_default() == 0
    rating = Rating.objects.get(application=case)
    assert rating.defaulted and rating.level == 4 and rating.by is None
    with pytest.raises(ValidationError):
        services.rating_give(application=case, by=enterprise_user, level=1, reasons="迟到的差评")


# --- one place per enterprise, and an agent's authority on every read and act -----------------


@pytest.mark.django_db(transaction=True)
def test_one_enterprises_five_requests_at_once_take_one_place(
    window, licence, enterprise, enterprise_user, time_machine
):
    from tests.test_reliability import run_together

    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    slot = _slot(window, 2026, 11, 3, 9, 0, capacity=5)

    def book():
        return services.appointment_book(
            slot=slot, enterprise=enterprise, item=licence, by=enterprise_user
        )

    results = run_together(*[book] * 5)
    booked = [r for r in results if isinstance(r, Appointment)]
    assert len(booked) == 1, results
    assert all(isinstance(r, ValidationError) for r in results if r not in booked)
    assert Appointment.objects.filter(slot=slot, state="booked").count() == 1
    assert Slot.objects.get(pk=slot.pk).booked == 1


def test_the_database_refuses_a_second_place_for_one_enterprise(
    window, licence, enterprise, enterprise_user, time_machine
):
    from django.db import IntegrityError, transaction

    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    slot = _slot(window, 2026, 11, 3, 9, 0, capacity=5)
    first = services.appointment_book(
        slot=slot, enterprise=enterprise, item=licence, by=enterprise_user
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            number="X1", slot=slot, enterprise=enterprise, item=licence, booked_by=enterprise_user
        )
    services.appointment_cancel(appointment=first, by=enterprise_user)
    again = services.appointment_book(
        slot=slot, enterprise=enterprise, item=licence, by=enterprise_user
    )
    assert again.state == "booked"  # a cancelled place does not hold the slot


def test_a_revoked_agent_is_refused_on_cancel_move_and_read(
    client, window, licence, seal, company_setup, enterprise, enterprise_user, agent, time_machine
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    authorization = _authorise(
        enterprise, agent, enterprise_user, items=[s.item for s in company_setup.steps.all()]
    )
    first, second = _slot(window, 2026, 11, 4, 9, 0), _slot(window, 2026, 11, 4, 10, 0)
    appointment = services.appointment_book(
        slot=first, enterprise=enterprise, item=licence, by=agent
    )
    run = services.bundle_file(bundle=company_setup, enterprise=enterprise, by=agent)
    case = run.cases.get()
    client.force_login(agent)
    for url in (
        f"/affairs/appointments/{appointment.pk}/",
        f"/affairs/bundle-cases/{run.pk}/",
        f"/affairs/applications/{case.pk}/",
    ):
        assert client.get(url).status_code == 200, url
    services.authorization_revoke(authorization=authorization, by=enterprise_user)
    with pytest.raises(ValidationError, match="撤销"):
        services.appointment_cancel(appointment=appointment, by=agent)
    with pytest.raises(ValidationError, match="撤销"):
        services.appointment_reschedule(appointment=appointment, slot=second, by=agent)
    assert Appointment.objects.get(pk=appointment.pk).state == "booked"
    assert Slot.objects.get(pk=second.pk).booked == 0
    for url in (
        f"/affairs/appointments/{appointment.pk}/",
        f"/affairs/appointments/{appointment.pk}/calendar.ics",
        f"/affairs/bundle-cases/{run.pk}/",
        f"/affairs/applications/{case.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert not Appointment.objects.restrict(agent).exists()
    # What it did stays on the record, on behalf of the enterprise.
    client.force_login(enterprise_user)
    page = client.get(f"/affairs/authorizations/{authorization.pk}/").content.decode()
    assert case.number in page
