"""Demo project history for the reference zone (日照高新区), over last year and this year.

Deterministic (seeded) and dated relative to the day it runs. Its first half-year reproduces
the article's figures exactly, as the statistics engine counts them (``HALF_YEAR``): 289
projects in the register on 30 June, 173 entering negotiation in the half-year against 147 in
the same half a year earlier (+17.7%), 83 signed, 31 under construction on 30 June. The
reproduced half-year is the current year's first half from 1 July on; before July (the half-year
not over yet) it is last year's first half, and the current year runs on from it
(``reproduced_year``). The article's named projects keep the stages it describes, an
investment event in August signs three on site; the months after June go on at the same pace.

Loaded in bulk, every record at its own date: each stage event is recorded on its day, and the
audit trail holds, at that day, the project's creation and each stage event with its stage
change (linked into the hash chain like every other entry), so `make run` stays quick.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from gaoxin.accounts.models import Department, Role, User
from gaoxin.core import audit
from gaoxin.core.models import AuditAction, AuditEntry
from gaoxin.enterprises.models import Cluster, Enterprise, IndustryCode
from gaoxin.projects.models import (
    Chain,
    ChainLink,
    Channel,
    Engagement,
    EngagementKind,
    Figure,
    MoneyEntry,
    MoneyKind,
    Project,
    StageEvent,
    Target,
)
from gaoxin.projects.stages import Stage

CHAINS = {
    "equipment": [
        ("新能源汽车", ["整车", "动力电池", "电机电控", "零部件"]),
        ("海洋装备", ["船舶制造", "耐压装备", "配套件"]),
        ("航空装备", ["无人机", "航空发动机"]),
    ],
    "it": [
        ("集成电路", ["芯片设计", "晶圆制造", "封装测试", "材料"]),
        ("电子信息", ["传感器", "光通讯器件", "智能终端"]),
    ],
    "health": [
        ("医疗器械", ["影像设备", "植介入器械", "体外诊断"]),
        ("医疗服务", ["专科医院", "康复养老"]),
    ],
}

# The article's projects: (name, enterprise, cluster, division, chain link, stage path with dates)
NAMED = [
    (
        "硅麦芯片和光电继电器芯片项目",
        "山东海声尼克微电子有限公司",
        "it",
        "39",
        "芯片设计",
        [
            ("negotiating", "2025-03-02"),
            ("signed", "2025-05-18"),
            ("registered", "2025-06-20"),
            ("under_construction", "2025-08-01"),
            ("in_production", "2026-07-10"),
        ],
    ),
    (
        "智能移动通信射频芯片第二条生产线",
        "日照东讯电子科技有限公司",
        "it",
        "39",
        "晶圆制造",
        [
            ("negotiating", "2025-01-12"),
            ("signed", "2025-04-08"),
            ("under_construction", "2025-06-15"),
            ("in_production", "2026-07-12"),
        ],
    ),
    (
        "中兴新能源汽车项目",
        "日照中兴新能源汽车有限公司",
        "equipment",
        "36",
        "整车",
        [
            ("negotiating", "2025-01-05"),
            ("signed", "2025-02-20"),
            ("registered", "2025-03-10"),
            ("under_construction", "2025-04-01"),
            ("in_production", "2025-12-18"),
        ],
    ),
    (
        "腾飞耐压仓项目",
        "日照腾飞耐压仓科技有限公司",
        "equipment",
        "35",
        "耐压装备",
        [
            ("negotiating", "2025-02-10"),
            ("signed", "2025-03-28"),
            ("registered", "2025-04-15"),
            ("under_construction", "2025-05-20"),
            ("in_production", "2026-01-15"),
            ("at_capacity", "2026-09-30"),
        ],
    ),
    (
        "飞奥无人机发动机项目",
        "日照飞奥航空动力有限公司",
        "equipment",
        "37",
        "航空发动机",
        [
            ("negotiating", "2025-03-15"),
            ("signed", "2025-05-06"),
            ("registered", "2025-05-30"),
            ("under_construction", "2025-07-01"),
            ("in_production", "2026-04-20"),
        ],
    ),
    (
        "哈船船舶制造项目",
        "日照哈船船舶制造有限公司",
        "equipment",
        "37",
        "船舶制造",
        [
            ("negotiating", "2025-02-01"),
            ("signed", "2025-04-12"),
            ("registered", "2025-05-08"),
            ("under_construction", "2025-06-10"),
            ("in_production", "2026-03-28"),
        ],
    ),
    (
        "宝力马传感器项目",
        "日照宝力马传感器有限公司",
        "it",
        "39",
        "传感器",
        [
            ("negotiating", "2025-04-03"),
            ("signed", "2025-06-01"),
            ("registered", "2025-06-25"),
            ("under_construction", "2025-08-08"),
            ("in_production", "2026-05-16"),
        ],
    ),
    (
        "永而佳5G光通讯项目",
        "日照永而佳光通讯科技有限公司",
        "it",
        "39",
        "光通讯器件",
        [
            ("negotiating", "2025-10-10"),
            ("signed", "2026-01-08"),
            ("registered", "2026-02-02"),
            ("under_construction", "2026-04-18"),
        ],
    ),
    (
        "兴华半导体项目",
        "日照兴华半导体有限公司",
        "it",
        "39",
        "封装测试",
        [
            ("negotiating", "2025-11-05"),
            ("signed", "2026-02-26"),
            ("registered", "2026-03-15"),
            ("under_construction", "2026-05-08"),
        ],
    ),
    (
        "日照心脏病医院项目",
        "日照心脏病医院有限公司",
        "health",
        "84",
        "专科医院",
        [
            ("negotiating", "2025-01-08"),
            ("signed", "2025-02-15"),
            ("registered", "2025-03-01"),
            ("under_construction", "2025-03-20"),
            ("in_production", "2025-10-18"),
        ],
    ),
    (
        "迈格尼医疗器械项目",
        "山东迈格尼医疗科技有限公司",
        "health",
        "35",
        "影像设备",
        [
            ("negotiating", "2025-12-01"),
            ("signed", "2026-02-10"),
            ("registered", "2026-03-05"),
            ("under_construction", "2026-06-12"),
        ],
    ),
    (
        "三三智能装备项目",
        "三三智能科技（苏州）有限公司",
        "equipment",
        "34",
        "零部件",
        [("negotiating", "2026-03-18"), ("signed", "2026-05-22"), ("registered", "2026-06-28")],
    ),
]
# Signed on site at the 16 August investment and financing matchmaking event.
EVENT_SIGNINGS = ["智能网联传感模组项目", "医用高值耗材项目", "工业互联网平台项目"]

PROVINCES = [
    ("山东省", ["济南市", "青岛市", "潍坊市", "临沂市", "日照市"], 30),
    ("江苏省", ["苏州市", "无锡市", "南京市"], 18),
    ("浙江省", ["宁波市", "杭州市"], 12),
    ("广东省", ["深圳市", "东莞市", "广州市"], 14),
    # A municipality's "city" is its district, so the source reads 上海市浦东新区.
    ("北京市", ["海淀区", "朝阳区", "亦庄经济技术开发区"], 8),
    ("上海市", ["浦东新区", "闵行区", "嘉定区"], 8),
    ("黑龙江省", ["哈尔滨市"], 4),
    ("韩国", ["首尔"], 3),
    ("日本", ["大阪"], 3),
]
# Trade names (字号) and what a company of each kind calls itself, for investors' names such
# as 宁波恒远精密机械有限公司; each name is used once.
TRADE_NAMES = [
    "恒远",
    "华拓",
    "鼎诚",
    "瑞丰",
    "宏达",
    "泰和",
    "嘉信",
    "博瑞",
    "科隆",
    "东方",
    "金泽",
    "远航",
    "中晟",
    "汇川",
    "航天",
    "新元",
    "海川",
    "晶合",
    "卓越",
    "创维",
    "联创",
    "天润",
    "德力",
    "永泰",
    "启明",
    "英创",
    "华旭",
    "兴业",
    "凯瑞",
    "润邦",
    "安泰",
    "正大",
    "金桥",
    "立信",
    "通达",
    "盛弘",
    "万向",
    "东岳",
    "鲁信",
    "海纳",
    "星辰",
    "明阳",
    "尚品",
    "大正",
    "力源",
    "奥新",
    "群创",
    "宝信",
    "锦程",
    "长盈",
    "华芯",
    "中芯",
    "睿思",
    "昊天",
    "聚能",
    "天弘",
    "凯迪",
    "辰星",
    "伟创",
    "精工",
    "捷诚",
    "同方",
    "和光",
    "祥泰",
    "弘毅",
    "新宇",
    "瀚海",
    "致远",
    "康泰",
]
COMPANY_WORDS = {
    "智能装备": "智能装备",
    "精密零部件": "精密机械",
    "新能源汽车零部件": "汽车零部件",
    "海工配套": "海洋工程装备",
    "数控机床": "数控机床",
    "机器人": "机器人",
    "液压件": "液压科技",
    "芯片": "微电子",
    "传感器": "传感技术",
    "光电器件": "光电科技",
    "软件": "软件",
    "智能终端": "智能科技",
    "数据中心": "数据科技",
    "电子材料": "电子材料",
    "医疗器械": "医疗器械",
    "体外诊断试剂": "生物技术",
    "康复器具": "康复器械",
    "生物医药": "生物医药",
    "健康养老": "健康产业",
}
PRODUCTS = {
    "智能装备": ("智能装备", "台套"),
    "精密零部件": ("精密零部件", "万件"),
    "新能源汽车零部件": ("新能源汽车零部件", "万套"),
    "海工配套": ("海工配套装备", "台套"),
    "数控机床": ("数控机床", "台"),
    "机器人": ("工业机器人", "台"),
    "液压件": ("液压元件", "万件"),
    "芯片": ("芯片封装测试", "万颗"),
    "传感器": ("智能传感器", "万只"),
    "光电器件": ("光电器件", "万只"),
    "软件": ("工业软件研发中心", ""),
    "智能终端": ("智能终端", "万台"),
    "数据中心": ("数据中心", ""),
    "电子材料": ("电子材料", "吨"),
    "医疗器械": ("医疗器械", "万台"),
    "体外诊断试剂": ("体外诊断试剂", "万人份"),
    "康复器具": ("康复器具", "万套"),
    "生物医药": ("生物医药研发生产基地", ""),
    "健康养老": ("健康养老服务中心", ""),
}
KINDS = {
    "equipment": [
        "智能装备",
        "精密零部件",
        "新能源汽车零部件",
        "海工配套",
        "数控机床",
        "机器人",
        "液压件",
    ],
    "it": ["芯片", "传感器", "光电器件", "软件", "智能终端", "数据中心", "电子材料"],
    "health": ["医疗器械", "体外诊断试剂", "康复器具", "生物医药", "健康养老"],
}
DIVISIONS = {
    "equipment": ["34", "35", "36", "37", "38"],
    "it": ["39", "65", "64"],
    "health": ["27", "35", "84"],
}
CHANNEL_WEIGHTS = [
    (Channel.EVENT, 18),
    (Channel.INVESTOR_REFERRAL, 22),
    (Channel.CHAIN, 20),
    (Channel.PLATFORM, 10),
    (Channel.TALENT_TEAM, 8),
    (Channel.AGENCY, 7),
    (Channel.DIRECT, 15),
]
# The article's half-year as the statistics engine counts it (stats.summary of 1 January to
# 30 June): in the register on 30 June, entries into negotiation (新洽谈推进) now and a year
# earlier (173 / 147 = +17.7%), entries into signing (新签约注册), under construction on 30 June
# (在建). The year's 61 key projects are dispatch.demo's.
HALF_YEAR = {
    "in_register": 289,
    "negotiating": 173,
    "negotiating_base": 147,
    "signed": 83,
    "under_construction": 31,
}
# The named projects' dates are written for a reproduced year of 2026 and move with it.
NAMED_YEAR = 2026
# New negotiations a day after the reproduced half-year (the year goes on at its pace).
PACE_PER_DAY = 0.6
NEXT_GAP_DAYS = {
    Stage.NEGOTIATING: (25, 140),
    Stage.SIGNED: (10, 45),
    Stage.REGISTERED: (15, 90),
    Stage.UNDER_CONSTRUCTION: (150, 330),
    Stage.IN_PRODUCTION: (200, 400),
}
GO_ON = {
    Stage.NEGOTIATING: 0.62,
    Stage.SIGNED: 0.85,
    Stage.REGISTERED: 0.55,
    Stage.UNDER_CONSTRUCTION: 0.75,
    Stage.IN_PRODUCTION: 0.3,
}


def _date(text: str, shift: int = 0) -> dt.date:
    day = dt.date.fromisoformat(text)
    return day.replace(year=day.year + shift)


def reproduced_year(today: dt.date) -> int:
    """The year whose first half reproduces the article: this year's once June is over,
    else last year's (a half-year still running cannot hold a half-year's figures)."""
    return today.year if today >= dt.date(today.year, 7, 1) else today.year - 1


def reproduced_half(today: dt.date) -> tuple[dt.date, dt.date]:
    year = reproduced_year(today)
    return dt.date(year, 1, 1), dt.date(year, 6, 30)


def _cohorts(today: dt.date, named_in_half: int, named_in_base: int):
    """(first negotiation from, to, how many, share dropped): the year before last, last
    year's halves, the reproduced half-year, and the months since at the same pace."""
    year = reproduced_year(today)
    cohorts = [
        # The year before last: the register a year earlier is not the demo's first weeks.
        (dt.date(year - 2, 1, 1), dt.date(year - 2, 12, 31), 150, 0.5),
        (
            dt.date(year - 1, 1, 1),
            dt.date(year - 1, 6, 30),
            HALF_YEAR["negotiating_base"] - named_in_base,
            0.40,
        ),
        (dt.date(year - 1, 7, 1), dt.date(year - 1, 12, 31), 64, 0.45),
        (dt.date(year, 1, 1), dt.date(year, 6, 30), HALF_YEAR["negotiating"] - named_in_half, 0.12),
    ]
    first, last = dt.date(year, 7, 1), today - dt.timedelta(days=10)
    if last > first:
        cohorts.append((first, last, round((last - first).days * PACE_PER_DAY), 0.08))
    return cohorts


