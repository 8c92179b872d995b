"""A matchmaking event with an on-site signing that shows up in the project register."""

import re

import pytest

from gaoxin.projects.models import Project
from tests.browser import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_on_site_signing_lands_in_the_register(page, live_server, staff, enterprise, calendar):
    sign_in(page, live_server, staff.username)
    page.goto(f"{live_server.url}/platforms/events/")
    page.get_by_label("名称").fill("2026日照高新区投融资对接大会")
    page.get_by_label("类型").select_option("matchmaking")
    page.get_by_label("召开日期").fill("2026-11-18")
    page.get_by_label("地点").fill("高新区会展中心")
    page.get_by_test_id("event-save").click()
    page.wait_for_url(re.compile(r".*/platforms/events/\d+/$"))
    page.get_by_label("项目名称").fill("射频芯片封测项目")
    page.get_by_label("企业", exact=True).select_option(label=enterprise.name)
    page.get_by_label("总投资（万元）").fill("32000")
    page.get_by_test_id("sign-new").click()
    assert "射频芯片封测项目" in page.get_by_test_id("signings").inner_text()
    shot(page, "event-signing")

    page.goto(f"{live_server.url}/projects/?q=射频芯片")
    row = page.get_by_role("row", name=re.compile("射频芯片封测项目"))
    assert "签约" in row.inner_text() and "2026年11月18日" in row.inner_text()
    row.get_by_role("link", name="射频芯片封测项目").click()
    assert "招商活动／对接会" in page.locator("body").inner_text()  # the channel: the event
    shot(page, "event-signing-in-register")
    project = Project.objects.get(name="射频芯片封测项目")
    assert (project.stage, project.channel, project.enterprise) == ("signed", "event", enterprise)
