import rules

from gaoxin.accounts.predicates import (
    is_admin,
    is_commissioner,
    is_department_staff,
    is_enterprise_user,
    is_zone_staff,
)
from gaoxin.spaces.models import BuildingKind, Lease, Unit

# Enterprises look for space and see their own leases; departments keep the space; the rent
# is for zone staff only.
rules.add_perm("spaces.view_building", is_zone_staff | is_enterprise_user)
rules.add_perm("spaces.view_unit", is_zone_staff | is_enterprise_user)
rules.add_perm("spaces.change_building", is_admin | is_department_staff)
rules.add_perm("spaces.view_lease", is_zone_staff | is_enterprise_user)


@rules.predicate
def is_talent_apartment(user, obj):
    """The lease, unit or building is in a talent apartment (true at list level, so that the
    commissioner reaches the pages; the services check the object)."""
    if obj is None:
        return True
    building = (
        obj.unit.building
        if isinstance(obj, Lease)
        else obj.building
        if isinstance(obj, Unit)
        else obj
    )
    return building.kind == BuildingKind.TALENT_APARTMENT


# Talent commissioners let and end talent-apartment leases only, for the talents they serve.
rules.add_perm(
    "spaces.change_lease", is_admin | is_department_staff | (is_commissioner & is_talent_apartment)
)
rules.add_perm("spaces.view_rent", is_zone_staff)