def _pick(rng: random.Random, weighted):
    return rng.choices([w[0] for w in weighted], weights=[w[-1] for w in weighted])[0]


@transaction.atomic
def seed_projects(*, admin: User, today: dt.date, register_elsewhere: int = 0) -> int:
    """Create the demo history unless it exists. Returns the number of projects created.

    ``register_elsewhere``: projects other seeders put in the register before the reproduced
    half-year ends (delivery's established lines), so the register on 30 June holds 289."""
    if Project.objects.exists():
        return 0
    rng = random.Random(2026)
    shift = reproduced_year(today) - NAMED_YEAR
    half, base = reproduced_half(today), tuple(_minus_year(d) for d in reproduced_half(today))
    clusters = {c.code: c for c in Cluster.objects.all()}
    links = _seed_chains(clusters)
    investment = Department.objects.get(code="investment")
    departments = [
        investment,
        investment,
        Department.objects.get(code="economy"),
        Department.objects.get(code="science"),
    ]
    # The first steward serves the register; the dispatch demo hands some projects over.
    stewards = list(User.objects.filter(role=Role.STEWARD).order_by("pk")[:1]) or [None]
    industries = {c.code: c for c in IndustryCode.objects.filter(level="division")}
    enterprises = {e.name: e for e in Enterprise.objects.all()}

    plans: list[tuple[Project, list[tuple[str, dt.date]]]] = []
    used: set[str] = set()
    for name, enterprise, cluster, division, link, steps in NAMED:
        project = _project(
            rng,
            name,
            clusters[cluster],
            industries[division],
            links[link],
            departments[0],
            stewards[0],
        )
        project.enterprise = enterprises.get(enterprise)
        project.prospective_investor = "" if project.enterprise else enterprise
        dated = [(s, _date(d, shift)) for s, d in steps]
        plans.append((project, [(s, d) for s, d in dated if d <= today]))
    for name in EVENT_SIGNINGS:
        cluster = rng.choice(list(clusters))
        project = _project(
            rng,
            name,
            clusters[cluster],
            industries[rng.choice(DIVISIONS[cluster])],
            None,
            departments[0],
            rng.choice(stewards),
        )
        project.channel = Channel.EVENT
        dated = [
            ("negotiating", _date("2026-06-20", shift)),
            ("signed", _date("2026-08-16", shift)),
        ]
        plans.append((project, [(s, d) for s, d in dated if d <= today]))
    fixed = len(plans)  # the named projects keep their history; the cohorts are fitted

    def negotiating_in(span):
        return sum(_entered(steps, Stage.NEGOTIATING, span) for _p, steps in plans)

    for first, end, count, drop_share in _cohorts(
        today, negotiating_in(half), negotiating_in(base)
    ):
        last = min(end, today)
        span = (last - first).days
        for _i in range(count):
            cluster = _pick(rng, [("equipment", 45), ("it", 35), ("health", 20)])
            kind = rng.choice(KINDS[cluster])
            province, cities, _w = rng.choices(PROVINCES, weights=[p[2] for p in PROVINCES])[0]
            city = rng.choice(cities)
            name, investor = _names(rng, kind, province, city, used)
            project = _project(
                rng,
                name,
                clusters[cluster],
                industries[rng.choice(DIVISIONS[cluster])],
                None,
                rng.choice(departments),
                None,  # a steward is given to a project that matters (named, key: dispatch)
            )
            project.source_province, project.source_city = province, city
            project.prospective_investor = investor
            on = first + dt.timedelta(days=rng.randint(0, span))
            steps = (
                [(Stage.LEAD, on - dt.timedelta(days=rng.randint(10, 60)))]
                if (rng.random() < 0.5)
                else []
            )
            steps.append((Stage.NEGOTIATING, on))
            steps += _progress(rng, Stage.NEGOTIATING, on, today, drop_share)
            plans.append((project, steps))
    cohort_end = len(plans)
    _fit_half_year(rng, plans[fixed:cohort_end], plans, half, today, register_elsewhere)
    # A few leads not yet in talks.
    for _i in range(25):
        cluster = rng.choice(list(clusters))
        project = _project(
            rng,
            _names(rng, rng.choice(KINDS[cluster]), "", "", used)[0],
            clusters[cluster],
            None,
            None,
            investment,
            None,
        )
        # Come in after the reproduced half-year (its register is fitted above).
        on = max(today - dt.timedelta(days=rng.randint(3, 90)), half[1] + dt.timedelta(days=1))
        plans.append((project, [(Stage.LEAD, on)]))

    for project, steps in plans:
        project.stage, project.stage_since = steps[-1][0], steps[-1][1]
        if any(s == Stage.UNDER_CONSTRUCTION for s, _d in steps) or project.stage in (
            Stage.SIGNED,
            Stage.REGISTERED,
        ):
            signed = next((d for s, d in steps if s == Stage.SIGNED), None)
            if signed:
                project.planned_start_on = signed + dt.timedelta(days=rng.randint(60, 150))
    Project.objects.bulk_create([p for p, _s in plans], batch_size=500)

    events, money, engagements = [], [], []
    for project, steps in plans:
        previous = ""
        for stage, on in steps:
            event = StageEvent(
                project=project,
                stage=stage,
                from_stage=previous,
                on=on,
                recorded_by=admin,
                note=_note(stage),
            )
            events.append(event)
            previous = stage
        money += _money(rng, project, steps, today)
        engagements += _engagements(rng, project, steps, admin, today)
    StageEvent.objects.bulk_create(events, batch_size=1000)
    MoneyEntry.objects.bulk_create(money, batch_size=1000)
    Engagement.objects.bulk_create(engagements, batch_size=1000)
    _stamp(plans, events, money, engagements)
    audit.append(_audit_entries(admin, plans, events), batch_size=1000)

    for figure, value in [
        (Figure.NEW_IN_PRODUCTION, 38),
        (Figure.NEW_UNDER_CONSTRUCTION, 20),
        (Figure.NEW_NEGOTIATING, 300),
        (Figure.NEW_SIGNED, 150),
        (Figure.FUNDS_IN_PLACE, 800000),
    ]:
        Target.objects.get_or_create(
            year=today.year, figure=figure, defaults={"value": Decimal(value)}
        )
    return len(plans)


