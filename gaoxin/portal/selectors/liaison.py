"""The liaison's part of a desk (驻企联络员, `Enterprise.liaison`): the enterprises in the
officer's care gone without contact for the zone's N days, never-visited first, as counts that
open the visits page filtered to exactly those enterprises."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from gaoxin.enterprises.models import Enterprise
from gaoxin.portal.selectors.tiles import Tile, link
from gaoxin.visits import selectors as visits

__all__ = ["liaison_block"]


def liaison_block(user, today: dt.date) -> dict | None:
    """None for a user who looks after no enterprise; else the tiles and the first rows."""
    if not getattr(user, "is_zone_staff", False):
        return None
    if not Enterprise.objects.filter(liaison=user).exists():
        return None
    days = visits.visit_rules().no_contact_days
    silent = visits.no_contact(liaison=user, today=today, days=days)
    never = [e for e in silent if e.last_visit is None]
    tiles = [
        Tile(
            "no_contact",
            _("My enterprises without contact for %(n)d days") % {"n": days},
            len(silent),
            link("visits:list", days=days),
            "warning" if silent else "",
        ),
        Tile(
            "never_visited",
            _("My enterprises never visited"),
            len(never),
            link("visits:list", days=days, never=1),
            "danger" if never else "",
        ),
    ]
    return {"tiles": tiles, "no_contact": silent[:8], "days": days, "count": len(silent)}
