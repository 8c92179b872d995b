import rules

from gaoxin.accounts.predicates import is_admin, is_zone_staff

rules.add_perm("core.view_auditentry", is_admin)
rules.add_perm("core.view_calendarday", is_zone_staff)
rules.add_perm("core.change_calendarday", is_admin)
