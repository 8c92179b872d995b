"""Visits and liaison: the plan, a visit raising appeals through dispatch's appeal service, the
enterprises gone without contact, coverage per liaison and department."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gaoxin.dispatch.models import AppealChannel, Problem
from gaoxin.visits import selectors, services
from gaoxin.visits.models import PlannedVisit, Visit
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cared(staff):
    return EnterpriseFactory.create_batch(3, liaison=staff)


def test_the_yearly_plan_spreads_the_rules_visits(cared, staff):
    assert services.plan_generate(liaison=staff, year=2026, by=staff) == 3 * 4
    assert services.plan_generate(liaison=staff, year=2026, by=staff) == 0  # kept, not doubled
    days = sorted(
        set(PlannedVisit.objects.filter(liaison=staff).values_list("planned_on", flat=True))
    )
    assert days[0] == dt.date(2026, 1, 15) and len(days) == 4


def test_a_visit_raises_appeals_through_the_appeal_service(cared, staff, department):
    services.plan_generate(liaison=staff, year=timezone.localdate().year, by=staff)
    visit = services.visit_record(
        enterprise=cared[0],
        by=staff,
        visited_on=timezone.localdate(),
        kind="on_site",
        notes="了解扩产计划",
        appeals=[
            {
                "category": "land",
                "title": "扩产用地需求30亩",
                "description": "二期项目需新增用地",
                "department": department,
            }
        ],
    )
    appeal = visit.appeals.get()
    assert appeal.channel == AppealChannel.VISIT and appeal.enterprise == cared[0]
    assert appeal.project is None and appeal.state == "submitted"
    assert PlannedVisit.objects.filter(visit=visit).count() == 1


def test_a_bad_visit_changes_nothing(cared, staff, enterprise_user):
    with pytest.raises(ValidationError):
        services.visit_record(
            enterprise=cared[0],
            by=staff,
            visited_on=timezone.localdate() + dt.timedelta(days=1),
            kind="on_site",
            notes="x",
        )
    with pytest.raises(ValidationError):  # a bad appeal rolls the visit back too
        services.visit_record(
            enterprise=cared[0],
            by=staff,
            visited_on=timezone.localdate(),
            kind="on_site",
            notes="x",
            appeals=[{"category": "weather", "title": "t", "description": "d"}],
        )
    with pytest.raises(PermissionDenied):
        services.visit_record(
            enterprise=cared[0],
            by=enterprise_user,
            visited_on=timezone.localdate(),
            kind="phone",
            notes="x",
        )
    assert not Visit.objects.exists() and not Problem.objects.exists()


def test_no_contact_for_n_days(cared, staff):
    today = dt.date(2026, 12, 1)
    Visit.objects.create(
        enterprise=cared[0],
        visited_by=staff,
        visited_on=today - dt.timedelta(days=10),
        kind="phone",
        notes="x",
    )
    Visit.objects.create(
        enterprise=cared[1],
        visited_by=staff,
        visited_on=today - dt.timedelta(days=200),
        kind="phone",
        notes="x",
    )
    found = selectors.no_contact(liaison=staff, today=today, days=90)
    assert [e.pk for e in found] == [cared[2].pk, cared[1].pk]  # never visited first


def test_coverage_per_liaison_and_department(cared, staff, department):
    for day in (1, 2, 3, 4):
        Visit.objects.create(
            enterprise=cared[0],
            visited_by=staff,
            visited_on=dt.date(2026, day, 1),
            kind="phone",
            notes="x",
        )
    Visit.objects.create(
        enterprise=cared[1],
        visited_by=staff,
        visited_on=dt.date(2026, 5, 1),
        kind="phone",
        notes="x",
    )
    (row,) = selectors.coverage(year=2026, by="liaison")
    assert (row.enterprises, row.visited, row.met_plan, row.visits) == (3, 2, 1, 5)
    assert row.visited_pct == 66.7
    (by_department,) = selectors.coverage(year=2026, by="department")
    assert by_department.label == department.name