def _minus_year(day: dt.date) -> dt.date:
    return day.replace(year=day.year - 1)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


# --- the half-year fitted to the article ----------------------------------------------------
#
# The same definitions as gaoxin.projects.stats: an entry is a stage event dated in the span,
# the stock on a day is each project's latest event on or before it.


def _entered(steps, stage, span) -> bool:
    return any(s == stage and span[0] <= d <= span[1] for s, d in steps)


def _stage_on(steps, day) -> str | None:
    found = [s for s, d in steps if d <= day]
    return found[-1] if found else None


def _fit_half_year(rng, cohort, plans, half, today, register_elsewhere) -> None:
    """Make the reproduced half-year's figures the article's, touching only the generated
    cohorts (in place): entries into signing, then the stock under construction on 30 June,
    then the register on 30 June; each step leaves the figures fitted before it as they are."""
    end = half[1]
    after = max((today - end).days, 1)

    def count(test):
        return sum(1 for _p, steps in plans if test(steps))

    def pick(test, n):
        found = [plan for plan in cohort if test(plan[1])]
        return rng.sample(found, min(n, len(found)))

    def negotiating_on(steps):
        return next(d for s, d in steps if s == Stage.NEGOTIATING)

    # 1. Signed in the half-year.
    signed = count(lambda steps: _entered(steps, Stage.SIGNED, half))
    if signed < HALF_YEAR["signed"]:
        for _p, steps in pick(
            lambda st: (
                not any(s == Stage.SIGNED for s, _d in st)
                and negotiating_on(st) <= end - dt.timedelta(days=20)
            ),
            HALF_YEAR["signed"] - signed,
        ):
            talks = negotiating_on(steps)
            on = max(talks + dt.timedelta(days=15), half[0])
            on += dt.timedelta(days=rng.randint(0, (end - on).days))
            steps[:] = [(s, d) for s, d in steps if d <= talks and s != Stage.DROPPED]
            steps += [(Stage.SIGNED, on), *_progress(rng, Stage.SIGNED, on, today, 0)]
    else:
        for _p, steps in pick(
            lambda st: _entered(st, Stage.SIGNED, half), signed - HALF_YEAR["signed"]
        ):
            talks = negotiating_on(steps)
            steps[:] = [(s, d) for s, d in steps if d <= talks]  # still in talks
    # 2. Under construction on 30 June.
    building = count(lambda steps: _stage_on(steps, end) == Stage.UNDER_CONSTRUCTION)
    if building > HALF_YEAR["under_construction"]:
        for _p, steps in pick(
            lambda st: _stage_on(st, end) == Stage.UNDER_CONSTRUCTION,
            building - HALF_YEAR["under_construction"],
        ):
            # The start moves after June (the permit came later).
            steps[:] = [(s, d) for s, d in steps if d <= end and s != Stage.UNDER_CONSTRUCTION]
            steps.append(
                (Stage.UNDER_CONSTRUCTION, end + dt.timedelta(rng.randint(1, min(after, 90))))
            )
    else:
        for _p, steps in pick(
            lambda st: (
                _stage_on(st, end) in (Stage.SIGNED, Stage.REGISTERED)
                and [d for _s, d in st if d <= end][-1] <= end - dt.timedelta(days=20)
            ),
            HALF_YEAR["under_construction"] - building,
        ):
            landed = [(s, d) for s, d in steps if d <= end]
            on = landed[-1][1] + dt.timedelta(days=rng.randint(15, 20))
            steps[:] = [*landed, (Stage.UNDER_CONSTRUCTION, on)]
    # 3. In the register on 30 June.
    target = HALF_YEAR["in_register"] - register_elsewhere
    held = count(lambda steps: _stage_on(steps, end) not in (None, Stage.DROPPED))
    if held > target:
        for _p, steps in pick(
            lambda st: (
                _stage_on(st, end) == Stage.NEGOTIATING
                and negotiating_on(st) <= end - dt.timedelta(days=30)
            ),
            held - target,
        ):
            talks = negotiating_on(steps)
            on = talks + dt.timedelta(days=rng.randint(25, min(140, (end - talks).days)))
            steps[:] = [(s, d) for s, d in steps if d <= talks] + [(Stage.DROPPED, on)]
        held = count(lambda steps: _stage_on(steps, end) not in (None, Stage.DROPPED))
        # Still too many: a lead of June's talks first heard of after June.
        for _p, steps in pick(lambda st: _stage_on(st, end) == Stage.LEAD, held - target):
            del steps[0]
    else:
        for _p, steps in pick(
            lambda st: _stage_on(st, end) == Stage.DROPPED and st[-1][0] == Stage.DROPPED,
            target - held,
        ):
            # Talks broke off later, after June.
            steps[-1] = (Stage.DROPPED, end + dt.timedelta(days=rng.randint(1, min(after, 120))))


