import rules

from gaoxin.accounts.predicates import (
    is_admin,
    is_commissioner,
    is_department_staff,
    is_enterprise_user,
    is_zone_staff,
)

# Enterprises look for space and see their own leases; departments keep the space; the rent
# is for zone staff only.
rules.add_perm("spaces.view_building", is_zone_staff | is_enterprise_user)
rules.add_perm("spaces.view_unit", is_zone_staff | is_enterprise_user)
rules.add_perm("spaces.change_building", is_admin | is_department_staff)
rules.add_perm("spaces.view_lease", is_zone_staff | is_enterprise_user)
# Talent commissioners let talent apartments to the talents they serve.
rules.add_perm("spaces.change_lease", is_admin | is_department_staff | is_commissioner)
rules.add_perm("spaces.view_rent", is_zone_staff)
