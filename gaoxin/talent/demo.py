"""Demo talent: the article's half-year — 6 startup teams, 6 innovation teams and 61
innovative talents — plus last year's for comparison, a batch of the programme decided by its
panel, benefits and a commissioner's service log."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from gaoxin.accounts.models import Role, User
from gaoxin.enterprises.models import Enterprise
from gaoxin.talent import services
from gaoxin.talent.idnumbers import check_digit
from gaoxin.talent.models import Talent

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = [
    "伟",
    "芳",
    "敏",
    "静",
    "磊",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "霞",
    "平",
    "刚",
]
KIND_WORD = {"startup_team": "创业", "innovation_team": "创新"}
FIELDS = ["集成电路设计", "智能制造", "生物医药", "新材料", "工业软件", "精密仪器", "新能源"]


def _id_number(rng: random.Random, born: dt.date) -> str:
    body = f"371102{born:%Y%m%d}{rng.randint(100, 999)}"
    return body + check_digit(body)


@transaction.atomic
def seed_talent(*, by, today: dt.date) -> int:
    if Talent.objects.exists():
        return 0
    rng = random.Random(7)
    commissioner = User.objects.filter(role=Role.COMMISSIONER).first()
    staff_of_talent = commissioner or by
    enterprises = list(Enterprise.objects.order_by("pk")[:12])
    used: set[str] = set()

    def person(arrived: dt.date, enterprise) -> Talent:
        while True:
            number = _id_number(
                rng, dt.date(1970 + rng.randint(0, 25), rng.randint(1, 12), rng.randint(1, 28))
            )
            if number not in used:
                used.add(number)
                break
        return services.talent_create(
            by=staff_of_talent,
            data={
                "name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                "id_number": number,
                "phone": f"139063{rng.randint(10000, 99999)}",
                "education": rng.choice(["博士", "硕士", "博士后"]),
                "field": rng.choice(FIELDS),
                "enterprise": enterprise,
                "arrived_on": arrived,
                "commissioner": commissioner,
            },
        )

    first_half = (dt.date(today.year, 1, 5), dt.date(today.year, 6, 25))
    last_year = (dt.date(today.year - 1, 1, 5), dt.date(today.year - 1, 6, 25))

    def day(span) -> dt.date:
        return span[0] + dt.timedelta(days=rng.randint(0, (span[1] - span[0]).days))

    teams = []
    for kind, now, then in (("startup_team", 6, 4), ("innovation_team", 6, 5)):
        for n, span in [(i, first_half) for i in range(now)] + [
            (i, last_year) for i in range(then)
        ]:
            enterprise = enterprises[(n + len(teams)) % len(enterprises)]
            leader = person(day(span), enterprise)
            team = services.team_create(
                by=staff_of_talent,
                data={
                    "name": f"{rng.choice(FIELDS)}{KIND_WORD[kind]}团队{len(teams) + 1}",
                    "kind": kind,
                    "enterprise": enterprise,
                    "leader": leader,
                    "arrived_on": leader.arrived_on,
                },
            )
            teams.append(team)
    individuals = [person(day(first_half), rng.choice(enterprises)) for _ in range(61)]
    individuals += [person(day(last_year), rng.choice(enterprises)) for _ in range(48)]

    panel = list(User.objects.filter(role__in=(Role.LEADER, Role.STAFF)).order_by("pk")[:3])
    batch = services.batch_create(
        by=staff_of_talent,
        name=f"{today.year}年第一批“高新英才”计划",
        closes_on=dt.date(today.year, 3, 31),
        panel=panel,
    )
    entries = [
        services.application_submit(
            batch=batch, by=staff_of_talent, kind=t.kind, team=t, summary="团队项目"
        )
        for t in teams[:4]
    ] + [
        services.application_submit(
            batch=batch, by=staff_of_talent, kind="innovative_talent", talent=t, summary="个人成果"
        )
        for t in individuals[:6]
    ]
    services.batch_close_call(batch=batch, by=staff_of_talent)
    for entry in entries:
        for expert in panel:
            services.score_give(application=entry, by=expert, score=rng.randint(62, 95))
    services.batch_award(batch=batch, by=staff_of_talent)
    for entry in entries:
        entry.refresh_from_db()
        if entry.state == "awarded":
            services.benefit_grant(
                application=entry,
                by=staff_of_talent,
                kind="subsidy",
                total=Decimal(60),
                instalments=[
                    (dt.date(today.year, 6, 30), Decimal(30)),
                    (dt.date(today.year + 1, 6, 30), Decimal(30)),
                ],
            )
    for talent in individuals[:5]:
        services.service_log_add(
            talent=talent,
            by=staff_of_talent,
            on=today - dt.timedelta(days=rng.randint(1, 60)),
            note=rng.choice(
                ["协助办理子女入学", "对接人才公寓入住", "政策兑现材料辅导", "走访了解科研需求"]
            ),
        )
    return Talent.objects.count()
