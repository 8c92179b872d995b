"""Space: units let without overlap, occupancy and vacancy as of a date, expiring leases,
incubator graduates, and the vacant units that fit a project's needs."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.core.models import AuditEntry
from gaoxin.projects.services import project_create
from gaoxin.spaces import selectors, services
from gaoxin.spaces.selectors import Need
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def factory_park(staff):
    building = services.building_create(
        by=staff, data={"name": "高新区智能制造产业园1号厂房", "kind": "factory"}
    )
    units = [
        services.unit_create(
            building=building,
            by=staff,
            data={
                "number": number,
                "area_m2": Decimal(area),
                "floor_load_kn_m2": Decimal(load),
                "power_kva": power,
                "clear_height_m": Decimal(height),
                "features": features,
            },
        )
        for number, area, load, power, height, features in [
            ("A1", "1200", "30", 800, "9", "行车 5吨"),
            ("A2", "1500", "15", 400, "6", ""),
            ("A3", "3000", "30", 1250, "12", "行车 10吨"),
            ("A4", "1000", "30", 800, "9", ""),
        ]
    ]
    return building, units


@pytest.fixture
def offices(staff):
    building = services.building_create(by=staff, data={"name": "科创大厦", "kind": "office"})
    return building, [
        services.unit_create(
            building=building, by=staff, data={"number": f"{n}01", "floor": n, "area_m2": 500}
        )
        for n in (5, 6)
    ]


def _let(unit, enterprise, staff, start, end, rent="18"):
    return services.lease_create(
        unit=unit,
        enterprise=enterprise,
        starts_on=start,
        ends_on=end,
        rent_m2_month=Decimal(rent),
        by=staff,
    )


def test_a_unit_is_never_let_twice_on_the_same_day(
    factory_park, enterprise, other_enterprise, staff, enterprise_user
):
    _building, (a1, *_rest) = factory_park
    lease = _let(a1, enterprise, staff, D(2026, 1, 1), D(2028, 12, 31))
    with pytest.raises(ValidationError, match=enterprise.name):
        _let(a1, other_enterprise, staff, D(2027, 6, 1), D(2029, 5, 31))
    with pytest.raises(ValidationError):
        _let(a1, other_enterprise, staff, D(2029, 1, 1), D(2028, 1, 1))  # end before start
    with pytest.raises(PermissionDenied):
        _let(a1, other_enterprise, enterprise_user, D(2029, 1, 1), D(2030, 1, 1))
    # Ended early, the unit is free from the next day.
    services.lease_terminate(lease=lease, on=D(2027, 5, 31), by=staff, expected_version=1)
    _let(a1, other_enterprise, staff, D(2027, 6, 1), D(2029, 5, 31))
    assert AuditEntry.objects.filter(content_type__model="lease").count() == 3


def test_occupancy_and_vacancy_as_of_a_date(
    factory_park, offices, enterprise, other_enterprise, staff
):
    _f, (a1, _a2, a3, _a4) = factory_park
    _o, (o5, _o6) = offices
    _let(a1, enterprise, staff, D(2025, 1, 1), D(2026, 6, 30))
    _let(a3, other_enterprise, staff, D(2026, 3, 1), D(2031, 2, 28))
    _let(o5, enterprise, staff, D(2026, 1, 1), D(2026, 12, 31))
    rows = {r.kind: r for r in selectors.occupancy(D(2026, 4, 1))}
    factory = rows["factory"]
    assert (factory.units, factory.let_units, factory.vacant_units) == (4, 2, 2)
    assert (factory.area, factory.let_area) == (Decimal(6700), Decimal(4200))
    assert factory.rate == 62.7
    assert (rows["office"].let_units, rows["office"].rate) == (1, 50.0)
    later = {r.kind: r for r in selectors.occupancy(D(2026, 7, 1))}
    assert later["factory"].let_area == Decimal(3000)  # A1's lease ended on 30 June
    expiring = list(selectors.expiring(D(2026, 5, 1), within_days=90))
    assert [lease.unit for lease in expiring] == [a1]


def test_space_matching_lists_vacant_units_that_fit(factory_park, enterprise, staff):
    _f, (a1, _a2, a3, a4) = factory_park
    _let(a4, enterprise, staff, D(2026, 1, 1), D(2027, 12, 31))
    need = Need(kind="factory", area_m2=Decimal(1000), floor_load_kn_m2=Decimal(20), power_kva=600)
    # A4 is let; A2's floor is too weak; A3 is more than half as large again; A1 fits.
    assert list(selectors.matching_units(need, D(2026, 11, 1))) == [a1]
    # A lease starting next month takes A1 out of the match too.
    _let(a1, enterprise, staff, D(2026, 12, 1), D(2027, 11, 30))
    assert list(selectors.matching_units(need, D(2026, 11, 1))) == []
    crane = Need(kind="factory", area_m2=Decimal(2500), features="行车")
    assert list(selectors.matching_units(crane, D(2026, 11, 1))) == [a3]


def test_an_incubator_tenant_graduates(staff, enterprise, other_enterprise, factory_park):
    incubator = services.building_create(
        by=staff, data={"name": "日照高新区创业孵化中心", "kind": "incubator"}
    )
    room = services.unit_create(building=incubator, by=staff, data={"number": "301", "area_m2": 80})
    desk = services.unit_create(building=incubator, by=staff, data={"number": "302", "area_m2": 60})
    grown = _let(room, enterprise, staff, D(2024, 3, 1), D(2027, 2, 28), rent="0")
    _let(desk, other_enterprise, staff, D(2025, 9, 1), D(2027, 8, 31), rent="0")
    services.lease_terminate(
        lease=grown, on=D(2026, 5, 31), by=staff, graduated=True, expected_version=1
    )
    assert [
        lease.enterprise for lease in selectors.incubator_tenants(incubator, D(2026, 6, 1))
    ] == [other_enterprise]
    assert [
        lease.enterprise for lease in selectors.graduates(incubator, D(2026, 1, 1), D(2026, 6, 30))
    ] == [enterprise]
    _f, (a1, *_r) = factory_park
    factory_lease = _let(a1, enterprise, staff, D(2026, 6, 1), D(2029, 5, 31))
    with pytest.raises(ValidationError):  # only incubators have graduates
        services.lease_terminate(
            lease=factory_lease, on=D(2027, 1, 1), by=staff, graduated=True, expected_version=1
        )


def test_pages_show_the_rent_to_staff_only_and_let_only_departments_let(
    client, factory_park, enterprise, other_enterprise, enterprise_user, staff
):
    _f, (a1, a2, *_r) = factory_park
    own = _let(a1, enterprise, staff, D(2026, 1, 1), D(2028, 12, 31), rent="21.50")
    _let(a2, other_enterprise, staff, D(2026, 1, 1), D(2028, 12, 31), rent="19.00")
    client.force_login(staff)
    page = client.get(f"/spaces/units/{a1.pk}/").content.decode()
    assert "21.50" in page and 'data-testid="lease-form"' in page
    client.force_login(enterprise_user)
    own_page = client.get(f"/spaces/units/{a1.pk}/").content.decode()
    assert enterprise.name in own_page and "21.50" not in own_page  # its lease, not the rent
    other_page = client.get(f"/spaces/units/{a2.pk}/").content.decode()
    assert other_enterprise.name not in other_page and "19.00" not in other_page
    building = client.get(f"/spaces/buildings/{a1.building_id}/").content.decode()
    assert other_enterprise.name not in building and enterprise.name in building
    refused = client.post(
        f"/spaces/units/{a2.pk}/",
        {
            "enterprise": enterprise.pk,
            "starts_on": "2030-01-01",
            "ends_on": "2030-12-31",
            "rent_m2_month": "1",
        },
    )
    assert refused.status_code == 403
    stranger = UserFactory(username="stranger", role="enterprise", enterprise=other_enterprise)
    client.force_login(stranger)
    assert enterprise.name not in client.get(f"/spaces/units/{a1.pk}/").content.decode()
    assert own.version == 1


def test_a_lease_by_page_and_matching_from_a_project(client, factory_park, enterprise, staff):
    _f, (a1, _a2, _a3, _a4) = factory_park
    client.force_login(staff)
    clash = client.post(
        f"/spaces/units/{a1.pk}/",
        {
            "enterprise": enterprise.pk,
            "starts_on": "2026-01-01",
            "ends_on": "2025-12-31",
            "rent_m2_month": "18",
        },
    )
    assert clash.status_code == 400
    made = client.post(
        f"/spaces/units/{a1.pk}/",
        {
            "enterprise": enterprise.pk,
            "starts_on": "2026-01-01",
            "ends_on": "2030-12-31",
            "rent_m2_month": "18",
        },
    )
    assert made.status_code == 302 and a1.leases.count() == 1
    project = project_create(
        by=staff, data={"name": "精密部件项目", "enterprise": enterprise, "space_need_m2": 1300}
    )
    page = client.get(f"/spaces/match/?project={project.pk}").content.decode()
    assert "1300" in page
    found = client.get("/spaces/match/?kind=factory&area_m2=1300").content.decode()
    matches = found.split('data-testid="matches"')[1]
    assert "A2" in matches and "A1" not in matches  # A1 is let; A2 (1500 m²) fits


def test_dates_beyond_the_calendar_are_refused_not_a_server_error(client, staff, factory_park):
    client.force_login(staff)
    assert client.get("/spaces/?on=9999-12-31").status_code == 200  # shows today
    refused = client.get("/spaces/match/?kind=factory&area_m2=100&on=9999-12-31")
    assert refused.status_code == 400 and "2999-12-31" in refused.content.decode()
