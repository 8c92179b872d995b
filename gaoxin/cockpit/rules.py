import rules

from gaoxin.accounts.predicates import is_zone_staff

# The cockpit shows zone-wide figures: the zone's staff read it, enterprises do not.
rules.add_perm("cockpit.view_cockpit", is_zone_staff)