def _stamp(plans, events, money, engagements) -> None:
    """Each record at its own date: a project registered on its first event's day and last
    changed on its latest, an event recorded on its day, money and talks on theirs."""
    for project, steps in plans:
        project.created_at, project.updated_at = _at(steps[0][1], 9), _at(steps[-1][1])
    Project.objects.bulk_update(
        [p for p, _s in plans], ["created_at", "updated_at"], batch_size=500
    )
    for event in events:
        event.recorded_at = _at(event.on)
    StageEvent.objects.bulk_update(events, ["recorded_at"], batch_size=500)
    for entry in money:
        entry.recorded_at = _at(entry.on, 16)
    MoneyEntry.objects.bulk_update(money, ["recorded_at"], batch_size=500)
    for engagement in engagements:
        engagement.created_at = engagement.updated_at = _at(engagement.on, 15)
    Engagement.objects.bulk_update(engagements, ["created_at", "updated_at"], batch_size=500)


def _audit_entries(admin, plans, events) -> list[AuditEntry]:
    """What projects.services writes for a project registered and advanced, stamped at each
    event's day: the project's creation, then each stage event with the stage change."""
    project_ct = ContentType.objects.get_for_model(Project)
    event_ct = ContentType.objects.get_for_model(StageEvent)
    by_project: dict[int, list[StageEvent]] = {}
    for event in events:
        by_project.setdefault(event.project_id, []).append(event)
    entries = []

    def entry(action, ct, obj, at, before=None, after=None):
        return AuditEntry(
            user=admin,
            user_repr=str(admin),
            action=action,
            content_type=ct,
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            before=before,
            after=after,
            request_id="seed_demo",
            timestamp=at,
        )

    for project, _steps in plans:
        history = by_project[project.pk]
        created = audit.snapshot(project)
        created.update(stage=history[0].stage, stage_since=history[0].on.isoformat())
        entries.append(
            entry(AuditAction.CREATE, project_ct, project, _at(history[0].on, 9), after=created)
        )
        previous = None
        for event in history:
            at = _at(event.on)
            entries.append(
                entry(
                    AuditAction.CREATE,
                    event_ct,
                    event,
                    at,
                    after={
                        "project": project.pk,
                        "stage": event.stage,
                        "from_stage": event.from_stage,
                        "on": event.on.isoformat(),
                        "note": event.note,
                        "evidence": "",
                    },
                )
            )
            if previous is not None:
                entries.append(
                    entry(
                        AuditAction.UPDATE,
                        project_ct,
                        project,
                        at,
                        before={"stage": previous.stage, "stage_since": previous.on.isoformat()},
                        after={"stage": event.stage, "stage_since": event.on.isoformat()},
                    )
                )
            previous = event
    entries.sort(key=lambda e: e.timestamp)
    return entries


