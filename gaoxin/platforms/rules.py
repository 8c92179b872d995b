import rules

from gaoxin.accounts.predicates import (
    is_admin,
    is_department_staff,
    is_enterprise_user,
    is_steward,
    is_zone_staff,
)

# Platforms and their services are public to the zone's enterprises; deals and events are
# the zone's records. Departments keep them; stewards record signings of their projects.
rules.add_perm("platforms.view_platform", is_zone_staff | is_enterprise_user)
rules.add_perm("platforms.change_platform", is_admin | is_department_staff)
rules.add_perm("platforms.view_transferdeal", is_zone_staff)
rules.add_perm("platforms.view_event", is_zone_staff)
rules.add_perm("platforms.change_event", is_admin | is_department_staff)
rules.add_perm("platforms.add_signing", is_admin | is_department_staff | is_steward)
