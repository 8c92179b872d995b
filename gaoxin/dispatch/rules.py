import rules
from django.conf import settings

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
    if problem.project_id is not None and problem.project.steward_id == user.pk:
        return True
    return problem.department_id is not None and problem.department_id == user.department_id


@rules.predicate
def raised_or_owns(user, problem):
    """Whoever raised the problem, or the enterprise whose project or appeal it is."""
    if problem is None:
        return True
    if problem.raised_by_id == user.pk:
        return True
    if user.enterprise_id is None:
        return False
    if problem.enterprise_id == user.enterprise_id:
        return True
    return problem.project_id is not None and problem.project.enterprise_id == user.enterprise_id


@rules.predicate
def own_project(user, project):
    if project is None:
        return True
    return project.enterprise_id is not None and project.enterprise_id == user.enterprise_id


@rules.predicate
def of_assigned_department(user, problem):
    """A member of the department the problem is assigned to (true at list level)."""
    if problem is None:
        return True
    return problem.department_id is not None and problem.department_id == user.department_id


@rules.predicate
def in_coordinating_office(user):
    """A member of the coordinating office (settings.DISPATCH_COORDINATING_DEPARTMENTS)."""
    department = user.department if user.department_id else None
    return department is not None and department.code in settings.DISPATCH_COORDINATING_DEPARTMENTS


rules.add_perm("dispatch.view_problem", is_zone_staff | is_enterprise_user)
rules.add_perm("dispatch.add_problem", is_zone_staff | (is_enterprise_user & own_project))
# Working a problem (start, resolve): the assigned department or the project's steward.
rules.add_perm(
    "dispatch.change_problem", is_admin | ((is_department_staff | is_steward) & handles_problem)
)
# Accepting it, or handing it back as not its business: the assigned department alone.
rules.add_perm("dispatch.accept_problem", is_admin | (is_department_staff & of_assigned_department))
# Moving it to another department: the coordinating office alone, with a reason.
rules.add_perm(
    "dispatch.reassign_problem", is_admin | (is_department_staff & in_coordinating_office)
)
rules.add_perm("dispatch.confirm_problem", is_admin | (~is_leader & raised_or_owns))
# Appeals (诉求直达): any enterprise raises its own; zone staff record one (phone, visit, 12345).
rules.add_perm("dispatch.add_appeal", is_zone_staff | is_enterprise_user)

rules.add_perm("dispatch.view_supervision", is_zone_staff)
# Internal dispatch records (decision tasks, progress reports, supervision notices,
# escalations, staff notes, the service matters' log): zone staff only, never an enterprise or
# an agent. ``dispatch.visibility`` applies it to pages and API alike.
rules.add_perm("dispatch.view_internal", is_zone_staff)
rules.add_perm("dispatch.add_supervision", is_leader | is_admin)
rules.add_perm(
    "dispatch.reply_supervision", is_admin | ((is_department_staff | is_steward) & handles_problem)
)


@rules.predicate
def works_key_project(user, key_project):
    """The lead department's staff, the project's steward or a task force member."""
    if key_project is None:
        return True
    if key_project.project.steward_id == user.pk:
        return True
    if user.department_id and key_project.lead_department_id == user.department_id:
        return True
    return key_project.task_force.filter(user=user).exists()


@rules.predicate
def handles_matter(user, matter):
    if matter is None:
        return True
    if user.department_id and matter.parts.filter(department_id=user.department_id).exists():
        return True
    return works_key_project(user, matter.key_project)


@rules.predicate
def owns_task(user, task):
    if task is None:
        return True
    return task.owner_id == user.pk or (
        task.department_id is not None and task.department_id == user.department_id
    )


@rules.predicate
def stewards_project(user, project):
    return project is None or project.steward_id == user.pk


is_project_worker = is_department_staff | is_steward

rules.add_perm("dispatch.view_keyproject", is_zone_staff | is_enterprise_user)
rules.add_perm("dispatch.add_keyproject", is_admin | is_department_staff)
rules.add_perm("dispatch.change_keyproject", is_admin | (is_project_worker & works_key_project))
rules.add_perm("dispatch.view_servicematter", is_zone_staff | is_enterprise_user)
rules.add_perm("dispatch.change_servicematter", is_admin | (is_project_worker & handles_matter))
rules.add_perm("dispatch.view_dispatchperiod", is_zone_staff)
rules.add_perm("dispatch.add_dispatchperiod", is_admin | is_department_staff)
rules.add_perm("dispatch.add_progressreport", is_admin | (is_project_worker & works_key_project))
rules.add_perm("dispatch.view_dispatchmeeting", is_zone_staff)
rules.add_perm("dispatch.add_dispatchmeeting", is_admin | is_leader | is_department_staff)
rules.add_perm("dispatch.view_decisiontask", is_zone_staff)
rules.add_perm("dispatch.change_decisiontask", is_admin | (is_zone_staff & owns_task))
rules.add_perm("dispatch.view_lights", is_zone_staff)
rules.add_perm("dispatch.change_lightsettings", is_admin)
rules.add_perm("dispatch.view_assessment", is_admin | is_leader | is_department_staff)
rules.add_perm("dispatch.view_assessmentweight", is_admin | is_leader | is_department_staff)
rules.add_perm("dispatch.change_assessmentweight", is_admin)
rules.add_perm("dispatch.view_stewardship", is_zone_staff)
rules.add_perm("dispatch.add_stewardhandover", is_admin | is_department_staff)
rules.add_perm("dispatch.add_servicelogentry", is_admin | (is_steward & stewards_project))
rules.add_perm("dispatch.view_ledgerentry", is_zone_staff | is_enterprise_user)
rules.add_perm(
    "dispatch.add_ledgerentry",
    is_admin | is_department_staff | is_steward | (is_enterprise_user & own_project),
)
