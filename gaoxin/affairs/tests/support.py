"""Helpers the affairs tests share (fixtures are in conftest.py): times in China Standard
Time, items of the catalogue, cases brought to a step, slots, authorisations."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from gaoxin.affairs import services
from gaoxin.affairs.models import Review, Slot
from tests.factories import hand_in_materials

CST = ZoneInfo("Asia/Shanghai")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=CST)


def make_item(
    admin_user, department, code, *, legal=20, promised=5, unit="working_days", reviewers=()
):
    """An item with an essential and a waivable material."""
    return services.item_create(
        by=admin_user,
        data={
            "code": code,
            "name": f"事项{code}",
            "department": department,
            "legal_limit_days": legal,
            "promised_limit": promised,
            "promised_unit": unit,
        },
        reviewing_departments=list(reviewers),
        materials=[
            {"name": "申请书", "essential": True},
            {"name": "场所平面图", "essential": False},
        ],
    )


def make_simple_item(admin_user, department, code, *, promised=1, unit="working_days", name=None):
    """An item of the service desk with one essential material."""
    return services.item_create(
        by=admin_user,
        data={
            "code": code,
            "name": name or f"事项{code}",
            "department": department,
            "legal_limit_days": 20,
            "promised_limit": promised,
            "promised_unit": unit,
        },
        materials=[{"name": "申请书", "essential": True}],
    )


def submitted(enterprise_user, enterprise, items, time_machine, when):
    """A case filed online with its materials and submitted at ``when``."""
    time_machine.move_to(when, tick=False)
    application = services.application_create(
        enterprise=enterprise, items=items, by=enterprise_user, channel="online"
    )
    hand_in_materials(application, enterprise_user)
    return services.application_submit(application=application, by=enterprise_user)


def accepted(enterprise_user, enterprise, permit, clerk, time_machine, when, **accept):
    """A case filed online, submitted and accepted by the window at ``when``."""
    time_machine.move_to(when, tick=False)
    case = services.application_create(
        enterprise=enterprise, items=[permit], by=enterprise_user, channel="online"
    )
    hand_in_materials(case, enterprise_user)
    services.application_submit(application=case, by=enterprise_user)
    services.application_accept(application=case, by=clerk, **accept)
    case.refresh_from_db()
    return case


def review_of(case, code) -> Review:
    return Review.objects.get(application=case, department__code=code)


def slot_at(window, *args, capacity=1) -> Slot:
    start = dt.datetime(*args, tzinfo=CST)
    return Slot.objects.create(
        window=window, starts_at=start, ends_at=start + dt.timedelta(minutes=30), capacity=capacity
    )


def authorise(enterprise, agent, by, items=(), project=None, **kwargs):
    return services.authorization_grant(
        enterprise=enterprise,
        agent=agent,
        scope="project" if project else "items",
        items=items,
        project=project,
        valid_from=kwargs.get("valid_from", dt.date(2026, 11, 1)),
        valid_until=kwargs.get("valid_until", dt.date(2026, 12, 31)),
        signatory="赵海",
        by=by,
    )


def approve_all(application, reviewers):
    """Accepted by the window and approved by every reviewing department."""
    services.application_accept(application=application, by=reviewers["clerk"])
    application.refresh_from_db()
    for review in application.reviews.all():
        services.review_decide(
            review=review, by=reviewers[review.department.code], decision="approved"
        )
    application.refresh_from_db()
    return application


def closed_case(enterprise, enterprise_user, licence, reviewers):
    case = services.application_create(
        enterprise=enterprise, items=[licence], by=enterprise_user, channel="online"
    )
    hand_in_materials(case, enterprise_user)
    services.application_submit(application=case, by=enterprise_user)
    case = approve_all(case, reviewers)
    return services.application_close(application=case, by=reviewers["clerk"])
