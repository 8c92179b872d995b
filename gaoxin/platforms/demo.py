"""Demo platforms (the article's research institutes and public platforms) and two events,
one with its on-site signings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gaoxin.accounts.models import Department
from gaoxin.enterprises.models import Enterprise
from gaoxin.platforms import services
from gaoxin.platforms.models import Platform, Signing
from gaoxin.projects.demo import reproduced_half
from gaoxin.projects.models import Project, StageEvent

PLATFORMS = [
    (
        "哈尔滨工业大学先进焊接与连接国家重点实验室日照研究院",
        "research_institute",
        "哈尔滨工业大学",
        "先进焊接技术研究、焊接服务与培训、联合办学",
    ),
    ("北京大学日照智能装备联合研究院", "research_institute", "北京大学", "智能装备共性技术研发"),
    ("中国科学院日照公共技术服务平台", "public_technology", "中国科学院", "检验检测、中试验证"),
    ("日照高新区技术成果交易转移中心", "tech_transfer", "山东省技术市场", "成果评估、交易撮合"),
    ("日照高新区投融资服务平台", "investment_financing", "", "股权投资对接、科技信贷"),
]

ONE_DAY = dt.timedelta(days=1)


@transaction.atomic
def seed_platforms(*, by, today: dt.date) -> int:
    if Platform.objects.exists():
        return 0
    enterprises = list(Enterprise.objects.order_by("pk")[:10])
    for n, (name, kind, partners, offered) in enumerate(PLATFORMS):
        platform = services.platform_create(
            by=by,
            data={
                "name": name,
                "kind": kind,
                "partners": partners,
                "services": offered,
                "opened_on": dt.date(2019 + n % 4, 7, 23),
            },
            enterprises_served=enterprises[n : n + 4],
        )
        if kind in ("research_institute", "tech_transfer") and enterprises:
            services.deal_record(
                platform=platform,
                enterprise=enterprises[n % len(enterprises)],
                title=["激光焊接工艺包", "智能产线视觉检测", "", "高性能射频芯片封装", ""][n]
                or "技术许可",
                amount=Decimal(80 + 40 * n),
                signed_on=today - dt.timedelta(days=30 * (n + 1)),
                by=by,
            )
    investment = Department.objects.get(code="investment")
    past = services.event_create(
        by=by,
        data={
            "name": f"{today.year}日照高新区投融资对接大会",
            "kind": "matchmaking",
            # Its on-site signings stay out of the half-year the demo reproduces (projects.demo).
            "held_on": max(today - dt.timedelta(days=20), reproduced_half(today)[1] + ONE_DAY),
            "venue": "日照国际会展中心",
            "organiser": investment,
        },
        participants=enterprises[:6],
    )
    services.event_create(
        by=by,
        data={
            "name": "长三角智能装备产业招商推介会",
            "kind": "promotion",
            "held_on": today + dt.timedelta(days=15),
            "venue": "苏州",
            "organiser": investment,
        },
    )
    # Signed on site: projects in negotiation, and one new.
    for project in Project.objects.filter(stage="negotiating").order_by("pk")[:3]:
        if project.stage_since <= past.held_on:
            services.signing_record(event=past, by=by, project=project)
    services.signing_record(
        event=past,
        by=by,
        new_project={
            "name": "高端数控机床关键部件项目",
            "prospective_investor": "常州鼎拓精工机械有限公司",
            "total_investment": Decimal("60000"),
        },
    )
    # The signings recorded on the event's day, as the event's staff would have.
    signed_at = min(
        timezone.make_aware(dt.datetime.combine(past.held_on, dt.time(16))), timezone.now()
    )
    StageEvent.objects.filter(
        on=past.held_on, project__in=Signing.objects.filter(event=past).values("project")
    ).update(recorded_at=signed_at)
    return Platform.objects.count()
