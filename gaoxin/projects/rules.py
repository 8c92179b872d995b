import rules

from gaoxin.accounts.predicates import (
    is_admin,
    is_department_staff,
    is_enterprise_user,
    is_steward,
    is_zone_staff,
)


@rules.predicate
def works_on_project(user, project):
    """Staff of the responsible department, or the project's steward (true at list level)."""
    if project is None:
        return True
    if project.steward_id == user.pk:
        return True
    return project.department_id is None or project.department_id == user.department_id


_workers = is_admin | ((is_department_staff | is_steward) & works_on_project)

rules.add_perm("projects.view_project", is_zone_staff | is_enterprise_user)
rules.add_perm("projects.add_project", is_admin | is_department_staff | is_steward)
rules.add_perm("projects.change_project", _workers)
rules.add_perm("projects.advance_project", _workers)
rules.add_perm("projects.correct_stageevent", _workers)
rules.add_perm("projects.export_project", is_zone_staff)
# A handover of steward with its note (the 项目管家 page); the project form changes it too.
rules.add_perm("projects.hand_over_steward", is_admin | is_department_staff)
rules.add_perm("projects.import_project", is_admin | is_department_staff)
rules.add_perm("projects.view_stageevent", is_zone_staff | is_enterprise_user)
rules.add_perm("projects.view_engagement", is_zone_staff)
rules.add_perm("projects.add_engagement", _workers)
rules.add_perm("projects.view_moneyentry", is_zone_staff | is_enterprise_user)
rules.add_perm("projects.add_moneyentry", _workers)
rules.add_perm("projects.view_statistics", is_zone_staff)
rules.add_perm("projects.view_target", is_zone_staff)
rules.add_perm("projects.change_target", is_admin)
rules.add_perm("projects.view_chain", is_zone_staff | is_enterprise_user)
rules.add_perm("projects.view_chainlink", is_zone_staff | is_enterprise_user)
