"""Each role's home page (工作台) at `/`: the role's own work first, as counts that open their
lists and the items most pressing; one template per desk (a department's reviewer, staff whose
department reviews cases and looks after no projects, has its own)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from gaoxin.accounts.models import Role
from gaoxin.core.permissions import AUTHENTICATED, permission_required
from gaoxin.portal import selectors

__all__ = ["DESKS", "desk_of", "home"]

# desk -> (its selector, its template)
DESKS = {
    "admin": (selectors.admin_desk, "portal/home_admin.html"),
    "leader": (selectors.leader_desk, "portal/home_leader.html"),
    "staff": (selectors.staff_desk, "portal/home_staff.html"),
    "reviewer": (selectors.reviewer_desk, "portal/home_reviewer.html"),
    "steward": (selectors.steward_desk, "portal/home_steward.html"),
    "clerk": (selectors.clerk_desk, "portal/home_clerk.html"),
    "commissioner": (selectors.commissioner_desk, "portal/home_commissioner.html"),
    "agent": (selectors.agent_desk, "portal/home_agent.html"),
    "enterprise": (selectors.enterprise_desk, "portal/home_enterprise.html"),
}


def desk_of(user) -> str:
    """The desk a user signs in to: its role's, a reviewing department's staff the reviewer's."""
    if user.role == Role.STAFF and selectors.is_reviewer(user):
        return "reviewer"
    return user.role if user.role in DESKS else "staff"


@permission_required(AUTHENTICATED)
def home(request: HttpRequest) -> HttpResponse:
    desk = desk_of(request.user)
    read, template = DESKS[desk]
    today = timezone.localdate()
    context = read(request.user, today)
    # A liaison officer (驻企联络员) on any staff desk also sees its enterprises gone silent.
    liaison = selectors.liaison_block(request.user, today)
    if liaison:
        context["tiles"] = [*context.get("tiles", []), *liaison["tiles"]]
    context.update(desk=desk, role=request.user.role, today=today, liaison=liaison)
    return render(request, template, context)
