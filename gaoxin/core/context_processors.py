"""The navigation each role sees: grouped menus holding only the entries the user may open.

An entry's permission is the one its view declares (``core.permissions.declared_permission``),
so the menu and the page never disagree. A group with one visible entry is a plain link; a
group with none is left out. The section of the current page is highlighted (by its URL
namespace), and within it the entry whose address the current page lies under.
"""

from functools import cache

from django.urls import NoReverseMatch, resolve, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gaoxin.core.notifications import unread_count
from gaoxin.core.permissions import declared_permission, user_has

# (group key, group label, the URL namespaces that belong to it, [(entry label, url name)]).
NAVIGATION = [
    ("home", _("Workbench"), (), [(_("Workbench"), "home")]),
    ("work", _("My work"), (), [(_("My work"), "dispatch:my_work")]),
    (
        "projects",
        _("Investment projects"),
        ("projects", "enterprises", "delivery", "policies", "visits"),
        [
            (_("Projects"), "projects:list"),
            (_("Kanban"), "projects:kanban"),
            (_("Investment attraction statistics"), "projects:statistics"),
            (_("Targets"), "projects:targets"),
            (_("Enterprises"), "enterprises:list"),
            (_("Visits and liaison (走访包联)"), "visits:list"),
            (_("Visit coverage"), "visits:coverage"),
            (_("Policy library (政策库)"), "policies:list"),
            (_("My policies"), "policies:mine"),
            (_("Payout batches (免申即享)"), "policies:batches"),
            (_("Agreements kept (履约)"), "delivery:agreements"),
            (_("Per-mu evaluation (亩均)"), "delivery:evaluations"),
        ],
    ),
    (
        "dispatch",
        pgettext_lazy("menu", "Key-project dispatch"),
        ("dispatch",),
        [
            (_("Key projects"), "dispatch:key_projects"),
            (_("Problems"), "dispatch:problems"),
            (_("Appeals (诉求直达)"), "dispatch:appeals"),
            (_("Lights"), "dispatch:lights"),
            (_("Progress dispatch periods"), "dispatch:periods"),
            (_("Dispatch meetings"), "dispatch:meetings"),
            (_("Assessment"), "dispatch:assessment"),
            (_("Ledger"), "dispatch:ledger"),
        ],
    ),
    (
        "affairs",
        _("Government services"),
        ("affairs",),
        [
            (_("Applications"), "affairs:applications"),
            (_("Review queue"), "affairs:reviews"),
            (_("Appointments (预约)"), "affairs:appointments"),
            (_("Service catalogue"), "affairs:items"),
            (_("Bundles (一件事)"), "affairs:bundles"),
            (_("Pre-review (预审)"), "affairs:pre_reviews"),
            (_("Agency authorisations (代办委托)"), "affairs:authorizations"),
            (_("Ratings (好差评)"), "affairs:ratings"),
            (_("Service windows"), "affairs:windows"),
            (_("Service statistics"), "affairs:statistics"),
        ],
    ),
    (
        "carriers",
        _("Space, platforms, talent"),
        ("spaces", "platforms", "talent"),
        [
            (_("Space the zone offers (载体)"), "spaces:overview"),
            (_("Find space for a need"), "spaces:match"),
            (_("Innovation platforms (平台)"), "platforms:list"),
            (_("Events and signings"), "platforms:events"),
            (_("Talent brought in (双招双引)"), "talent:overview"),
            (_("Talents"), "talent:talents"),
            (_("Programme batches (高新英才计划)"), "talent:batches"),
        ],
    ),
    (
        "cockpit",
        _("Cockpit"),
        ("cockpit",),
        [
            (_("Cockpit"), "cockpit:cockpit"),
            (_("Big screen"), "cockpit:screen"),
            (_("Battle map"), "cockpit:map"),
            (_("Schedule"), "cockpit:schedule"),
            (_("Period report"), "cockpit:report"),
        ],
    ),
    (
        "system",
        _("System"),
        ("core", "notifications", "admin"),
        [
            (_("Audit log"), "core:audit_log"),
            (_("Work calendar"), "core:calendar"),
            (_("Delivery log"), "notifications:deliveries"),
            (_("Configuration"), "admin:index"),
        ],
    ),
]

# Entries a role may open but that hold nothing of its own (the enterprise's problems, cases
# and ledger are on its workbench): left out of its menu. Core names roles by stored value.
HIDDEN_FOR_ROLE = {"enterprise": {"dispatch:my_work", "dispatch:key_projects"}}

# Entries only for some roles (an enterprise's own pages: a superuser holds the permission but
# has no enterprise).
ONLY_FOR_ROLES = {"policies:mine": {"enterprise"}}

# Pages that belong to another section than their URL namespace says.
SECTION_OF_VIEW = {"dispatch:my_work": "work", "home": "home"}


@cache
def _entry(url_name: str) -> tuple[str, str | None]:
    """An entry's address and the permission its view declares (None: staff only, admin)."""
    url = reverse(url_name)
    if url_name.startswith("admin:"):
        return url, None
    return url, declared_permission(resolve(url).func)[1]


def _may_open(user, url_name: str) -> bool:
    role = getattr(user, "role", "")
    if url_name in HIDDEN_FOR_ROLE.get(role, ()):
        return False
    if url_name in ONLY_FOR_ROLES and role not in ONLY_FOR_ROLES[url_name]:
        return False
    try:
        _url, perm = _entry(url_name)
    except NoReverseMatch:  # an app switched off in this deployment
        return False
    if perm is None:
        return bool(user.is_staff)
    return user_has(user, perm)


def section_of(view_name: str) -> str:
    """The menu group a page belongs to ("" when none)."""
    if view_name in SECTION_OF_VIEW:
        return SECTION_OF_VIEW[view_name]
    namespace = view_name.split(":")[0] if ":" in view_name else ""
    return next((key for key, _l, spaces, _e in NAVIGATION if namespace in spaces), "")


def menu_for(user, view_name: str = "", path: str = "") -> list[dict]:
    """The groups the user sees, each with its visible entries and which one is current."""
    current = section_of(view_name)
    groups = []
    for key, label, _spaces, entries in NAVIGATION:
        visible = [
            {"label": entry_label, "url": _entry(url_name)[0], "name": url_name}
            for entry_label, url_name in entries
            if _may_open(user, url_name)
        ]
        if not visible:
            continue
        # The current entry: the exact page, else the longest address the path lies under.
        best = max(
            (e for e in visible if e["name"] == view_name or path.startswith(e["url"])),
            key=lambda e: (e["name"] == view_name, len(e["url"])),
            default=None,
        )
        for entry in visible:
            entry["active"] = key == current and entry is best
        groups.append(
            {
                "key": key,
                "label": label,
                "entries": visible,
                "url": visible[0]["url"],
                "single": len(visible) == 1,
                "active": key == current,
            }
        )
    return groups


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"nav_groups": []}
    view_name = request.resolver_match.view_name if request.resolver_match else ""
    return {
        "nav_groups": menu_for(user, view_name, request.path),
        "show_admin_link": user.is_staff,
        "unread_notifications": unread_count(user),
    }
