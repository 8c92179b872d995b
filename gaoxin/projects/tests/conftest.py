import datetime as dt
from decimal import Decimal

import pytest

from gaoxin.projects import services
from gaoxin.projects.models import Channel, MoneyKind
from gaoxin.projects.stages import Stage
from tests.factories import ClusterFactory

D = dt.date


def make_project(by, name, first_stage, first_on, steps=(), **data):
    project = services.project_create(
        by=by,
        data={"name": name, "prospective_investor": f"{name}投资方", **data},
        stage=first_stage,
        on=first_on,
    )
    for stage, on in steps:
        services.project_advance(project=project, to_stage=stage, on=on, by=by)
    project.refresh_from_db()
    return project


@pytest.fixture
def history(staff):
    """A small zone whose every figure is worked out by hand in test_stats.py."""
    chips = ClusterFactory(code="it", name="新一代信息技术")
    health = ClusterFactory(code="health", name="生命大健康")
    p1 = make_project(
        staff,
        "P1 芯片",
        Stage.LEAD,
        D(2025, 2, 1),
        [
            (Stage.NEGOTIATING, D(2025, 3, 10)),
            (Stage.SIGNED, D(2025, 5, 20)),
            (Stage.REGISTERED, D(2025, 6, 15)),
            (Stage.UNDER_CONSTRUCTION, D(2025, 9, 1)),
            (Stage.IN_PRODUCTION, D(2026, 3, 1)),
        ],
        cluster=chips,
        channel=Channel.EVENT,
        total_investment=Decimal(12000),
        fixed_asset_investment=Decimal(10000),
        planned_start_on=D(2025, 8, 31),
        source_province="江苏省",
    )
    p2 = make_project(
        staff,
        "P2 流失",
        Stage.NEGOTIATING,
        D(2025, 4, 1),
        [(Stage.DROPPED, D(2025, 7, 1))],
        cluster=health,
        total_investment=Decimal(3000),
    )
    p3 = make_project(
        staff,
        "P3 医疗",
        Stage.NEGOTIATING,
        D(2026, 2, 1),
        [
            (Stage.SIGNED, D(2026, 4, 10)),
            (Stage.UNDER_CONSTRUCTION, D(2026, 5, 5)),
        ],
        cluster=health,
        channel=Channel.INVESTOR_REFERRAL,
        total_investment=Decimal(6000),
        fixed_asset_investment=Decimal(5000),
        planned_start_on=D(2026, 5, 31),
        source_province="山东省",
    )
    p4 = make_project(
        staff,
        "P4 传感器",
        Stage.LEAD,
        D(2026, 1, 15),
        [(Stage.NEGOTIATING, D(2026, 3, 1))],
        cluster=chips,
        total_investment=Decimal(2000),
        source_province="江苏省",
    )
    p5 = make_project(
        staff,
        "P5 光通讯",
        Stage.NEGOTIATING,
        D(2026, 3, 15),
        [
            (Stage.SIGNED, D(2026, 6, 30)),
            (Stage.REGISTERED, D(2026, 6, 30)),
        ],
        cluster=chips,
        total_investment=Decimal(5000),
        source_province="广东省",
    )
    # P5's registration was entered by mistake: voided, and stays in the record.
    wrong = p5.events.get(stage=Stage.REGISTERED)
    services.event_correct(event=wrong, by=staff, reason="营业执照尚未取得，误录")
    p5.refresh_from_db()
    p6 = make_project(staff, "P6 线索", Stage.LEAD, D(2025, 12, 1), cluster=chips)

    services.money_add(
        project=p1,
        by=staff,
        kind=MoneyKind.INVESTMENT_COMPLETED,
        on=D(2025, 12, 31),
        amount=Decimal(3000),
    )
    services.money_add(
        project=p1,
        by=staff,
        kind=MoneyKind.INVESTMENT_COMPLETED,
        on=D(2026, 5, 1),
        amount=Decimal(2000),
    )
    services.money_add(
        project=p1, by=staff, kind=MoneyKind.FUNDS_IN_PLACE, on=D(2025, 10, 1), amount=Decimal(1000)
    )
    services.money_add(
        project=p3, by=staff, kind=MoneyKind.FUNDS_IN_PLACE, on=D(2026, 4, 20), amount=Decimal(800)
    )
    return {
        "p1": p1,
        "p2": p2,
        "p3": p3,
        "p4": p4,
        "p5": p5,
        "p6": p6,
        "chips": chips,
        "health": health,
    }
