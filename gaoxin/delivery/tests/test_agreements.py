"""Investment agreements: each kind of promise's status on the work calendar, the zone's late
land delivery moving the enterprise's dependent deadline, amendments as versions, alerts."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.core.models import AuditEntry, Notification
from gaoxin.delivery import services, watch
from gaoxin.delivery.models import TermKind, TermStatus
from gaoxin.delivery.tests.zone import D, months, project
from gaoxin.projects.models import MoneyEntry, MoneyKind

pytestmark = pytest.mark.django_db

VERSION = {
    "signed_on": D(2025, 1, 1),
    "total_investment": "20000",
    "fixed_asset_investment": "15000",
    "land_area_mu": "50",
    "breach_clauses": "逾期开工超过6个月的，管委会有权收回土地。",
}


@pytest.fixture
def producer(enterprise, steward, department):
    return project(enterprise, name="硅麦芯片项目", steward=steward, department=department)


def _agree(producer, by, terms, number="RZGX-2025-001", **version):
    return services.agreement_create(
        project=producer,
        number=number,
        title="硅麦芯片项目投资协议",
        version=VERSION | version,
        terms=terms,
        by=by,
    )


def _states(agreement, day):
    (item,) = watch.watch([agreement], day)
    return {s.term.kind: s for s in item.states}


def test_a_due_date_on_a_holiday_moves_to_the_next_working_day(calendar, producer, staff):
    # 1 October 2025 is National Day: the start is due on the first working day after it.
    agreement = _agree(producer, staff, [{"kind": "start", "due_on": D(2025, 10, 1)}])
    project_start = D(2025, 10, 9)
    producer.events.create(stage="under_construction", on=project_start)
    state = _states(agreement, D(2025, 11, 3))[TermKind.START]
    assert state.due == D(2025, 10, 9) and state.certain
    assert state.status == TermStatus.KEPT


def test_the_zones_late_land_delivery_moves_the_dependent_start(calendar, producer, staff):
    agreement = _agree(
        producer,
        staff,
        [
            {"kind": "land_delivery", "due_on": D(2025, 3, 3)},
            {"kind": "start", "due_on": D(2025, 6, 3), "depends_on": "land_delivery"},
        ],
    )
    land = agreement.versions.get().terms.get(kind="land_delivery")
    services.term_fulfil(term=land, on=D(2025, 3, 17), by=staff)  # ten working days late
    producer.events.create(stage="under_construction", on=D(2025, 6, 16))
    states = _states(agreement, D(2025, 7, 1))
    zone = states[TermKind.LAND_DELIVERY]
    assert (zone.status, zone.gap) == (TermStatus.BROKEN, 10)
    start = states[TermKind.START]
    # 3 June + 10 working days = 17 June: the start on 16 June is on time.
    assert (start.due, start.excused_days, start.status) == (D(2025, 6, 17), 10, TermStatus.KEPT)
    (item,) = watch.watch([agreement], D(2025, 7, 1))
    assert item.status == TermStatus.KEPT and item.zone_status == TermStatus.BROKEN


def test_land_not_yet_delivered_keeps_moving_the_start(calendar, producer, staff):
    agreement = _agree(
        producer,
        staff,
        [
            {"kind": "land_delivery", "due_on": D(2025, 3, 3)},
            {"kind": "start", "due_on": D(2025, 3, 10), "depends_on": "land_delivery"},
        ],
    )
    state = _states(agreement, D(2025, 3, 7))[TermKind.START]  # four working days late so far
    assert (state.excused_days, state.due) == (4, D(2025, 3, 14))
    assert state.status == TermStatus.AT_RISK  # due soon and the land is not there


def test_date_promises_broken_due_soon_and_at_risk(calendar, producer, staff):
    agreement = _agree(
        producer,
        staff,
        [
            {"kind": "start", "due_on": D(2025, 9, 1)},
            {"kind": "production", "due_on": D(2025, 11, 20)},
            {"kind": "completion", "due_on": D(2026, 6, 30)},
        ],
    )
    states = _states(agreement, D(2025, 11, 3))
    start = states[TermKind.START]
    # Not started: overdue by the working days from 1 September to 3 November (holidays out).
    assert start.status == TermStatus.BROKEN and start.gap == 41
    assert states[TermKind.PRODUCTION].status == TermStatus.AT_RISK  # not even started
    assert states[TermKind.COMPLETION].status == TermStatus.ON_TRACK
    producer.events.create(stage="under_construction", on=D(2025, 10, 20))
    states = _states(agreement, D(2025, 11, 3))
    assert states[TermKind.START].status == TermStatus.BROKEN  # started late stays broken
    # 21 weekdays after 1 September + Sunday 28 September (调休) + 9, 10, 11 (Saturday,
    # 调休) October + 13–17 October + 20 October = 31 working days late.
    assert states[TermKind.START].gap == 31
    production = states[TermKind.PRODUCTION]
    assert (production.status, production.gap) == (TermStatus.DUE_SOON, 13)


def test_investment_behind_the_straight_line_is_at_risk_and_short_at_the_date_broken(
    calendar, producer, staff
):
    agreement = _agree(
        producer,
        staff,
        [
            {"kind": "investment", "due_on": D(2025, 12, 31), "target": "10000"},
            {"kind": "intensity", "due_on": D(2025, 12, 31), "target": "200"},
        ],
    )
    MoneyEntry.objects.create(
        project=producer, kind=MoneyKind.INVESTMENT_COMPLETED, on=D(2025, 6, 1), amount=4000
    )
    states = _states(agreement, D(2025, 7, 2))  # half the time gone, 40 % invested
    assert states[TermKind.INVESTMENT].status == TermStatus.AT_RISK
    assert states[TermKind.INVESTMENT].gap == Decimal("6000.00")
    assert states[TermKind.INTENSITY].actual == Decimal("80.00")  # 4000 ÷ 50 mu
    MoneyEntry.objects.create(
        project=producer, kind=MoneyKind.INVESTMENT_COMPLETED, on=D(2025, 12, 1), amount=5000
    )
    MoneyEntry.objects.create(  # after the date: does not count
        project=producer, kind=MoneyKind.INVESTMENT_COMPLETED, on=D(2026, 1, 2), amount=2000
    )
    states = _states(agreement, D(2026, 1, 5))
    assert (states[TermKind.INVESTMENT].status, states[TermKind.INVESTMENT].gap) == (
        TermStatus.BROKEN,
        Decimal("1000.00"),
    )
    assert states[TermKind.INTENSITY].gap == Decimal("20.00")  # 180 of 200 per mu


def test_yearly_figures_from_the_last_twelve_ledger_months(calendar, producer, staff):
    agreement = _agree(
        producer,
        staff,
        [
            {"kind": "tax_per_mu", "due_on": D(2024, 1, 1), "target": "20"},
            {"kind": "output_per_mu", "due_on": D(2024, 1, 1), "target": "300"},
            {"kind": "headcount", "due_on": D(2025, 6, 1), "target": "150"},
        ],
    )
    for year in (2024, 2025):
        months(producer, year, staff, output="1500", tax="50", employees=120)
    states = _states(agreement, D(2025, 11, 3))  # Nov 2024 – Oct 2025
    # Tax 600 over 50 mu = 12 per mu, 8 short, a full year under the promise: broken.
    assert (states[TermKind.TAX_PER_MU].status, states[TermKind.TAX_PER_MU].gap) == (
        TermStatus.BROKEN,
        Decimal("8.00"),
    )
    # Output 18000 over 50 mu = 360 per mu against 300: kept.
    assert states[TermKind.OUTPUT_PER_MU].status == TermStatus.KEPT
    assert states[TermKind.OUTPUT_PER_MU].actual == Decimal("360.00")
    # 120 employees against 150, promised only from June 2025: at risk, not yet broken.
    headcount = states[TermKind.HEADCOUNT]
    assert (headcount.status, headcount.gap) == (TermStatus.AT_RISK, Decimal("30.00"))


def test_missing_ledger_months_leave_a_yearly_promise_unknown(calendar, producer, staff):
    agreement = _agree(
        producer, staff, [{"kind": "tax_per_mu", "due_on": D(2024, 1, 1), "target": "20"}]
    )
    months(producer, 2025, staff, output="1000", tax="50", skip={2, 3})
    state = _states(agreement, D(2025, 11, 3))[TermKind.TAX_PER_MU]
    assert state.status == TermStatus.UNKNOWN
    assert state.missing == ["2024-11", "2024-12", "2025-02", "2025-03"]


def test_an_amendment_is_a_new_version_and_keeps_the_recorded_dates(calendar, producer, staff):
    agreement = _agree(
        producer,
        staff,
        [
            {"kind": "land_delivery", "due_on": D(2025, 3, 3)},
            {"kind": "start", "due_on": D(2025, 6, 3), "depends_on": "land_delivery"},
        ],
    )
    land = agreement.versions.get().terms.get(kind="land_delivery")
    services.term_fulfil(term=land, on=D(2025, 3, 17), by=staff)
    with pytest.raises(ValidationError):
        services.agreement_amend(
            agreement=agreement,
            expected_version=agreement.version,
            reason="",
            version=VERSION,
            terms=[],
            by=staff,
        )
    v2 = services.agreement_amend(
        agreement=agreement,
        expected_version=agreement.version,
        reason="企业申请延期开工，经管委会研究同意",
        version=VERSION | {"land_area_mu": "60"},
        terms=[
            {"kind": "land_delivery", "due_on": D(2025, 3, 3)},
            {"kind": "start", "due_on": D(2025, 9, 1), "depends_on": "land_delivery"},
        ],
        by=staff,
    )
    agreement.refresh_from_db()
    assert (agreement.current_version, v2.number) == (2, 2)
    assert v2.terms.get(kind="land_delivery").fulfilled_on == D(2025, 3, 17)
    assert agreement.versions.get(number=1).terms.get(kind="start").due_on == D(2025, 6, 3)
    assert (
        AuditEntry.objects.filter(
            content_type__model="agreement", object_id=str(agreement.pk)
        ).count()
        == 2
    )


def test_bad_agreements_are_refused_and_change_nothing(producer, staff, enterprise_user):
    with pytest.raises(ValidationError) as error:
        _agree(
            producer,
            staff,
            [
                {"kind": "investment", "due_on": D(2025, 12, 31)},
                {"kind": "start", "due_on": D(2025, 6, 3), "depends_on": "land_delivery"},
            ],
            fixed_asset_investment="30000",
        )
    errors = error.value.message_dict
    assert "fixed_asset_investment" in errors
    with pytest.raises(PermissionDenied):
        _agree(producer, enterprise_user, [{"kind": "start", "due_on": D(2025, 6, 3)}])
    assert not producer.agreements.exists()


def test_alerts_reach_the_steward_and_the_department_once_per_status(
    calendar, producer, staff, steward
):
    _agree(producer, staff, [{"kind": "start", "due_on": D(2025, 9, 1)}])
    assert services.send_alerts(day=D(2025, 11, 3)) == 2
    assert services.send_alerts(day=D(2025, 11, 4)) == 0  # already told of this breach
    titles = set(Notification.objects.values_list("user__username", "title"))
    assert {u for u, _t in titles} == {staff.username, steward.username}
    assert all("Broken" in t or "违约" in t for _u, t in titles)


def test_the_watch_reads_a_fixed_number_of_queries_whatever_the_agreements(
    calendar, enterprise, staff, django_assert_num_queries
):
    from gaoxin.delivery.models import Agreement

    for n in range(6):
        p = project(enterprise, name=f"项目{n}", started_on=D(2025, 3, 1))
        _agree(
            p,
            staff,
            [
                {"kind": "land_delivery", "due_on": D(2025, 1, 20)},
                {"kind": "start", "due_on": D(2025, 3, 3), "depends_on": "land_delivery"},
                {"kind": "tax_per_mu", "due_on": D(2025, 1, 1), "target": "10"},
            ],
            number=f"N-{n}",
        )
    watch.watch(Agreement.objects.all()[:1], D(2025, 7, 1))  # the calendar is cached now
    # versions, terms, their dependencies; stage events, money, ledger; the agreements
    with django_assert_num_queries(7):
        items = watch.watch(Agreement.objects.all(), D(2025, 7, 1))
    assert len(items) == 6
