"""The liaison's home on the demo zone, clicked: the count of enterprises gone silent opens
the visits page filtered to exactly them; the desk fits 1280 px and a phone."""

import re

import pytest
from django.core.management import call_command

from gaoxin.accounts.models import User
from tests.browser import shot, sign_in
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_liaisons_silent_enterprises_open_the_visits_page(page, live_server):
    call_command("seed_demo", verbosity=0)
    staff = User.objects.get(username="staff")  # a liaison on the demo zone
    staff.set_password(TEST_PASSWORD)
    staff.save(update_fields=["password"])
    sign_in(page, live_server, "staff")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/")
    tile = page.get_by_test_id("tile-no_contact")
    counted = int(tile.locator(".figure").inner_text())
    assert counted > 0
    assert page.get_by_test_id("desk-no-contact").locator("a").count() == min(counted, 8)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    shot(page, "home-staff-liaison")
    tile.click()
    page.wait_for_url(re.compile(r".*/visits/\?days=\d+"))
    assert int(page.get_by_test_id("no-contact-count").inner_text()) == counted
    assert page.get_by_test_id("no-contact").locator("a").count() == counted
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "home-staff-liaison-phone")
