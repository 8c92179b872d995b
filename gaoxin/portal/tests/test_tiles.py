"""Every count on every role's home page opens the list holding exactly the records counted
(issue 18, item 2): signed in as each demo account on the demo zone, each tile's link is
followed and the rows of the list it opens are counted."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import resolve
from django.utils import timezone

from gaoxin.accounts.models import User
from gaoxin.core.models import BackgroundJob

pytestmark = pytest.mark.django_db

ROLES = [
    "admin",
    "leader",
    "staff",
    "steward",
    "clerk",
    "approver",
    "commissioner",
    "agent",
    "enterprise",
]

# How many rows a list shows: a paginated list its paginator's count; a page of sections the
# section the link's fragment names.
SECTIONS = {
    ("dispatch:my_work", "to-handle"): "to_handle",
    ("dispatch:my_work", "my-tasks"): "tasks",
    ("dispatch:my_work", "my-reports"): "reports_due",
    ("dispatch:my_work", "my-matters"): "matters",
    ("portal:home", "supervision"): "notices_waiting",
    ("portal:home", "service-log"): "log_due",
    ("portal:home", "benefits"): "instalments",
    ("portal:home", "visits"): "to_visit",
    ("portal:home", "supplied"): "supplied",
    ("portal:home", "health"): "checks_to_do",
    ("portal:home", "matters"): "matters",
    ("affairs:reviews", ""): "reviews",
    ("visits:list", ""): "no_contact",
    ("talent:batches", ""): "batches",
    ("talent:talents", ""): "talents",
    ("affairs:authorizations", ""): "authorizations",
    ("dispatch:key_projects", ""): "rows",
}


def _rows(client, url: str, home_context) -> int:
    parts = urlsplit(url)
    path = parts.path or "/"
    response = home_context if path == "/" else client.get(f"{path}?{parts.query}")
    assert path == "/" or response.status_code == 200, url
    context = home_context.context if path == "/" else response.context
    name = resolve(path).view_name if path != "/" else "portal:home"
    key = SECTIONS.get((name, parts.fragment)) or SECTIONS.get((name, ""))
    if key:
        return len(context[key])
    if "cl" in context:  # the admin's change list
        return context["cl"].result_count
    assert "page" in context, f"no list to count behind {url}"
    return context["page"].paginator.count


@pytest.fixture
def demo_zone():
    call_command("seed_demo", verbosity=0)


def test_every_home_tile_opens_exactly_the_records_it_counts(client, demo_zone):
    checked, mismatched = 0, []
    for username in ROLES:
        user = User.objects.get(username=username)
        client.force_login(user)
        home = client.get("/")
        assert home.status_code == 200, username
        for tile in home.context["tiles"]:
            listed = _rows(client, tile.url, home)
            checked += 1
            if listed != tile.value:
                mismatched.append(f"{username}/{tile.key}: {tile.value} counted, {listed} listed")
    assert not mismatched, "\n".join(mismatched)
    assert checked >= 30


def test_the_failed_jobs_tile_opens_exactly_the_jobs_failed_in_seven_days(client, admin_user):
    def job(status, days_ago):
        created = BackgroundJob.objects.create(kind="ledger_import", user=admin_user, status=status)
        BackgroundJob.objects.filter(pk=created.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )

    job(BackgroundJob.Status.FAILED, 1)
    job(BackgroundJob.Status.FAILED, 3)
    job(BackgroundJob.Status.FAILED, 9)  # older than the week: not counted, not listed
    job(BackgroundJob.Status.SUCCEEDED, 1)
    client.force_login(admin_user)
    home = client.get("/")
    tiles = {t.key: t for t in home.context["tiles"]}
    assert tiles["failed"].value == 2
    assert [c["ok"] for c in home.context["checks_to_do"]] == [False] * len(
        home.context["checks_to_do"]
    )
    assert tiles["failed"].url in [c["url"] for c in home.context["checks_to_do"]]
    listed = client.get(tiles["failed"].url)
    assert listed.status_code == 200
    assert listed.context["cl"].result_count == 2
