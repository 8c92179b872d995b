"""The space pages' actions through small forms: a unit comes back with its errors next to the
fields, a lease's last day is checked by the form before the service ends it."""

import datetime as dt
from decimal import Decimal

import pytest

from gaoxin.spaces import services
from gaoxin.spaces.models import Lease, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def building(staff):
    return services.building_create(by=staff, data={"name": "科创大厦", "kind": "incubator"})


@pytest.fixture
def lease(building, staff, enterprise):
    unit = services.unit_create(
        building=building, by=staff, data={"number": "501", "floor": 5, "area_m2": 500}
    )
    return services.lease_create(
        unit=unit,
        enterprise=enterprise,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2028, 12, 31),
        rent_m2_month=Decimal(18),
        by=staff,
    )


def test_a_unit_without_its_area_comes_back_with_the_error_at_the_field(client, staff, building):
    client.force_login(staff)
    response = client.post(f"/spaces/buildings/{building.pk}/", {"number": "601", "floor": "6"})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'data-field-error="area_m2"' in page and 'value="601"' in page
    assert not Unit.objects.exists()
    made = client.post(
        f"/spaces/buildings/{building.pk}/", {"number": "601", "floor": "6", "area_m2": "450"}
    )
    assert made.status_code == 302 and Unit.objects.get().area_m2 == Decimal(450)


def test_an_enterprise_adds_no_unit(client, enterprise_user, building):
    client.force_login(enterprise_user)
    response = client.post(
        f"/spaces/buildings/{building.pk}/", {"number": "601", "floor": "6", "area_m2": "450"}
    )
    assert response.status_code == 403 and not Unit.objects.exists()


@pytest.mark.parametrize("day", ["", "2026-13-01", "9999-12-31"])
def test_a_lease_is_not_ended_on_a_day_that_is_no_date(client, staff, lease, day):
    client.force_login(staff)
    response = client.post(
        f"/spaces/leases/{lease.pk}/terminate/", {"on": day, "version": lease.version}, follow=True
    )
    assert "请填写退租日期" in response.content.decode()
    assert Lease.objects.get(pk=lease.pk).terminated_on is None


def test_an_incubator_tenant_graduates_through_the_page(client, staff, lease):
    client.force_login(staff)
    response = client.post(
        f"/spaces/leases/{lease.pk}/terminate/",
        {"on": "2026-06-30", "version": lease.version, "graduated": "on"},
    )
    lease.refresh_from_db()
    assert response.status_code == 302
    assert (lease.terminated_on, lease.graduated) == (dt.date(2026, 6, 30), True)


def test_a_stale_version_does_not_end_the_lease(client, staff, lease):
    client.force_login(staff)
    response = client.post(
        f"/spaces/leases/{lease.pk}/terminate/",
        {"on": "2026-06-30", "version": lease.version + 5},
        follow=True,
    )
    assert response.status_code == 200
    assert Lease.objects.get(pk=lease.pk).terminated_on is None
