import rules

from gaoxin.accounts.predicates import is_admin, is_department_staff, is_zone_staff

# The cockpit shows zone-wide figures: the zone's staff read it, enterprises do not.
rules.add_perm("cockpit.view_cockpit", is_zone_staff)

rules.add_perm("cockpit.view_zonemap", is_zone_staff)
rules.add_perm("cockpit.add_zonemap", is_admin)
rules.add_perm("cockpit.change_projectplot", is_admin | is_department_staff)
