"""The desks of those the zone serves: the agent (cases and appointments per client) and the
enterprise (its cases with drafts to finish, appointments, problems, the services it can
start)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.affairs import clocks
from gaoxin.affairs.filters import IN_PROGRESS_STATES
from gaoxin.affairs.models import (
    Application,
    ApplicationState,
    Appointment,
    AppointmentState,
    Authorization,
    Bundle,
)
from gaoxin.affairs.selectors import enterprise_portal, items_for
from gaoxin.dispatch import lights
from gaoxin.dispatch.models import OPEN_STATES, Problem
from gaoxin.enterprises.models import Enterprise
from gaoxin.portal.selectors.tiles import Tile, link
from gaoxin.projects.models import Project

__all__ = ["agent_desk", "enterprise_desk"]

UNDECIDED = IN_PROGRESS_STATES
# How many rows the enterprise's home lists (affairs.selectors.enterprise_portal and below).
OPEN_APPLICATIONS_SHOWN = 10
APPOINTMENTS_SHOWN = 5
PROBLEMS_SHOWN = 10


def agent_desk(user, today: dt.date) -> dict:
    now = timezone.now()
    authorizations = list(
        Authorization.objects.restrict(user).active_on(today).select_related("enterprise")
    )
    cases = Application.objects.restrict(user)
    per_client = {
        row["enterprise"]: row
        for row in cases.values("enterprise").annotate(
            drafts=Count("pk", filter=Q(state=ApplicationState.DRAFT)),
            open=Count("pk", filter=Q(state__in=UNDECIDED)),
            decided=Count(
                "pk", filter=Q(state__in=(ApplicationState.APPROVED, ApplicationState.REJECTED))
            ),
        )
    }
    upcoming = Appointment.objects.restrict(user).filter(
        state=AppointmentState.BOOKED, slot__ends_at__gte=now
    )
    booked = dict(
        upcoming.values("enterprise").annotate(n=Count("pk")).values_list("enterprise", "n")
    )
    clients = []
    seen = set()
    for authorization in authorizations:
        enterprise = authorization.enterprise
        if enterprise.pk in seen:
            continue
        seen.add(enterprise.pk)
        row = per_client.get(enterprise.pk, {})
        clients.append(
            {
                "enterprise": enterprise,
                "authorization": authorization,
                "drafts": row.get("drafts", 0),
                "open": row.get("open", 0),
                "decided": row.get("decided", 0),
                "appointments": booked.get(enterprise.pk, 0),
                "cases_url": link("affairs:applications", enterprise=enterprise.pk),
            }
        )
    drafts = sum(c["drafts"] for c in clients)
    open_cases = sum(c["open"] for c in clients)
    tiles = [
        Tile(
            "clients",
            _("Authorisations in force"),
            len(authorizations),
            link("affairs:authorizations", in_force=1),
        ),
        Tile(
            "drafts",
            _("Drafts to finish"),
            drafts,
            link("affairs:applications", state=ApplicationState.DRAFT),
            "warning" if drafts else "",
        ),
        Tile(
            "open",
            _("Cases in progress"),
            open_cases,
            link("affairs:applications", in_progress="true"),
        ),
        Tile(
            "appointments",
            _("Upcoming appointments"),
            upcoming.count(),
            link("affairs:appointments", show="upcoming"),
        ),
    ]
    recent = list(
        cases.exclude(state=ApplicationState.CLOSED)
        .select_related("enterprise", "extension")
        .prefetch_related("items")
        .order_by("-updated_at")[:10]
    )
    for case in recent:
        case.clock = clocks.clock(case)
    return {
        "tiles": tiles,
        "clients": clients,
        "applications": recent,
        "appointments": list(
            upcoming.select_related("slot__window", "item", "enterprise").order_by(
                "slot__starts_at"
            )[:8]
        ),
    }


def enterprise_desk(user, today: dt.date) -> dict:
    portal = enterprise_portal(user)
    for application in portal["open_applications"]:
        application.clock = clocks.clock(application)
    open_problems = Problem.objects.restrict(user).filter(state__in=OPEN_STATES)
    problems = list(
        open_problems.select_related("project").order_by("deadline", "id")[:PROBLEMS_SHOWN]
    )
    for problem in problems:
        problem.light = lights.problem_light(problem, today)
    # Counted over every record, not only the few the page lists (the tiles open the full
    # lists); a short list is already complete, so its length is the count.
    shown = portal["open_applications"]
    if len(shown) < OPEN_APPLICATIONS_SHOWN:
        drafts = sum(1 for a in shown if a.state == ApplicationState.DRAFT)
        in_progress = sum(1 for a in shown if a.state in IN_PROGRESS_STATES)
    else:
        counts = Application.objects.restrict(user).aggregate(
            drafts=Count("pk", filter=Q(state=ApplicationState.DRAFT)),
            in_progress=Count("pk", filter=Q(state__in=IN_PROGRESS_STATES)),
        )
        drafts, in_progress = counts["drafts"], counts["in_progress"]
    upcoming = len(portal["appointments"])
    if upcoming >= APPOINTMENTS_SHOWN:
        upcoming = (
            Appointment.objects.restrict(user)
            .filter(state=AppointmentState.BOOKED, slot__ends_at__gte=timezone.now())
            .count()
        )
    problem_count = len(problems) if len(problems) < PROBLEMS_SHOWN else open_problems.count()
    starts = list(
        items_for(user)
        .filter(online_allowed=True)
        .select_related("department")
        .order_by("code")[:6]
    )
    tiles = [
        Tile(
            "drafts",
            _("Drafts to finish"),
            drafts,
            link("affairs:applications", state=ApplicationState.DRAFT),
            "warning" if drafts else "",
        ),
        Tile(
            "cases",
            _("Cases in progress"),
            in_progress,
            link("affairs:applications", in_progress="true"),
        ),
        Tile(
            "appointments",
            _("Upcoming appointments"),
            upcoming,
            link("affairs:appointments", show="upcoming"),
        ),
        Tile(
            "problems",
            _("Open problems and appeals"),
            problem_count,
            link("dispatch:problems", is_open="true"),
            "danger" if any(p.light == "red" for p in problems) else "",
        ),
        Tile(
            "to_rate",
            _("Services to rate"),
            len(portal["to_rate"]),
            link("affairs:applications", unrated="true"),
            "warning" if portal["to_rate"] else "",
        ),
    ]
    return {
        **portal,
        "enterprise": Enterprise.objects.restrict(user, "view")
        .select_related("cluster", "industry")
        .first(),
        "tiles": tiles,
        "problems": problems,
        "projects": Project.objects.restrict(user).order_by("-created_at")[:10],
        "services_to_start": starts,
        "bundles": list(Bundle.objects.filter(is_active=True).order_by("name")[:4]),
    }
