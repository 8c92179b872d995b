"""Role predicates for the rule set; each app's ``rules.py`` combines them into permissions."""

import rules

from gaoxin.accounts.models import Role


def _role(*roles):
    @rules.predicate
    def has_role(user):
        return bool(user and user.is_authenticated and user.is_active and user.role in roles)

    has_role.name = "has_role_" + "_or_".join(roles)
    return has_role


is_admin = _role(Role.ADMIN)
is_leader = _role(Role.LEADER)
is_department_staff = _role(Role.STAFF)
is_steward = _role(Role.STEWARD)
is_clerk = _role(Role.CLERK)
is_commissioner = _role(Role.COMMISSIONER)
# An agent (代办员) acts for enterprises only within their authorisations; not zone staff.
is_agent = _role(Role.AGENT)
is_enterprise_user = _role(Role.ENTERPRISE)
is_zone_staff = _role(
    Role.ADMIN, Role.LEADER, Role.STAFF, Role.STEWARD, Role.CLERK, Role.COMMISSIONER
)
# Staff who work cases and registers (not read-only leadership).
is_operator = _role(Role.ADMIN, Role.STAFF, Role.STEWARD, Role.CLERK, Role.COMMISSIONER)


@rules.predicate
def is_own_enterprise(user, enterprise):
    """The enterprise user's own enterprise (true at list level, narrowed by ``restrict``)."""
    if enterprise is None:
        return True
    return user.enterprise_id == enterprise.pk
