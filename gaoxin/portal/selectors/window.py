"""The window clerk's and the reviewing department's desks: cases awaiting acceptance on the
five-working-day intake clock, today's appointments, commitments (容缺) due and committed
materials to check, supplements handed back; a department's review queue by deadline."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.affairs import clocks
from gaoxin.affairs import selectors as affairs
from gaoxin.affairs.filters import (
    COMMITMENT_SOON_DAYS,
    commitments_due,
    commitments_to_check,
)
from gaoxin.affairs.models import (
    Application,
    ApplicationState,
    Appointment,
    AppointmentState,
    Commitment,
    Review,
    ReviewState,
    ServiceItem,
    SupplementRequest,
)
from gaoxin.affairs.services.intake import intake_notice_due, intake_received_at
from gaoxin.core import workcalendar
from gaoxin.portal.selectors.tiles import Tile, link
from gaoxin.projects.models import Project

__all__ = [
    "COMMITMENT_SOON_DAYS",
    "SUPPLEMENT_RECENT_DAYS",
    "clerk_desk",
    "is_reviewer",
    "review_queue",
    "reviewer_desk",
]

# Supplements the applicant handed in within this many days.
SUPPLEMENT_RECENT_DAYS = 7


def is_reviewer(user) -> bool:
    """Department staff whose department reviews service cases and looks after no projects:
    their desk is the review queue (staff of a project department see the queue on theirs)."""
    if not user.department_id:
        return False
    reviews_cases = ServiceItem.objects.filter(department_id=user.department_id).exists()
    has_projects = Project.objects.filter(department_id=user.department_id).exists()
    return reviews_cases and not has_projects


def review_queue(user, limit: int = 15) -> dict:
    """The open reviews of the user's department, soonest deadline first, each with its clock;
    how many, how many late, how many waiting for supplements."""
    if not user.department_id or not user.has_perm("affairs.view_review_queue"):
        return {"count": 0, "late": 0, "waiting": 0, "rows": []}
    reviews = Review.objects.filter(
        department_id=user.department_id,
        state__in=(ReviewState.PENDING, ReviewState.SUPPLEMENT),
        application__state=ApplicationState.UNDER_REVIEW,
    )
    now = timezone.now()
    rows = list(
        reviews.select_related("application__enterprise", "application__extension")
        .prefetch_related("application__items")
        .order_by("deadline")[:limit]
    )
    for review in rows:
        review.clock = clocks.review_clock(review, review.application)
    return {
        "count": reviews.count(),
        "late": reviews.filter(state=ReviewState.PENDING, deadline__lt=now).count(),
        "waiting": reviews.filter(state=ReviewState.SUPPLEMENT).count(),
        "rows": rows,
    }


def _awaiting_acceptance(user, today: dt.date) -> tuple[int, list]:
    submitted = Application.objects.restrict(user).filter(state=ApplicationState.SUBMITTED)
    cases = list(
        submitted.select_related("enterprise")
        .prefetch_related("items", "supplements")
        .order_by("submitted_at")[:12]
    )
    for case in cases:
        due = intake_notice_due(intake_received_at(case))
        case.intake_due = due
        if due < today:
            case.intake_left, case.light = None, "red"
        else:
            left = workcalendar.working_days_between(today, due).value
            case.intake_left = left
            case.light = "yellow" if left <= 1 else "green"
    return submitted.count(), cases


def clerk_desk(user, today: dt.date) -> dict:
    count, awaiting = _awaiting_acceptance(user, today)
    appointments = list(
        Appointment.objects.restrict(user)
        .filter(
            slot__starts_at__date=today,
            state__in=(AppointmentState.BOOKED, AppointmentState.CHECKED_IN),
        )
        .select_related("slot__window", "item", "enterprise")
        .order_by("slot__starts_at")
    )
    in_scope = Application.objects.restrict(user)
    commitments = Commitment.objects.filter(application__in=in_scope).select_related(
        "application__enterprise"
    )
    to_check_all = commitments_to_check(commitments)
    to_check = list(to_check_all.order_by("supplied_at")[:10])
    to_check_count = len(to_check) if len(to_check) < 10 else to_check_all.count()
    due_all = commitments_due(commitments, today)
    due_soon = list(due_all.order_by("due_on")[:10])
    due_count = len(due_soon) if len(due_soon) < 10 else due_all.count()
    for commitment in due_soon:
        commitment.light = "red" if commitment.due_on < today else "yellow"
    since = timezone.now() - dt.timedelta(days=SUPPLEMENT_RECENT_DAYS)
    supplied = list(
        SupplementRequest.objects.filter(
            application__in=in_scope.filter(decided_at__isnull=True), supplied_at__gte=since
        )
        .select_related("application__enterprise")
        .order_by("-supplied_at")[:10]
    )
    late = sum(1 for c in awaiting if c.light == "red")
    tiles = [
        Tile(
            "awaiting",
            _("Cases awaiting acceptance"),
            count,
            link("affairs:applications", state=ApplicationState.SUBMITTED),
            "danger" if late else ("warning" if count else ""),
        ),
        Tile(
            "appointments",
            _("Appointments today"),
            len(appointments),
            link("affairs:appointments", show="today"),
        ),
        Tile(
            "commitments",
            _("Commitments due"),
            due_count,
            link("affairs:applications", commitment="due"),
            "danger"
            if any(c.light == "red" for c in due_soon)
            else ("warning" if due_soon else ""),
        ),
        Tile(
            "to_check",
            _("Committed materials to check"),
            to_check_count,
            link("affairs:applications", commitment="to_check"),
            "warning" if to_check else "",
        ),
        Tile("supplied", _("Supplements handed in"), len(supplied), "#supplied"),
    ]
    return {
        "tiles": tiles,
        "awaiting": awaiting,
        "appointments": appointments,
        "commitments_due": due_soon,
        "commitments_to_check": to_check,
        "supplied": supplied,
    }


def reviewer_desk(user, today: dt.date) -> dict:
    queue = review_queue(user, limit=20)
    # Each count is the review queue's own view, so the tile opens exactly what it counts.
    shown = {
        show: affairs.review_queue_for(user, show=show).count()
        for show in ("late", "soon", "supplement", "decided_today")
    }
    tiles = [
        Tile("queue", _("Cases in our review queue"), queue["count"], link("affairs:reviews")),
        Tile(
            "late",
            _("Reviews past their deadline"),
            shown["late"],
            link("affairs:reviews", show="late"),
            "danger" if shown["late"] else "",
        ),
        Tile(
            "soon",
            _("Reviews due within two days"),
            shown["soon"],
            link("affairs:reviews", show="soon"),
            "warning" if shown["soon"] else "",
        ),
        Tile(
            "waiting",
            _("Waiting for supplements"),
            shown["supplement"],
            link("affairs:reviews", show="supplement"),
        ),
        Tile(
            "decided",
            _("Decided today"),
            shown["decided_today"],
            link("affairs:reviews", show="decided_today"),
        ),
    ]
    return {"tiles": tiles, "reviews": queue}