def _seed_chains(clusters) -> dict[str, ChainLink]:
    links = {}
    for code, chains in CHAINS.items():
        for i, (chain_name, link_names) in enumerate(chains):
            chain, _c = Chain.objects.get_or_create(
                cluster=clusters[code], name=chain_name, defaults={"order": i}
            )
            for j, link_name in enumerate(link_names):
                links[link_name], _c = ChainLink.objects.get_or_create(
                    chain=chain, name=link_name, defaults={"order": j}
                )
    return links


def _project(rng, name, cluster, industry, link, department, steward) -> Project:
    total = Decimal(rng.choice([3000, 5000, 8000, 10000, 15000, 20000, 30000, 50000, 100000]))
    fixed = (total * Decimal(rng.choice(["0.6", "0.7", "0.8"]))).quantize(Decimal(1))
    foreign = (total * Decimal("0.3")).quantize(Decimal(1)) if rng.random() < 0.08 else 0
    return Project(
        name=name,
        prospective_investor="",
        cluster=cluster,
        industry=industry,
        chain_link=link,
        channel=_pick(rng, CHANNEL_WEIGHTS),
        source_province="山东省",
        source_city="日照市",
        total_investment=total,
        fixed_asset_investment=fixed,
        foreign_investment=foreign,
        expected_output_value=(total * Decimal(rng.choice(["1.2", "1.5", "2"]))).quantize(
            Decimal(1)
        ),
        expected_tax=(total * Decimal("0.05")).quantize(Decimal(1)),
        land_need_mu=Decimal(rng.choice([0, 20, 50, 80, 120])),
        space_need_m2=Decimal(rng.choice([0, 2000, 5000, 10000])),
        department=department,
        steward=steward,
        contact_name=rng.choice(["王总", "李总", "张经理", "刘总", "陈经理", "赵总"]),
        contact_phone=f"139{rng.randint(10000000, 99999999)}",
    )


