"""Reads of government services: on-time, rating and bundle statistics for any period, per
department, item or window."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone

from gaoxin.affairs.clocks import bundle_clock
from gaoxin.affairs.models import (
    BAD_LEVELS,
    Application,
    ApplicationState,
    Appointment,
    AppointmentState,
    Authorization,
    BundleCase,
    BundleCaseState,
    Rating,
    Review,
    ReviewState,
    ServiceItem,
)
from gaoxin.dispatch.selectors import ledger_projects, missing_months, month_start
from gaoxin.enterprises.models import Enterprise
from gaoxin.projects.models import Project

__all__ = [
    "UNITS",
    "BundleRow",
    "OnTimeRow",
    "RatingRow",
    "acting_for",
    "bundles_within_promise",
    "enterprise_portal",
    "items_for",
    "on_time",
    "projects_for",
    "ratings",
    "review_queue_for",
]

# A pending review whose deadline falls within this many days is "due soon" in the queue.
REVIEW_SOON_DAYS = 2
# The queue's views (?show=…): what a home page's count of reviews opens.
REVIEW_VIEWS = ("late", "soon", "supplement", "decided_today")

# by -> (the key and the label of a case's unit)
UNITS = {
    "department": ("items__department", "items__department__name"),
    "item": ("items", "items__name"),
    "window": ("window", "window__name"),
}


@dataclass
class OnTimeRow:
    key: int
    label: str
    decided: int
    on_time: int
    overdue_open: int

    @property
    def rate(self):
        return round(100 * self.on_time / self.decided, 1) if self.decided else None


def on_time(period, now, by: str = "department") -> list[OnTimeRow]:
    """Cases decided in the period and how many by their deadline, per department (of the
    items), item or accepting window; with the cases still open past their deadline now.
    One query."""
    key, label = UNITS.get(by, UNITS["department"])
    decided_in = Q(decided_at__date__range=(period.start, period.end))
    rows = (
        Application.objects.filter(accepted_at__isnull=False)
        .values(k=F(key), lbl=F(label))
        .annotate(
            decided=Count("pk", filter=decided_in, distinct=True),
            on_time=Count(
                "pk", filter=decided_in & Q(decided_at__lte=F("deadline")), distinct=True
            ),
            overdue_open=Count(
                "pk",
                filter=Q(decided_at__isnull=True, paused_since__isnull=True, deadline__lt=now),
                distinct=True,
            ),
        )
        .order_by("lbl")
    )
    return [
        OnTimeRow(r["k"], r["lbl"], r["decided"], r["on_time"], r["overdue_open"])
        for r in rows
        if r["decided"] or r["overdue_open"]
    ]


@dataclass
class RatingRow:
    key: int | None
    label: str
    total: int
    bad: int
    defaulted: int
    levels: dict

    @property
    def satisfaction(self):
        return round(100 * (self.total - self.bad) / self.total, 1) if self.total else None


def ratings(period, by: str = "department") -> list[RatingRow]:
    """Ratings given (or defaulted) in the period, per department, item or window: how many
    at each of the five levels, bad ones, defaulted ones. One query."""
    key, label = UNITS.get(by, UNITS["department"])
    rows = (
        Rating.objects.filter(rated_at__date__range=(period.start, period.end))
        .values(k=F(f"application__{key}"), lbl=F(f"application__{label}"))
        .annotate(
            total=Count("pk", distinct=True),
            bad=Count("pk", filter=Q(level__in=BAD_LEVELS), distinct=True),
            defaulted=Count("pk", filter=Q(defaulted=True), distinct=True),
            **{f"l{n}": Count("pk", filter=Q(level=n), distinct=True) for n in range(1, 6)},
        )
        .order_by("lbl")
    )
    return [
        RatingRow(
            r["k"],
            r["lbl"] or "—",
            r["total"],
            r["bad"],
            r["defaulted"],
            {n: r[f"l{n}"] for n in range(5, 0, -1)},
        )
        for r in rows
    ]


@dataclass
class BundleRow:
    key: int
    label: str
    done: int
    within: int
    stopped: int

    @property
    def rate(self):
        return round(100 * self.within / self.done, 1) if self.done else None


def bundles_within_promise(period) -> list[BundleRow]:
    """Per bundle: runs finished in the period, how many within the bundle's promise (working
    minutes from filing to the last approval), and how many stopped."""
    runs = BundleCase.objects.filter(
        finished_at__date__range=(period.start, period.end)
    ).select_related("bundle")
    table: dict[int, BundleRow] = {}
    for run in runs:
        row = table.setdefault(run.bundle_id, BundleRow(run.bundle_id, run.bundle.name, 0, 0, 0))
        if run.state == BundleCaseState.STOPPED:
            row.stopped += 1
            continue
        row.done += 1
        row.within += bundle_clock(run)["within"]
    return sorted(table.values(), key=lambda r: r.label)


def enterprise_portal(user) -> dict:
    """An enterprise user's home: its applications (those to rate first), appointments,
    bundles, authorisations, and the ledger months it still owes."""
    now = timezone.now()
    today = timezone.localdate()
    applications = (
        Application.objects.restrict(user)
        .select_related("window", "extension")
        .prefetch_related("items")
    )
    last_month = month_start(today) - dt.timedelta(days=1)  # the month just completed
    projects = list(ledger_projects(user))
    gaps = missing_months(projects, last_month)
    return {
        "open_applications": list(
            # Drafts too: the enterprise comes back to finish and submit them.
            applications.exclude(state=ApplicationState.CLOSED)[:10]
        ),
        "to_rate": list(applications.filter(state=ApplicationState.CLOSED, rating__isnull=True)),
        "appointments": list(
            Appointment.objects.restrict(user)
            .filter(state=AppointmentState.BOOKED, slot__ends_at__gte=now)
            .select_related("slot__window", "item")[:5]
        ),
        "bundle_runs": list(
            BundleCase.objects.restrict(user)
            .filter(state=BundleCaseState.OPEN)
            .select_related("bundle")[:5]
        ),
        "authorizations": list(
            Authorization.objects.restrict(user).active_on(today).select_related("agent")
        ),
        "ledger_due": [(project, gaps[project.pk]) for project in projects if project.pk in gaps],
    }


def acting_for(user):
    """The enterprises a user may act for: its own, those whose authorisation of the agent is
    in force, any for the window."""
    if user.role == "enterprise":
        return Enterprise.objects.filter(pk=user.enterprise_id)
    if user.role == "agent":
        today = timezone.localdate()
        return Enterprise.objects.filter(
            authorizations__in=Authorization.objects.filter(agent=user).active_on(today)
        ).distinct()
    return Enterprise.objects.order_by("name")


def items_for(user):
    """The published items a user may file: all of them, but for an agent only those its
    authorisations in force cover (every item under a project-wide authorisation)."""
    items = ServiceItem.objects.active()
    if user.role != "agent":
        return items
    in_force = Authorization.objects.filter(agent=user).active_on(timezone.localdate())
    if in_force.filter(scope="project").exists():
        return items
    return items.filter(pk__in=in_force.values("items")).distinct()


def projects_for(user):
    """Projects a case may be filed for: the enterprise's own; an agent's, those it is
    authorised for as a whole."""
    if user.role == "enterprise":
        return Project.objects.filter(enterprise_id=user.enterprise_id).order_by("name")
    if user.role == "agent":
        scoped = Authorization.objects.filter(agent=user, scope="project").active_on(
            timezone.localdate()
        )
        return Project.objects.filter(pk__in=scoped.values("project")).order_by("name")
    return Project.objects.none()


def review_queue_for(user, *, show: str = "", now: dt.datetime | None = None):
    """The reviews a user's queue holds — its department's (the window, leaders and
    administrators every department's) — open ones by default, or one view: ``late`` (pending
    past the deadline), ``soon`` (pending, due within two days), ``supplement`` (waiting for
    supplements), ``decided_today`` (agreed or not today)."""
    now = now or timezone.now()
    reviews = Review.objects.all()
    if user.role not in ("admin", "leader", "clerk"):
        reviews = reviews.filter(department_id=user.department_id or -1)
    if show == "decided_today":
        return reviews.filter(decided_at__date=timezone.localdate(now))
    reviews = reviews.filter(
        state__in=(ReviewState.PENDING, ReviewState.SUPPLEMENT),
        application__state=ApplicationState.UNDER_REVIEW,
    )
    if show == "late":
        return reviews.filter(state=ReviewState.PENDING, deadline__lt=now)
    if show == "soon":
        soon = now + dt.timedelta(days=REVIEW_SOON_DAYS)
        return reviews.filter(state=ReviewState.PENDING, deadline__gte=now, deadline__lte=soon)
    if show == "supplement":
        return reviews.filter(state=ReviewState.SUPPLEMENT)
    return reviews
