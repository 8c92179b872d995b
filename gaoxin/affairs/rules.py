import rules
from django.utils import timezone

from gaoxin.accounts.predicates import (
    is_admin,
    is_agent,
    is_clerk,
    is_department_staff,
    is_enterprise_user,
    is_leader,
    is_zone_staff,
)
from gaoxin.affairs.models import Authorization


@rules.predicate
def keeps_item(user, item):
    """A department keeps its own items (any, when no item is named)."""
    return item is None or (
        user.department_id is not None and item.department_id == user.department_id
    )


# The catalogue is public to every signed-in user (enterprises choose from it); the window
# keeps all of it, a department its own items; administrators import it.
rules.add_perm("affairs.view_serviceitem", rules.is_authenticated)
rules.add_perm(
    "affairs.change_serviceitem", is_admin | is_clerk | (is_department_staff & keeps_item)
)
rules.add_perm("affairs.import_serviceitem", is_admin)


@rules.predicate
def own_enterprise(user, obj):
    """The enterprise user's own enterprise (an Enterprise, or an Application's)."""
    if obj is None:
        return True
    enterprise_id = getattr(obj, "enterprise_id", None) or getattr(obj, "pk", None)
    return user.enterprise_id is not None and user.enterprise_id == enterprise_id


@rules.predicate
def reviews_for_department(user, review):
    return review is None or (
        user.department_id is not None and review.department_id == user.department_id
    )


@rules.predicate
def authorised_by(user, enterprise):
    """An agent the enterprise has ever authorised (the services check scope and period)."""
    if enterprise is None:
        return True
    return Authorization.objects.filter(agent=user, enterprise_id=enterprise.pk).exists()


@rules.predicate
def acts_for_case(user, application):
    """The agent of the case's authorisation, while it is in force."""
    if application is None:
        return True
    authorization = application.authorization
    return (
        authorization is not None
        and authorization.agent_id == user.pk
        and authorization.active_on(timezone.localdate())
    )


@rules.predicate
def remedies_for_department(user, remediation):
    return remediation is None or (
        user.department_id is not None and remediation.department_id == user.department_id
    )


rules.add_perm("affairs.view_application", is_zone_staff | is_enterprise_user | is_agent)
rules.add_perm(
    "affairs.add_application",
    is_admin | is_clerk | (is_enterprise_user & own_enterprise) | (is_agent & authorised_by),
)
rules.add_perm(
    "affairs.submit_application",
    is_admin | is_clerk | (is_enterprise_user & own_enterprise) | (is_agent & acts_for_case),
)
rules.add_perm(
    "affairs.supply_application",
    is_admin | is_clerk | (is_enterprise_user & own_enterprise) | (is_agent & acts_for_case),
)
rules.add_perm("affairs.accept_application", is_admin | is_clerk)
rules.add_perm(
    "affairs.review_application", is_admin | (is_department_staff & reviews_for_department)
)
# The queue of open reviews: a department its own; the window, leaders and administrators
# every department's, to chase the parallel review (一窗受理 follows the case to the end).
rules.add_perm("affairs.view_review_queue", is_admin | is_leader | is_clerk | is_department_staff)
rules.add_perm("affairs.view_service_statistics", is_zone_staff)
rules.add_perm("affairs.view_prereview", is_zone_staff | is_enterprise_user)

# The service desk. Windows and bundles are public to the signed-in; appointments, bundle
# runs and authorisations to those they concern; the window keeps the schedule.
rules.add_perm("affairs.view_window", rules.is_authenticated)
rules.add_perm("affairs.view_bundle", rules.is_authenticated)
rules.add_perm("affairs.view_appointment", is_zone_staff | is_enterprise_user | is_agent)
rules.add_perm(
    "affairs.book_appointment",
    is_admin | is_clerk | (is_enterprise_user & own_enterprise) | (is_agent & authorised_by),
)
rules.add_perm("affairs.manage_appointments", is_admin | is_clerk)
rules.add_perm("affairs.view_bundlecase", is_zone_staff | is_enterprise_user | is_agent)
rules.add_perm(
    "affairs.view_authorization", is_admin | is_leader | is_clerk | is_enterprise_user | is_agent
)
rules.add_perm(
    "affairs.add_authorization", is_admin | is_clerk | (is_enterprise_user & own_enterprise)
)
rules.add_perm("affairs.rate_application", is_enterprise_user & own_enterprise)
rules.add_perm("affairs.view_rating", is_zone_staff | is_enterprise_user)
rules.add_perm("affairs.view_remediation", is_zone_staff | is_enterprise_user)
rules.add_perm(
    "affairs.remedy_rating", is_admin | is_clerk | (is_department_staff & remedies_for_department)
)
