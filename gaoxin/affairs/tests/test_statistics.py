"""Statistics of government services: on time per department, item and window, ratings."""

import datetime as dt

import pytest

from gaoxin.affairs import selectors, services
from gaoxin.affairs.models import (
    ApplicationState,
)
from gaoxin.affairs.tests.support import (
    at,
    closed_case,
    submitted,
)
from gaoxin.projects.stats import Period

pytestmark = pytest.mark.django_db
A = ApplicationState


def test_on_time_statistics_per_department_and_item(
    enterprise_user, enterprise, permit, window_clerk, approver, planner, time_machine
):
    def decided_case(decide_at):
        case = submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
        services.application_accept(application=case, by=window_clerk)
        time_machine.move_to(decide_at, tick=False)
        for review in case.reviews.all():
            by = approver if review.department.code == "approval" else planner
            services.review_decide(review=review, by=by, decision="approved")
        return case

    decided_case(at(2026, 9, 28, 16))  # before the deadline (29 Sep 10:00)
    decided_case(at(2026, 9, 30, 9))  # a day late
    open_late = submitted(enterprise_user, enterprise, [permit], time_machine, at(2026, 9, 21, 10))
    services.application_accept(application=open_late, by=window_clerk)
    period = Period(dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    (row,) = selectors.on_time(period, at(2026, 10, 9, 12), "department")
    assert (row.label, row.decided, row.on_time, row.rate, row.overdue_open) == (
        "行政审批服务局",
        2,
        1,
        50.0,
        1,
    )
    (item_row,) = selectors.on_time(period, at(2026, 10, 9, 12), "item")
    assert item_row.label == permit.name and item_row.decided == 2


def test_statistics_per_window_count_cases_and_ratings(
    client, window, licence, enterprise, enterprise_user, reviewers, time_machine
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    case = closed_case(enterprise, enterprise_user, licence, reviewers)
    assert case.window == window  # accepted at the window serving the item
    services.rating_give(application=case, by=enterprise_user, level=2, reasons="等候太久")
    client.force_login(reviewers["clerk"])
    page = client.get(
        "/affairs/statistics/?start=2026-11-01&end=2026-11-30&by=window"
    ).content.decode()
    assert page.count('data-testid="rating-stats"') == 1
    assert "<title>政务服务统计 ·" in page
    on_time = page.split('data-testid="on-time"')[1].split("</table>")[0]
    ratings = page.split('data-testid="rating-stats"')[1].split("</table>")[0]
    assert "企业开办专区" in on_time and "100.0%" in on_time
    assert "企业开办专区" in ratings and "0.0%" in ratings  # one rating, and it is bad
