import rules

from gaoxin.accounts.predicates import is_admin, is_leader, is_zone_staff

rules.add_perm("accounts.view_department", is_zone_staff)
rules.add_perm("accounts.change_department", is_admin)
rules.add_perm("accounts.view_user", is_admin | is_leader)
rules.add_perm("accounts.manage_own_tokens", rules.is_authenticated & rules.is_active)
