import rules

from gaoxin.accounts.predicates import is_admin, is_leader, is_zone_staff

rules.add_perm("accounts.view_department", is_zone_staff)
rules.add_perm("accounts.change_department", is_admin)
rules.add_perm("accounts.view_user", is_admin | is_leader)
rules.add_perm("accounts.manage_own_tokens", rules.is_authenticated & rules.is_active)

# The platform's own permissions (gaoxin.core): core stands below accounts and knows no roles,
# so the roles are given them here.
rules.add_perm("core.view_auditentry", is_admin)
rules.add_perm("core.view_calendarday", is_zone_staff)
rules.add_perm("core.change_calendarday", is_admin)
