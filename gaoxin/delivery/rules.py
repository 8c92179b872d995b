import rules

from gaoxin.accounts.predicates import (
    is_admin,
    is_department_staff,
    is_enterprise_user,
    is_steward,
    is_zone_staff,
)

# Agreements: the zone's staff watch them; the departments and stewards who serve the project
# record and amend them; an enterprise sees its own (restrict narrows the rows).
rules.add_perm("delivery.view_agreement", is_zone_staff | is_enterprise_user)
rules.add_perm("delivery.change_agreement", is_admin | is_department_staff | is_steward)
# The per-mu evaluation: the admin sets a year's rules; the admin and the departments compute,
# publish and freeze it; an enterprise sees its own published results.
rules.add_perm("delivery.view_evaluation", is_zone_staff | is_enterprise_user)
rules.add_perm("delivery.change_evaluation", is_admin | is_department_staff)
rules.add_perm("delivery.change_evaluationyear", is_admin)
rules.add_perm("delivery.change_landshare", is_admin | is_department_staff)
# The parts are seen with the whole (``restrict`` asks for the part's own permission).
rules.add_perm("delivery.view_agreementversion", is_zone_staff | is_enterprise_user)
rules.add_perm("delivery.view_agreementterm", is_zone_staff | is_enterprise_user)
rules.add_perm("delivery.view_evaluationscore", is_zone_staff | is_enterprise_user)