def _names(rng, kind, province, city, used) -> tuple[str, str]:
    """A project named as a register names it (年产5万套新能源汽车零部件项目) and its investor
    (宁波恒远汽车零部件有限公司); a trade name is used once."""
    trade = next((t for t in rng.sample(TRADE_NAMES, len(TRADE_NAMES)) if t not in used), None)
    while trade is None or trade in used or trade[0] == trade[1]:  # a character of two names
        trade = f"{rng.choice(TRADE_NAMES)[0]}{rng.choice(TRADE_NAMES)[1]}"
    used.add(trade)
    product, unit = PRODUCTS[kind]
    if unit:
        amount = rng.choice([5, 10, 20, 30, 50, 100, 200, 500])
        name = f"{trade}年产{amount}{unit}{product}项目"
    else:
        name = f"{trade}{product}项目"
    if province in ("韩国", "日本"):
        investor = f"{province}{trade}{COMPANY_WORDS[kind]}株式会社"
    else:
        place = city if province.endswith("省") else province
        investor = f"{place.removesuffix('市')}{trade}{COMPANY_WORDS[kind]}有限公司"
    return name, investor


def _progress(rng, stage, on, today, drop_share):
    steps = []
    while stage in NEXT_GAP_DAYS:
        low, high = NEXT_GAP_DAYS[stage]
        nxt_on = on + dt.timedelta(days=rng.randint(low, high))
        if nxt_on > today:
            break
        if stage == Stage.NEGOTIATING and rng.random() < drop_share:
            steps.append((Stage.DROPPED, nxt_on))
            break
        if rng.random() > GO_ON[stage]:
            break
        nxt = {
            Stage.NEGOTIATING: Stage.SIGNED,
            Stage.SIGNED: Stage.REGISTERED if rng.random() < 0.8 else Stage.UNDER_CONSTRUCTION,
            Stage.REGISTERED: Stage.UNDER_CONSTRUCTION,
            Stage.UNDER_CONSTRUCTION: Stage.IN_PRODUCTION,
            Stage.IN_PRODUCTION: Stage.AT_CAPACITY,
        }[stage]
        steps.append((nxt, nxt_on))
        stage, on = nxt, nxt_on
    return steps


