import rules

from gaoxin.accounts.predicates import (
    is_admin,
    is_department_staff,
    is_enterprise_user,
    is_leader,
    is_steward,
    is_zone_staff,
)


@rules.predicate
def handles_problem(user, problem):
    """The assigned department's staff, or the project's steward (true at list level)."""
    if problem is None:
        return True
    if problem.project.steward_id == user.pk:
        return True
    return problem.department_id is not None and problem.department_id == user.department_id


@rules.predicate
def raised_or_owns(user, problem):
    """Whoever raised the problem, or the enterprise whose project it is."""
    if problem is None:
        return True
    if problem.raised_by_id == user.pk:
        return True
    return user.enterprise_id is not None and problem.project.enterprise_id == user.enterprise_id


@rules.predicate
def own_project(user, project):
    if project is None:
        return True
    return project.enterprise_id is not None and project.enterprise_id == user.enterprise_id


rules.add_perm("dispatch.view_problem", is_zone_staff | is_enterprise_user)
rules.add_perm("dispatch.add_problem", is_zone_staff | (is_enterprise_user & own_project))
rules.add_perm(
    "dispatch.change_problem", is_admin | ((is_department_staff | is_steward) & handles_problem)
)
rules.add_perm("dispatch.confirm_problem", is_admin | (~is_leader & raised_or_owns))

rules.add_perm("dispatch.view_supervision", is_zone_staff)
rules.add_perm("dispatch.add_supervision", is_leader | is_admin)
rules.add_perm(
    "dispatch.reply_supervision", is_admin | ((is_department_staff | is_steward) & handles_problem)
)
