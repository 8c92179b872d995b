"""投产达效 on other apps' pages: the cockpit's 亩均税收 and class tiles, the battle map by class,
the enterprise profile's class history, and the ledger's energy and R&D figures."""

from decimal import Decimal

import pytest

from gaoxin.cockpit.models import ZoneMap
from gaoxin.delivery import services
from gaoxin.delivery.tests.zone import THREE, D, months, place, plot, project
from gaoxin.dispatch.models import LedgerEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(admin_user, enterprise):
    p = project(enterprise, producing_on=D(2020, 1, 1))
    place(p, plot("A-01", "20"))
    months(p, 2025, admin_user, output="250", tax="25", rd="5")
    services.evaluation_year_set(
        year=2025, cut_a=110, cut_b=80, cut_c=50, indicators=THREE, by=admin_user
    )
    evaluation = services.evaluation_compute(year=2025, by=admin_user)
    return services.evaluation_publish(evaluation=evaluation, by=admin_user)


def test_the_cockpit_shows_tax_per_mu_and_the_classes_with_their_lists(client, leader, published):
    client.force_login(leader)
    page = client.get("/cockpit/?start=2026-01-01&end=2026-06-30").content.decode()
    assert 'data-testid="tile-tax-per-mu"' in page
    assert ">15.00<" in page  # 300 tax over 20 mu
    assert f"/delivery/evaluation/{published.pk}/?klass=A" in page


def test_the_battle_map_colours_plots_by_class(client, leader, published):
    ZoneMap.objects.create(
        name="zone",
        geojson={
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"code": "A-01", "name": "A-01"},
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]],
                    },
                }
            ],
        },
    )
    client.force_login(leader)
    page = client.get("/cockpit/map/?colour=class").content.decode()
    assert '"areaColor": "#2fb344"' in page or "#2fb344" in page  # class A is green
    assert 'data-testid="colour-class"' in page


def test_the_enterprise_profile_shows_its_class_history(client, enterprise_user, published):
    client.force_login(enterprise_user)
    page = client.get(f"/enterprises/{enterprise_user.enterprise_id}/").content.decode()
    assert 'data-testid="class-history"' in page and 'data-klass="A"' in page


def test_the_ledger_form_takes_energy_and_rd_and_keeps_empty_as_not_reported(
    client, staff, enterprise
):
    p = project(enterprise, producing_on=D(2024, 1, 1))
    client.force_login(staff)
    url = f"/dispatch/ledger/projects/{p.pk}/"
    base = {"month": "2025-01", "output_value": "100", "tax": "6", "employees": "50"}
    assert client.post(url, base | {"investment_completed": "0"}).status_code == 302
    assert (
        client.post(
            url,
            base
            | {
                "month": "2025-02",
                "investment_completed": "0",
                "energy_tce": "40",
                "rd_spending": "3",
            },
        ).status_code
        == 302
    )
    jan, feb = LedgerEntry.objects.filter(project=p).order_by("month")
    assert (jan.energy_tce, jan.rd_spending) == (None, None)
    assert (feb.energy_tce, feb.rd_spending) == (Decimal("40.00"), Decimal("3.00"))