def _note(stage: str) -> str:
    return {
        Stage.SIGNED: "签订投资协议",
        Stage.REGISTERED: "完成工商注册",
        Stage.UNDER_CONSTRUCTION: "取得施工许可，正式开工",
        Stage.IN_PRODUCTION: "设备调试完成，正式投产",
    }.get(stage, "")


def _money(rng, project, steps, today) -> list[MoneyEntry]:
    entries = []
    signed = next((d for s, d in steps if s == Stage.SIGNED), None)
    if signed is None:
        return entries
    share = Decimal(rng.choice(["0.1", "0.2", "0.3"]))
    entries.append(
        MoneyEntry(
            project=project,
            kind=MoneyKind.FUNDS_IN_PLACE,
            on=min(signed + dt.timedelta(days=30), today),
            amount=(project.total_investment * share).quantize(Decimal(1)),
        )
    )
    started = next((d for s, d in steps if s == Stage.UNDER_CONSTRUCTION), None)
    if started:
        day = started
        while (day := day + dt.timedelta(days=90)) <= today:
            entries.append(
                MoneyEntry(
                    project=project,
                    kind=MoneyKind.INVESTMENT_COMPLETED,
                    on=day,
                    amount=(project.fixed_asset_investment * Decimal("0.15")).quantize(Decimal(1)),
                )
            )
    return entries


def _engagements(rng, project, steps, admin, today) -> list[Engagement]:
    first = steps[0][1]
    return [
        Engagement(
            project=project,
            kind=rng.choice(list(EngagementKind.values)),
            on=min(first + dt.timedelta(days=rng.randint(0, 20)), today),
            people="投资方负责人、投促局招商专员",
            summary="介绍园区政策与载体，了解项目用地和厂房需求",
            next_step="安排实地考察",
            recorded_by=admin,
        )
        for _ in range(rng.randint(1, 3))
    ]
