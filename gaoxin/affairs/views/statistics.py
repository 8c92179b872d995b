"""The statistics page of government services: on-time rate and ratings of cases per
department, item or window, and bundles done within their promise, for any period."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.affairs import selectors
from gaoxin.affairs.models import RatingLevel
from gaoxin.core.permissions import permission_required
from gaoxin.projects.forms import period_from_request

__all__ = ["statistics"]


@permission_required("affairs.view_service_statistics")
def statistics(request):
    """On-time rate and ratings of cases per department, item or window, and bundles done
    within their promise, for any period."""
    form, period = period_from_request(request)
    by = request.GET.get("by") if request.GET.get("by") in selectors.UNITS else "department"
    rows = selectors.on_time(period, timezone.now(), by) if period else []
    return render(
        request,
        "affairs/statistics.html",
        {
            "form": form,
            "period": period,
            "rows": rows,
            "ratings": selectors.ratings(period, by) if period else [],
            "bundles": selectors.bundles_within_promise(period) if period else [],
            "rating_levels": sorted(RatingLevel.choices, reverse=True),
            "units": [
                ("department", _("Department")),
                ("item", _("Item")),
                ("window", _("Window")),
            ],
            "by": by,
            "rating_days": settings.RATING_WORKING_DAYS,
            "totals": {
                "decided": sum(r.decided for r in rows),
                "on_time": sum(r.on_time for r in rows),
            },
        },
        status=200 if period else 400,
    )
