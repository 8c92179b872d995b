"""The talent commissioner's desk: programme batches open, benefit instalments due, the
talents it serves that are due a visit."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max
from django.utils.translation import gettext as _

from gaoxin.portal.selectors.tiles import Tile, link
from gaoxin.talent.models import Batch, BatchState, Instalment, Talent

__all__ = ["BENEFIT_SOON_DAYS", "VISIT_EVERY_DAYS", "commissioner_desk"]

# An instalment due within this many days (or unpaid past its date) is on the desk.
BENEFIT_SOON_DAYS = 30
# A commissioner visits (or records a service to) each of its talents at least quarterly.
VISIT_EVERY_DAYS = 90


def commissioner_desk(user, today: dt.date) -> dict:
    batches = list(
        Batch.objects.filter(state__in=(BatchState.CALL, BatchState.REVIEW)).order_by("closes_on")
    )
    instalments = list(
        Instalment.objects.filter(
            paid_on__isnull=True, due_on__lte=today + dt.timedelta(days=BENEFIT_SOON_DAYS)
        )
        .select_related("benefit__application__talent", "benefit__application__team")
        .order_by("due_on")[:50]
    )
    for instalment in instalments:
        instalment.light = "red" if instalment.due_on < today else "yellow"
    talents = list(
        Talent.objects.filter(commissioner=user)
        .select_related("enterprise")
        .annotate(last_visit=Max("service_log__on"))
    )
    since = today - dt.timedelta(days=VISIT_EVERY_DAYS)
    to_visit = [t for t in talents if t.last_visit is None or t.last_visit < since]
    to_visit.sort(key=lambda t: t.last_visit or dt.date.min)
    late = sum(1 for i in instalments if i.light == "red")
    tiles = [
        Tile("batches", _("Programme batches open"), len(batches), link("talent:batches", open=1)),
        Tile(
            "benefits",
            _("Benefit instalments due"),
            len(instalments),
            "#benefits",
            "danger" if late else ("warning" if instalments else ""),
        ),
        Tile(
            "visits",
            _("Talents to visit"),
            len(to_visit),
            link("talent:talents", mine=1, silent=VISIT_EVERY_DAYS),
            "warning" if to_visit else "",
        ),
        Tile("talents", _("Talents I serve"), len(talents), link("talent:talents", mine=1)),
    ]
    return {
        "tiles": tiles,
        "batches": batches,
        "instalments": instalments[:10],
        "to_visit": to_visit[:10],
        "visit_every": VISIT_EVERY_DAYS,
    }
