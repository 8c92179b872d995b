"""The demo's 投产达效: agreements for the producing projects (kept, at risk, one broken, one
where the zone delivered the land late, one due soon) and last year's per-mu evaluation,
published, over the zone's established producers (the enterprises the reference article names,
with their existing lines, shares of park plots and a full ledger)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gaoxin.delivery import services, watch
from gaoxin.delivery.models import Agreement, Evaluation, LandShare, TermKind
from gaoxin.dispatch.models import LedgerEntry
from gaoxin.enterprises.models import Enterprise
from gaoxin.projects.models import Project, Stage, StageEvent

TWO = Decimal("0.01")
# How an established producer fares against the default benchmarks (1 = on the benchmark).
PROFILES = [1.7, 1.45, 1.25, 1.1, 0.95, 0.85, 0.7, 0.55, 0.4]
# Shares of the park plots the established producers hold (plot order, percent per producer).
# The established lines (producing since before the demo's years): in every register count.
ESTABLISHED_LINES = len(PROFILES) + 2
SHARES = [(0, [40, 35, 25]), (1, [50, 30, 20]), (2, [60, 40])]


def _month(day: dt.date, n: int) -> dt.date:
    return watch.add_months(day.replace(day=1), n)


def _free_plots():
    plot_model = LandShare._meta.get_field("plot").related_model
    return list(
        plot_model.objects.filter(placements__isnull=True, area_mu__isnull=False)
        .order_by("-area_mu", "code")
        .distinct()
    )


def _established(rng, admin, today) -> list[Project]:
    """An existing line for each named enterprise (not the hospital), producing since 2021–22,
    with its ledger from January last year to last month."""
    year = today.year - 1
    last = _month(today, -1)
    made = []
    names = [
        n
        for n in Enterprise.objects.order_by("pk").values_list("name", flat=True)
        if "医院" not in n
    ][:ESTABLISHED_LINES]
    for index, name in enumerate(names):
        enterprise = Enterprise.objects.get(name=name)
        # The last two: one producing for under two years (T), one without land recorded.
        since = dt.date(2021, 3 + index % 9, 1) if index < len(PROFILES) + 1 else None
        if index == len(PROFILES):
            since = dt.date(year - 1, 9, 1)
        since = since or dt.date(2022, 6, 1)
        project = Project.objects.create(
            name=f"{name.removesuffix('有限公司')}现有生产线",
            enterprise=enterprise,
            cluster=enterprise.cluster,
            industry=enterprise.industry,
            stage=Stage.AT_CAPACITY,
            stage_since=since + dt.timedelta(days=365),
            description="入园前已建成投产的生产线（亩均效益评价演示数据）。",
        )
        StageEvent.objects.bulk_create(
            [
                StageEvent(
                    project=project,
                    stage=Stage.UNDER_CONSTRUCTION,
                    on=since - dt.timedelta(days=400),
                    note="历史数据",
                    recorded_by=admin,
                ),
                StageEvent(project=project, stage=Stage.IN_PRODUCTION, on=since, recorded_by=admin),
                StageEvent(
                    project=project,
                    stage=Stage.AT_CAPACITY,
                    on=since + dt.timedelta(days=365),
                    recorded_by=admin,
                ),
            ]
        )
        for event in StageEvent.objects.filter(project=project):  # recorded on their day
            StageEvent.objects.filter(pk=event.pk).update(
                recorded_at=timezone.make_aware(dt.datetime.combine(event.on, dt.time(10)))
            )
        made.append(project)
        profile = PROFILES[index] if index < len(PROFILES) else 1.0
        land = Decimal(60 + 15 * (index % 4))  # the figures' scale; the land comes from shares
        entries = []
        month = dt.date(year, 1, 1)
        while month <= last:
            noise = Decimal(rng.randint(85, 115)) / 100
            r = Decimal(str(profile)) * noise
            output = (300 * r * land / 12).quantize(TWO)
            # One producer has not entered last year's June (not scored, the month named).
            if not (index == 3 and month == dt.date(year, 6, 1)):
                entries.append(
                    LedgerEntry(
                        project=project,
                        month=month,
                        output_value=output,
                        tax=(15 * r * land / 12).quantize(TWO),
                        employees=max(20, int(output * 12 / (100 * r))),
                        energy_tce=(output / (2 * r)).quantize(TWO),
                        rd_spending=(output * Decimal("0.03") * r).quantize(TWO),
                        entered_by=admin,
                    )
                )
            month = _month(month, 1)
        LedgerEntry.objects.bulk_create(entries)
    return made


def _share_land(established: list[Project], by) -> None:
    """Park plots shared by the established producers (the last one has none: not scored)."""
    plots = _free_plots()
    holders = iter(p.enterprise for p in established[:-1])
    for plot_index, percents in SHARES:
        if plot_index >= len(plots):
            break
        shares = {}
        for percent in percents:
            enterprise = next(holders, None)
            if enterprise is not None:
                shares[enterprise] = Decimal(percent)
        if sum(shares.values()) == 100:
            services.land_shares_set(plot=plots[plot_index], shares=shares, by=by)
    # Those left get a plot of their own.
    for enterprise, plot in zip(holders, plots[len(SHARES) :], strict=False):
        services.land_shares_set(plot=plot, shares={enterprise: Decimal(100)}, by=by)


def _events(project) -> dict[str, dt.date]:
    return dict(
        StageEvent.objects.effective()
        .filter(project=project)
        .order_by("on")
        .values_list("stage", "on")
    )


def _agreement(project, n: int, scenario: str, today: dt.date, by) -> Agreement | None:
    events = _events(project)
    start, production = events.get(Stage.UNDER_CONSTRUCTION), events.get(Stage.IN_PRODUCTION)
    if start is None or production is None:
        return None
    signed = events.get(Stage.SIGNED) or start - dt.timedelta(days=90)
    land_due = signed + dt.timedelta(days=20)
    delivered = land_due - dt.timedelta(days=5)
    start_due = start + dt.timedelta(days=15)
    production_due = production + dt.timedelta(days=30)
    terms = []
    if scenario == "zone_late":
        # The zone handed the land over weeks late; the start was due before it, but is
        # excused by the delay.
        delivered = min(start - dt.timedelta(days=3), land_due + dt.timedelta(days=40))
        late = (delivered - land_due).days
        start_due = start - dt.timedelta(days=max(late // 2, 1))
    if scenario == "broken":
        production_due = production - dt.timedelta(days=75)
    if scenario == "at_risk":
        terms.append(
            {
                "kind": TermKind.INVESTMENT,
                "due_on": today + dt.timedelta(days=150),
                "target": max(project.fixed_asset_investment, Decimal(20000)),
            }
        )
    if scenario == "due_soon":
        terms.append(
            {
                "kind": TermKind.OUTPUT_PER_MU,
                "due_on": today + dt.timedelta(days=14),
                "target": Decimal(300),
            }
        )
    terms += [
        {"kind": TermKind.LAND_DELIVERY, "due_on": land_due},
        {"kind": TermKind.START, "due_on": start_due, "depends_on": TermKind.LAND_DELIVERY},
        {"kind": TermKind.PRODUCTION, "due_on": production_due},
        {"kind": TermKind.UTILITIES, "due_on": land_due + dt.timedelta(days=30)},
    ]
    fixed = project.fixed_asset_investment or Decimal(8000)
    land = project.land_need_mu or Decimal(50)
    agreement = services.agreement_create(
        project=project,
        number=f"RZGX-{signed.year}-{n:03d}",
        title=f"{project.name}投资协议",
        version={
            "signed_on": signed,
            "total_investment": max(project.total_investment, fixed),
            "fixed_asset_investment": fixed,
            "land_area_mu": land,
            "breach_clauses": "逾期开工、投产超过6个月的，按协议约定收取违约金；"
            "达产后亩均税收连续两年低于约定值的，取消相关扶持政策。",
        },
        terms=terms,
        by=by,
    )
    version = agreement.versions.get()
    services.term_fulfil(
        term=version.terms.get(kind=TermKind.LAND_DELIVERY), on=min(delivered, today), by=by
    )
    services.term_fulfil(
        term=version.terms.get(kind=TermKind.UTILITIES),
        on=min(land_due + dt.timedelta(days=25), today),
        by=by,
    )
    return agreement


def _yearly_agreement(project, n, target: Decimal, today, by) -> Agreement:
    since = _events(project)[Stage.IN_PRODUCTION]
    land = LandShare.objects.filter(enterprise=project.enterprise).first()
    mu = (land.plot.area_mu * land.percent / 100).quantize(TWO) if land else Decimal(50)
    return services.agreement_create(
        project=project,
        number=f"RZGX-{since.year - 2}-{n:03d}",
        title=f"{project.name}履约监管协议",
        version={
            "signed_on": since - dt.timedelta(days=700),
            "total_investment": Decimal(30000),
            "fixed_asset_investment": Decimal(24000),
            "land_area_mu": mu,
            "breach_clauses": "亩均税收低于约定值的，按差额收取违约金。",
        },
        terms=[
            {
                "kind": TermKind.TAX_PER_MU,
                "due_on": dt.date(today.year - 1, 1, 1),
                "target": target,
            },
            {"kind": TermKind.PRODUCTION, "due_on": since + dt.timedelta(days=20)},
        ],
        by=by,
    )


@transaction.atomic
def seed_delivery(*, admin, today: dt.date) -> int:
    """Agreements and last year's published evaluation, unless there are agreements already.
    Returns the number of agreements made."""
    if Agreement.objects.exists() or Evaluation.objects.exists():
        return 0
    rng = random.Random(21)
    established = _established(rng, admin, today)
    _share_land(established, admin)
    producing = list(
        Project.objects.filter(
            stage__in=[Stage.IN_PRODUCTION, Stage.AT_CAPACITY], enterprise__isnull=False
        )
        .exclude(pk__in=[p.pk for p in established])
        .order_by("pk")
    )
    scenarios = ["kept", "zone_late", "at_risk", "broken", "due_soon", "kept", "at_risk"]
    made = 0
    for n, project in enumerate(producing, start=1):
        if made >= len(scenarios):
            break
        if _agreement(project, n, scenarios[made], today, admin) is not None:
            made += 1
    # Two established producers promised tax per mu: one keeps it, one falls short.
    _yearly_agreement(established[0], 90, Decimal(15), today, admin)
    _yearly_agreement(established[6], 91, Decimal(15), today, admin)
    made += 2
    year = today.year - 1
    services.evaluation_year_defaults(year=year, by=admin)
    evaluation = services.evaluation_compute(year=year, by=admin)
    services.evaluation_publish(evaluation=evaluation, by=admin)
    return made
