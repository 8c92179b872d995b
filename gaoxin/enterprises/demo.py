"""The demo register's scale facts: size, headcount, land, location, liaison officers and
qualifications (a few expiring soon, one lapsed)."""

from __future__ import annotations

import datetime as dt

from gaoxin.accounts.models import User
from gaoxin.enterprises.models import Enterprise, Qualification, QualificationType

__all__ = ["seed_register"]

# name fragment -> (size, headcount, land mu, qualifications: (code, years held, years left))
FACTS = {
    "海声尼克": ("medium", 320, "45.00", [("hnte", 2, 1), ("srdi", 1, 2)]),
    "东讯": ("small", 86, "12.50", [("hnte", 1, 2), ("tech-sme", 1, 0)]),
    "中兴新能源": ("large", 1200, "380.00", [("above-scale", 3, 1)]),
    "腾飞耐压仓": ("small", 64, "18.00", [("srdi", 2, 1), ("tech-sme", 1, 0)]),
    "飞奥航空": ("medium", 210, "60.00", [("hnte", 3, 0), ("gazelle", 1, 1)]),
    "宝力马": ("small", 95, None, [("hnte", 2, -1)]),  # lapsed
    "兴华半导体": ("medium", 260, "75.00", [("hnte", 1, 2), ("above-scale", 2, 1)]),
}


def seed_register(*, admin, today: dt.date) -> int:
    """Returns the enterprises filled in (0 when done before)."""
    if Qualification.objects.exists():
        return 0
    types = {t.code: t for t in QualificationType.objects.all()}
    liaisons = list(User.objects.filter(username__in=["staff", "steward"]).order_by("username"))
    done = 0
    for n, enterprise in enumerate(Enterprise.objects.order_by("pk")):
        facts = next((v for k, v in FACTS.items() if k in enterprise.name), None)
        enterprise.in_zone = True
        if liaisons:
            enterprise.liaison = liaisons[n % len(liaisons)]
        if facts:
            size, headcount, land, held = facts
            enterprise.size, enterprise.headcount = size, headcount
            enterprise.land_mu = land
            for code, years_held, years_left in held:
                end = today.replace(month=12, day=31) + dt.timedelta(days=365 * years_left)
                if years_left == 0:
                    end = today + dt.timedelta(days=45)  # expiring inside the reminder window
                Qualification.objects.create(
                    enterprise=enterprise,
                    type=types[code],
                    valid_from=today.replace(month=1, day=1) - dt.timedelta(days=365 * years_held),
                    valid_to=end,
                    certificate_number=f"GR{today.year - years_held}3700{n:04d}",
                )
        enterprise.version += 1
        enterprise.save()
        done += 1
    return done
