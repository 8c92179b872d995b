"""The navigation each role sees: only entries whose permission the user holds."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gaoxin.core.notifications import unread_count
from gaoxin.core.permissions import user_has

# (label, url name, permission). Later modules add their entries here.
NAVIGATION = [
    (_("Home"), "home", "authenticated"),
    (_("My work"), "dispatch:my_work", "dispatch.view_problem"),
    (_("Projects"), "projects:list", "projects.view_project"),
    (_("Cockpit"), "cockpit:cockpit", "cockpit.view_cockpit"),
    (_("Key projects"), "dispatch:key_projects", "dispatch.view_keyproject"),
    (_("Problems"), "dispatch:problems", "dispatch.view_problem"),
    (_("Applications"), "affairs:applications", "affairs.view_application"),
    (_("Appointments (预约)"), "affairs:appointments", "affairs.view_appointment"),
    (_("Enterprises"), "enterprises:list", "enterprises.view_enterprise"),
    (_("Space (载体)"), "spaces:overview", "spaces.view_building"),
    (_("Platforms"), "platforms:list", "platforms.view_platform"),
    (_("Talent"), "talent:overview", "talent.view_figures"),
    (_("Delivery (履约·亩均)"), "delivery:agreements", "delivery.view_agreement"),
    (_("Audit log"), "core:audit_log", "core.view_auditentry"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"nav_items": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    visible = [(label, url_name) for label, url_name, perm in NAVIGATION if user_has(user, perm)]
    names = {url_name for _label, url_name in visible}
    # The exact page is highlighted; otherwise the first entry of the same app.
    active = (
        current
        if current in names
        else next(
            (n for _l, n in visible if ":" in n and n.split(":")[0] == current.split(":")[0]), ""
        )
    )
    items = [
        {"label": label, "url": reverse(url_name), "active": url_name == active}
        for label, url_name in visible
    ]

    return {
        "nav_items": items,
        "show_admin_link": user.is_staff,
        "unread_notifications": unread_count(user),
    }
