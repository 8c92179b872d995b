"""Platforms, transfer deals, and events whose on-site signings put projects in the register
as signed, with the event as their channel."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.core.models import AuditEntry
from gaoxin.platforms import services
from gaoxin.projects.models import Project, StageEvent
from gaoxin.projects.services import project_advance, project_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(staff, department):
    return services.event_create(
        by=staff,
        data={
            "name": "2026日照高新区投融资对接大会",
            "kind": "matchmaking",
            "held_on": dt.date(2026, 11, 18),
            "venue": "高新区会展中心",
            "organiser": department,
        },
    )


def test_a_signing_advances_a_negotiation_to_signed_on_the_event_day(
    event, staff, enterprise, calendar
):
    project = project_create(
        by=staff,
        data={"name": "射频芯片封测项目", "enterprise": enterprise, "channel": "direct"},
        stage="negotiating",
        on=dt.date(2026, 9, 1),
    )
    signing = services.signing_record(event=event, by=staff, project=project)
    project.refresh_from_db()
    assert (project.stage, project.stage_since, project.channel) == (
        "signed",
        dt.date(2026, 11, 18),
        "event",
    )
    last = StageEvent.objects.filter(project=project).order_by("-on", "-pk").first()
    assert last.stage == "signed" and event.name in last.evidence
    assert signing.project == project and enterprise in event.participants.all()
    with pytest.raises(ValidationError):  # once
        services.signing_record(event=event, by=staff, project=project)


def test_a_signing_registers_a_new_project(event, staff, calendar):
    services.signing_record(
        event=event,
        by=staff,
        new_project={
            "name": "新能源汽车零部件项目",
            "prospective_investor": "江苏某集团",
            "total_investment": Decimal("50000"),
        },
    )
    project = Project.objects.get(name="新能源汽车零部件项目")
    assert (project.stage, project.channel) == ("signed", "event")
    assert list(StageEvent.objects.filter(project=project).values_list("stage", flat=True)) == [
        "negotiating",
        "signed",
    ]
    assert AuditEntry.objects.filter(content_type__model="signing").count() == 1


def test_only_leads_and_negotiations_are_signed_and_only_by_the_zone(
    event, staff, enterprise_user, enterprise, calendar
):
    built = project_create(
        by=staff,
        data={"name": "已落地项目", "enterprise": enterprise},
        stage="negotiating",
        on=dt.date(2025, 1, 1),
    )
    project_advance(project=built, to_stage="signed", on=dt.date(2025, 3, 1), by=staff)
    built.refresh_from_db()
    with pytest.raises(ValidationError):
        services.signing_record(event=event, by=staff, project=built)
    with pytest.raises(PermissionDenied):
        services.signing_record(event=event, by=enterprise_user, new_project={"name": "x"})
    with pytest.raises(ValidationError):  # one or the other
        services.signing_record(event=event, by=staff)


def test_a_transfer_deal_adds_the_enterprise_to_those_served(staff, enterprise):
    platform = services.platform_create(
        by=staff,
        data={
            "name": "哈工大先进焊接与连接国家重点实验室日照研究院",
            "kind": "research_institute",
            "partners": "哈尔滨工业大学",
            "opened_on": dt.date(2020, 7, 23),
        },
    )
    services.deal_record(
        platform=platform,
        enterprise=enterprise,
        title="激光焊接工艺",
        amount=Decimal("120"),
        signed_on=dt.date(2026, 5, 1),
        by=staff,
    )
    assert list(platform.enterprises_served.all()) == [enterprise]
    with pytest.raises(ValidationError):
        services.deal_record(
            platform=platform,
            enterprise=enterprise,
            title=" ",
            amount=Decimal("1"),
            signed_on=dt.date(2026, 5, 1),
            by=staff,
        )
