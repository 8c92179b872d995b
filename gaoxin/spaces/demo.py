"""Demo space for the reference zone: factories, offices, talent apartments and an incubator,
with tenants among the demo enterprises, some leases ending soon and a graduate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from gaoxin.enterprises.models import Enterprise
from gaoxin.spaces import services
from gaoxin.spaces.models import Building

# (name, kind, address, units: (count, area, floor load, power, height, features))
BUILDINGS = [
    ("智能装备产业园1号厂房", "factory", "高新区创新路1号", (8, 2400, "30", 1000, "9", "行车 5吨")),
    ("智能装备产业园2号厂房", "factory", "高新区创新路1号", (6, 1200, "15", 500, "6", "")),
    (
        "电子信息产业园A区厂房",
        "factory",
        "高新区科技大道18号",
        (10, 1800, "20", 800, "7.5", "洁净车间"),
    ),
    ("科创大厦", "office", "高新区高新七路99号", (24, 320, None, None, None, "精装修")),
    (
        "高新区创业孵化中心",
        "incubator",
        "高新区高新七路88号",
        (30, 80, None, None, None, "共享会议室"),
    ),
    ("高新人才公寓", "talent_apartment", "高新区学苑路6号", (40, 75, None, None, None, "拎包入住")),
]


@transaction.atomic
def seed_spaces(*, by, today: dt.date) -> int:
    if Building.objects.exists():
        return 0
    enterprises = list(Enterprise.objects.order_by("pk"))
    n = 0
    for name, kind, address, (count, area, load, power, height, features) in BUILDINGS:
        building = services.building_create(
            by=by,
            data={"name": name, "kind": kind, "address": address, "operator": "高新区发展集团"},
        )
        for i in range(1, count + 1):
            unit = services.unit_create(
                building=building,
                by=by,
                data={
                    "number": f"{(i - 1) // 8 + 1}{i:02d}" if kind != "factory" else f"{i:02d}",
                    "floor": (i - 1) // 8 + 1 if kind != "factory" else 1,
                    "area_m2": Decimal(area) + (i % 3) * (Decimal(area) / 10),
                    "floor_load_kn_m2": Decimal(load) if load else None,
                    "power_kva": power,
                    "clear_height_m": Decimal(height) if height else None,
                    "features": features,
                },
            )
            # About two in three units are let, some ending within three months.
            if i % 3 == 0 or not enterprises:
                continue
            tenant = enterprises[n % len(enterprises)]
            n += 1
            starts = today - dt.timedelta(days=30 * (i % 20 + 2))
            ends = today + dt.timedelta(days=25 + 40 * (i % 7) if i % 4 == 0 else 365 * 2)
            lease = services.lease_create(
                unit=unit,
                enterprise=tenant,
                starts_on=starts,
                ends_on=ends,
                rent_m2_month=Decimal("0") if kind == "incubator" else Decimal("15") + i % 10,
                by=by,
            )
            if kind == "incubator" and i == 1:
                services.lease_terminate(
                    lease=lease,
                    on=today - dt.timedelta(days=20),
                    by=by,
                    graduated=True,
                    expected_version=lease.version,
                )
    return Building.objects.count()
