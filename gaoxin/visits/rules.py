import rules

from gaoxin.accounts.predicates import (
    is_admin,
    is_department_staff,
    is_enterprise_user,
    is_operator,
    is_zone_staff,
)

# An enterprise sees the visits it received; staff record them and read the figures.
rules.add_perm("visits.view_visit", is_zone_staff | is_enterprise_user)
rules.add_perm("visits.add_visit", is_operator)
rules.add_perm("visits.view_coverage", is_zone_staff)
rules.add_perm("visits.change_plan", is_admin | is_department_staff)
rules.add_perm("visits.change_visitrules", is_admin)
rules.add_perm("visits.export_visit", is_zone_staff)
rules.add_perm("visits.view_plannedvisit", is_zone_staff)
