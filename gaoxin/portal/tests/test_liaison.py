"""The liaison officer's desk (驻企联络员): its enterprises gone without contact for the zone's
N days, never-visited first, as counts that open the visits page filtered to exactly them."""

import datetime as dt

import pytest
from django.utils import timezone

from gaoxin.visits import services as visits
from gaoxin.visits.selectors import visit_rules
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cared_for(staff):
    """Three enterprises in the staff member's care: visited lately, long ago, never."""
    today = timezone.localdate()
    days = visit_rules().no_contact_days
    lately, long_ago, never = (
        EnterpriseFactory(name=name, liaison=staff)
        for name in ("日照近访科技有限公司", "日照久未走访机械有限公司", "日照从未走访医药有限公司")
    )
    EnterpriseFactory(name="别人包联的企业", liaison=None)
    for enterprise, ago in ((lately, 3), (long_ago, days + 20)):
        visits.visit_record(
            enterprise=enterprise,
            by=staff,
            visited_on=today - dt.timedelta(days=ago),
            kind="on_site",
            notes="走访",
        )
    return lately, long_ago, never


def test_the_liaison_home_counts_its_silent_enterprises_and_opens_exactly_them(
    client, staff, cared_for
):
    _lately, long_ago, never = cared_for
    days = visit_rules().no_contact_days
    client.force_login(staff)
    home = client.get("/")
    tiles = {t.key: t for t in home.context["tiles"]}
    assert tiles["no_contact"].value == 2 and tiles["no_contact"].tone == "warning"
    assert tiles["never_visited"].value == 1 and tiles["never_visited"].tone == "danger"
    assert tiles["no_contact"].url == f"/visits/?days={days}"
    assert tiles["never_visited"].url == f"/visits/?days={days}&never=1"
    # Never visited first, then the longest silent; each row opens the visit form.
    rows = [e.name for e in home.context["liaison"]["no_contact"]]
    assert rows == [never.name, long_ago.name]
    html = home.content.decode()
    assert 'data-testid="desk-no-contact"' in html and f"?enterprise={never.pk}" in html
    # Each count opens the visits page filtered to exactly the enterprises counted.
    for key, expected in (("no_contact", {never, long_ago}), ("never_visited", {never})):
        listed = client.get(tiles[key].url).context["no_contact"]
        assert {e.pk for e in listed} == {e.pk for e in expected}, key
        assert len(listed) == tiles[key].value
    # A shorter span counts the recent visit too.
    assert len(client.get("/visits/?days=2").context["no_contact"]) == 3


def test_a_user_looking_after_no_enterprise_has_no_liaison_block(client, steward, cared_for):
    client.force_login(steward)
    home = client.get("/")
    assert home.context["liaison"] is None
    assert not {"no_contact", "never_visited"} & {t.key for t in home.context["tiles"]}
    assert 'data-testid="desk-no-contact"' not in home.content.decode()
