import rules

from gaoxin.accounts.predicates import (
    is_admin,
    is_department_staff,
    is_enterprise_user,
    is_leader,
    is_own_enterprise,
    is_zone_staff,
)

# The library is public to the zone's enterprises (published policies); staff keep it.
rules.add_perm("policies.view_policy", is_zone_staff | is_enterprise_user)
rules.add_perm("policies.change_policy", is_admin | is_department_staff)
# Matching lists every enterprise with its figures: zone staff only.
rules.add_perm("policies.view_match", is_zone_staff)
# 免申即享 batches: drawn and paid by the departments, reviewed by another person, approved by
# a leader or the admin (services refuse the same person at two steps).
rules.add_perm("policies.view_payoutbatch", is_zone_staff)
rules.add_perm("policies.draw_batch", is_admin | is_department_staff)
rules.add_perm("policies.review_batch", is_admin | is_department_staff)
rules.add_perm("policies.approve_batch", is_admin | is_leader)
rules.add_perm("policies.pay_batch", is_admin | is_department_staff)
rules.add_perm("policies.export_payoutbatch", is_zone_staff)
# An enterprise sees its own payouts and the clauses it qualifies for, and applies (快申快享).
rules.add_perm("policies.view_payout", is_zone_staff | is_enterprise_user)
rules.add_perm("policies.view_own", is_enterprise_user)
rules.add_perm("policies.apply_clause", is_enterprise_user & is_own_enterprise)
# The parts are seen with the whole (``restrict`` asks for the part's own permission).
rules.add_perm("policies.view_clause", is_zone_staff | is_enterprise_user)
rules.add_perm("policies.view_quickapplication", is_zone_staff | is_enterprise_user)
