"""Small-zone builders for the 投产达效 tests: projects with stage events, ledger months,
plots and leases written directly (the tests of those apps cover their own services)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gaoxin.cockpit.models import Plot, ProjectPlot
from gaoxin.dispatch.models import LedgerEntry
from gaoxin.projects.models import Project, Stage, StageEvent
from gaoxin.spaces.models import Building, Lease, Unit

D = dt.date


def project(enterprise, *, name="项目", producing_on=None, started_on=None, **extra) -> Project:
    stage = Stage.IN_PRODUCTION if producing_on else Stage.SIGNED
    p = Project.objects.create(name=name, enterprise=enterprise, stage=stage, **extra)
    if started_on:
        StageEvent.objects.create(project=p, stage=Stage.UNDER_CONSTRUCTION, on=started_on)
    if producing_on:
        StageEvent.objects.create(project=p, stage=Stage.IN_PRODUCTION, on=producing_on)
    return p


def months(project, year, by, *, output, tax, employees=100, energy="10", rd="1", skip=()):
    for m in range(1, 13):
        if m in skip:
            continue
        LedgerEntry.objects.create(
            project=project,
            month=D(year, m, 1),
            output_value=Decimal(output),
            tax=Decimal(tax),
            employees=employees,
            energy_tce=None if energy is None else Decimal(energy),
            rd_spending=None if rd is None else Decimal(rd),
            entered_by=by,
        )


def plot(code, area) -> Plot:
    return Plot.objects.create(
        code=code, name=code, area_mu=None if area is None else Decimal(area)
    )


def place(project, plot) -> None:
    ProjectPlot.objects.create(project=project, plot=plot)


def lease(enterprise, area_m2, starts, ends, *, building="孵化器1号楼", number="101") -> Lease:
    b, _ = Building.objects.get_or_create(name=building, defaults={"kind": "factory"})
    unit = Unit.objects.create(building=b, number=number, area_m2=Decimal(area_m2))
    return Lease.objects.create(
        unit=unit, enterprise=enterprise, starts_on=starts, ends_on=ends, rent_m2_month=10
    )


THREE = [
    {
        "code": "tax_per_mu",
        "name": "亩均税收",
        "numerator": "tax",
        "denominator": "land",
        "weight": 50,
        "benchmark": "10",
        "unit": "万元/亩",
    },
    {
        "code": "output_per_mu",
        "name": "亩均产值",
        "numerator": "output",
        "denominator": "land",
        "weight": 30,
        "benchmark": "100",
        "unit": "万元/亩",
    },
    {
        "code": "rd_ratio",
        "name": "研发经费投入强度",
        "numerator": "rd",
        "denominator": "output",
        "scale": 100,
        "weight": 20,
        "benchmark": "2",
        "unit": "%",
    },
]
