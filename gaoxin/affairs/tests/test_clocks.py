"""How the clocks read (gaoxin.affairs.clocks): deadlines across holidays, make-up working days and
office hours, working time as people say it."""

import pytest
from django.utils import translation

from gaoxin.affairs import clocks, services
from gaoxin.affairs.models import (
    ApplicationState,
)
from gaoxin.affairs.tests.support import (
    at,
    make_item,
    submitted,
)

pytestmark = pytest.mark.django_db
A = ApplicationState


def test_a_day_limited_deadline_crosses_national_day_and_the_make_up_saturday(
    enterprise_user, enterprise, permit, window_clerk, time_machine
):
    case = submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 29, 10))
    services.application_accept(application=case, by=window_clerk)
    case.refresh_from_db()
    # 30 Sep, 8 Oct, 9 Oct, 10 Oct (a Saturday worked), 12 Oct.
    assert case.deadline == at(2026, 10, 12, 10)
    assert case.deadline_certain


def test_a_minutes_limited_item_crosses_the_end_of_office_hours(
    admin_user, approval, enterprise_user, enterprise, window_clerk, time_machine, calendar
):
    licence = make_item(admin_user, approval, "L30", legal=15, promised=30, unit="working_minutes")
    case = submitted(enterprise_user, enterprise, [licence], time_machine, at(2026, 9, 29, 17, 15))
    services.application_accept(application=case, by=window_clerk)
    case.refresh_from_db()
    # 15 minutes before closing, 15 the next morning from 09:00.
    assert case.deadline == at(2026, 9, 30, 9, 15)
    time_machine.move_to(at(2026, 9, 30, 9, 10))
    assert services.clock(case)["light"] == "yellow"  # 5 of 30 minutes left
    time_machine.move_to(at(2026, 9, 30, 9, 20))
    assert services.clock(case)["light"] == "red"


def test_working_time_reads_as_people_say_it(settings):
    settings.LANGUAGE_CODE = "zh-hans"

    with translation.override("zh-hans"):
        left = clocks.Clock(light="green", used=0, left=3 * 420 + 125, paused=False)
        assert left.text == "剩余 3 个工作日 2 小时"
        assert clocks.Clock(light="red", used=0, left=-420, paused=False).text == "超期 1 个工作日"
        assert (
            clocks.Clock(light="yellow", used=0, left=45, paused=False).text == "剩余 不足 1 小时"
        )
        fast = clocks.Clock(light="yellow", used=0, left=25, paused=False, fine=True)
        assert fast.text == "剩余 25 分钟"
        assert clocks.Clock(light="red", used=0, left=-75, paused=False, fine=True).text == (
            "超期 1 小时 15 分钟"
        )
