import rules

from gaoxin.accounts.predicates import (
    is_admin,
    is_clerk,
    is_department_staff,
    is_enterprise_user,
    is_own_enterprise,
    is_steward,
    is_zone_staff,
)

_registrars = is_admin | is_department_staff | is_steward | is_clerk

rules.add_perm("enterprises.view_enterprise", is_zone_staff | is_enterprise_user)
rules.add_perm("enterprises.add_enterprise", _registrars)
rules.add_perm(
    "enterprises.change_enterprise", _registrars | (is_enterprise_user & is_own_enterprise)
)
rules.add_perm("enterprises.delete_enterprise", is_admin)
rules.add_perm("enterprises.export_enterprise", is_zone_staff)
rules.add_perm("enterprises.view_enterprisecontact", is_zone_staff | is_enterprise_user)
rules.add_perm("enterprises.view_cluster", is_zone_staff | is_enterprise_user)
rules.add_perm("enterprises.change_cluster", is_admin)
# The register at scale (issue 20): liaison officers, qualifications, the import and the
# profile page (what each part shows is restricted by its own permission).
rules.add_perm("enterprises.assign_liaison", is_admin | is_department_staff)
rules.add_perm("enterprises.view_qualification", is_zone_staff | is_enterprise_user)
rules.add_perm("enterprises.change_qualification", _registrars)
rules.add_perm("enterprises.import_enterprise", is_admin | is_department_staff)
rules.add_perm("enterprises.view_profile", is_zone_staff | is_enterprise_user)
