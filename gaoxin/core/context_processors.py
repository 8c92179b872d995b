"""The navigation each role sees: only entries whose permission the user holds."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gaoxin.core.permissions import user_has

# (label, url name, permission). Later modules add their entries here.
NAVIGATION = [
    (_("Home"), "home", "authenticated"),
    (_("Enterprises"), "enterprises:list", "enterprises.view_enterprise"),
    (_("Work calendar"), "core:calendar", "core.view_calendarday"),
    (_("Audit log"), "core:audit_log", "core.view_auditentry"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"nav_items": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = []
    for label, url_name, perm in NAVIGATION:
        if user_has(user, perm):
            items.append(
                {
                    "label": label,
                    "url": reverse(url_name),
                    "active": current == url_name
                    or (":" in url_name and current.split(":")[0] == url_name.split(":")[0]),
                }
            )
    from gaoxin.core.notifications import unread_count

    return {
        "nav_items": items,
        "show_admin_link": user.is_staff,
        "unread_notifications": unread_count(user),
    }
