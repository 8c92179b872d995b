"""Every route requires authentication and declares a permission; roles get what they should.

Adding a route without a row in ROUTES fails ``test_every_route_is_in_the_table``; adding a
view without a declared permission fails the system check (and ``manage.py check``).
"""

import json
import re

import pytest
from django.core import checks

from gaoxin.accounts.models import Role
from gaoxin.api import iter_operations
from gaoxin.core.checks import iter_url_patterns
from gaoxin.core.permissions import declared_permission

pytestmark = pytest.mark.django_db

PUBLIC_ROUTES = {
    "login/",
    "logout/",
    "i18n/setlang/",
    # Single sign-on: the provider sends the browser back here (404 while switched off).
    "sso/oidc/authenticate/",
    "sso/oidc/callback/",
    "sso/cas/login/",
}

ALL = set(Role.values)
SIGNED_IN = ALL - {Role.AGENT}  # everyone but agents, who see only their enterprises' services
# Agents (代办员) act only for the enterprises that authorise them: not zone staff.
STAFF_ROLES = ALL - {Role.ENTERPRISE, Role.AGENT}
BOOKERS = {Role.ADMIN, Role.CLERK, Role.ENTERPRISE, Role.AGENT}
REGISTRARS = {Role.ADMIN, Role.STAFF, Role.STEWARD, Role.CLERK}
PROJECT_WORKERS = {Role.ADMIN, Role.STAFF, Role.STEWARD}
LIST_MAKERS = {Role.ADMIN, Role.STAFF}  # who reconcile the key-project list
MEETING_HOLDERS = {Role.ADMIN, Role.LEADER, Role.STAFF}

# route pattern -> (concrete path, roles that get 200; everybody else is refused)
ROUTES = {
    "": ("/", ALL),
    "accounts/profile/": ("/accounts/profile/", ALL),
    "accounts/tokens/<int:pk>/revoke/": ("/accounts/tokens/999/revoke/", set()),
    "accounts/password/": ("/accounts/password/", ALL),
    "accounts/two-factor/": ("/accounts/two-factor/", ALL),
    "accounts/two-factor/enrol/": ("/accounts/two-factor/enrol/", ALL),
    "accounts/two-factor/recovery-codes/": ("/accounts/two-factor/recovery-codes/", set()),
    "enterprises/": ("/enterprises/", SIGNED_IN),
    "enterprises/export/": ("/enterprises/export/", STAFF_ROLES),
    "enterprises/new/": ("/enterprises/new/", REGISTRARS),
    "enterprises/<int:pk>/": ("/enterprises/{own}/", SIGNED_IN),
    "enterprises/<int:pk>/edit/": ("/enterprises/{own}/edit/", REGISTRARS | {Role.ENTERPRISE}),
    "enterprises/<int:pk>/history/": ("/enterprises/{own}/history/", SIGNED_IN),
    "enterprises/<int:pk>/contacts/": ("/enterprises/{own}/contacts/", set()),
    "enterprises/<int:pk>/contacts/<int:contact_pk>/delete/": (
        "/enterprises/{own}/contacts/1/delete/",
        set(),
    ),
    "projects/": ("/projects/", SIGNED_IN),
    "projects/export/": ("/projects/export/", STAFF_ROLES),
    "projects/kanban/": ("/projects/kanban/", SIGNED_IN),
    "projects/statistics/": ("/projects/statistics/", STAFF_ROLES),
    "projects/money/": ("/projects/money/?start=2026-01-01&end=2026-06-30", STAFF_ROLES),
    "projects/targets/": ("/projects/targets/", STAFF_ROLES),
    "projects/new/": ("/projects/new/", PROJECT_WORKERS),
    "projects/import/": ("/projects/import/", {Role.ADMIN, Role.STAFF}),
    "projects/import/template/": ("/projects/import/template/", {Role.ADMIN, Role.STAFF}),
    "projects/<int:pk>/": ("/projects/{project}/", SIGNED_IN),
    "projects/<int:pk>/edit/": ("/projects/{project}/edit/", PROJECT_WORKERS),
    "projects/<int:pk>/history/": ("/projects/{project}/history/", STAFF_ROLES),
    "projects/<int:pk>/advance/": ("/projects/{project}/advance/", set()),
    "projects/<int:pk>/events/<int:event_pk>/correct/": (
        "/projects/{project}/events/1/correct/",
        set(),
    ),
    "projects/<int:pk>/engagements/": ("/projects/{project}/engagements/", set()),
    "projects/<int:pk>/money/": ("/projects/{project}/money/", set()),
    "projects/<int:pk>/attachments/": ("/projects/{project}/attachments/", set()),
    "projects/<int:pk>/attachments/<int:attachment_pk>/": (
        "/projects/{project}/attachments/999/",
        set(),
    ),
    "projects/<int:pk>/attachments/<int:attachment_pk>/delete/": (
        "/projects/{project}/attachments/999/delete/",
        set(),
    ),
    "dispatch/problems/": ("/dispatch/problems/", SIGNED_IN),
    # Issue 20: appeals, the register at scale, visits, policies and payouts.
    "dispatch/appeals/": ("/dispatch/appeals/", SIGNED_IN),
    "dispatch/appeals/new/": ("/dispatch/appeals/new/", SIGNED_IN),
    "dispatch/appeals/export/": ("/dispatch/appeals/export/", STAFF_ROLES),
    "dispatch/appeals/figures/": ("/dispatch/appeals/figures/", STAFF_ROLES),
    "dispatch/appeals/<int:pk>/evaluate/": ("/dispatch/appeals/999/evaluate/", set()),
    "enterprises/<int:pk>/profile/": ("/enterprises/{own}/profile/", SIGNED_IN),
    "enterprises/import/": ("/enterprises/import/", {Role.ADMIN, Role.STAFF}),
    "enterprises/import/template/": ("/enterprises/import/template/", {Role.ADMIN, Role.STAFF}),
    "enterprises/<int:pk>/qualifications/": ("/enterprises/{own}/qualifications/", set()),
    "enterprises/<int:pk>/qualifications/<int:qualification_pk>/delete/": (
        "/enterprises/{own}/qualifications/1/delete/",
        set(),
    ),
    "enterprises/<int:pk>/liaison/": ("/enterprises/{own}/liaison/", set()),
    "policies/": ("/policies/", SIGNED_IN),
    "policies/mine/": ("/policies/mine/", {Role.ENTERPRISE}),
    "policies/<int:pk>/": ("/policies/999/", set()),
    "policies/clauses/<int:pk>/match/": ("/policies/clauses/999/match/", set()),
    "policies/clauses/<int:pk>/draw/": ("/policies/clauses/999/draw/", set()),
    "policies/clauses/<int:pk>/apply/": ("/policies/clauses/999/apply/", set()),
    "policies/batches/": ("/policies/batches/", STAFF_ROLES),
    "policies/batches/<int:pk>/": ("/policies/batches/999/", set()),
    "policies/batches/<int:pk>/review/": ("/policies/batches/999/review/", set()),
    "policies/batches/<int:pk>/approve/": ("/policies/batches/999/approve/", set()),
    "policies/batches/<int:pk>/pay/": ("/policies/batches/999/pay/", set()),
    "visits/": ("/visits/", SIGNED_IN),
    "visits/new/": (
        "/visits/new/",
        {Role.ADMIN, Role.STAFF, Role.STEWARD, Role.CLERK, Role.COMMISSIONER},
    ),
    "visits/plan/": ("/visits/plan/", set()),
    "visits/coverage/": ("/visits/coverage/", STAFF_ROLES),
    "visits/export/": ("/visits/export/", STAFF_ROLES),
    "dispatch/my-work/": ("/dispatch/my-work/", SIGNED_IN),
    "dispatch/problems/<int:pk>/": ("/dispatch/problems/999/", set()),
    "dispatch/problems/<int:pk>/move/": ("/dispatch/problems/999/move/", set()),
    "dispatch/problems/<int:pk>/hand-back/": ("/dispatch/problems/999/hand-back/", set()),
    "dispatch/problems/<int:pk>/reassign/": ("/dispatch/problems/999/reassign/", set()),
    "dispatch/problems/<int:pk>/supervise/": ("/dispatch/problems/999/supervise/", set()),
    "dispatch/supervisions/<int:pk>/": ("/dispatch/supervisions/999/", set()),
    "dispatch/supervisions/<int:pk>/reply/": ("/dispatch/supervisions/999/reply/", set()),
    "dispatch/projects/<int:project_pk>/problems/new/": (
        "/dispatch/projects/{project}/problems/new/",
        SIGNED_IN,
    ),
    "dispatch/key-projects/": ("/dispatch/key-projects/", SIGNED_IN),
    "dispatch/key-projects/reconcile/": ("/dispatch/key-projects/reconcile/", LIST_MAKERS),
    "dispatch/key-projects/<int:pk>/": ("/dispatch/key-projects/999/", set()),
    "dispatch/key-projects/<int:pk>/edit/": ("/dispatch/key-projects/999/edit/", set()),
    "dispatch/key-projects/<int:pk>/remove/": ("/dispatch/key-projects/999/remove/", set()),
    "dispatch/key-projects/<int:pk>/task-force/": (
        "/dispatch/key-projects/999/task-force/",
        set(),
    ),
    "dispatch/key-projects/<int:pk>/task-force/<int:member_pk>/remove/": (
        "/dispatch/key-projects/999/task-force/1/remove/",
        set(),
    ),
    "dispatch/key-projects/<int:pk>/plan/": ("/dispatch/key-projects/999/plan/", set()),
    "dispatch/key-projects/<int:pk>/matters/new/": (
        "/dispatch/key-projects/999/matters/new/",
        set(),
    ),
    "dispatch/milestones/<int:pk>/": ("/dispatch/milestones/999/", set()),
    "dispatch/matters/<int:pk>/": ("/dispatch/matters/999/", set()),
    "dispatch/matters/<int:pk>/act/": ("/dispatch/matters/999/act/", set()),
    "dispatch/periods/": ("/dispatch/periods/", STAFF_ROLES),
    "dispatch/periods/<int:pk>/": ("/dispatch/periods/999/", set()),
    "dispatch/periods/<int:pk>/reports/<int:key_project_pk>/": (
        "/dispatch/periods/999/reports/1/",
        set(),
    ),
    "dispatch/meetings/": ("/dispatch/meetings/", STAFF_ROLES),
    "dispatch/meetings/new/": ("/dispatch/meetings/new/", MEETING_HOLDERS),
    "dispatch/meetings/<int:pk>/": ("/dispatch/meetings/999/", set()),
    "dispatch/tasks/<int:pk>/done/": ("/dispatch/tasks/999/done/", set()),
    "dispatch/lights/": ("/dispatch/lights/", STAFF_ROLES),
    "dispatch/lights/monthly/": ("/dispatch/lights/monthly/", STAFF_ROLES),
    "dispatch/lights/settings/": ("/dispatch/lights/settings/", {Role.ADMIN}),
    "dispatch/assessment/": ("/dispatch/assessment/", MEETING_HOLDERS),
    "dispatch/assessment/records/": (
        "/dispatch/assessment/records/?indicator=signings&key=1",
        MEETING_HOLDERS,
    ),
    "dispatch/assessment/weights/": ("/dispatch/assessment/weights/", {Role.ADMIN}),
    "dispatch/leaders/<int:pk>/": ("/dispatch/leaders/999/", set()),
    "dispatch/departments/<int:pk>/": ("/dispatch/departments/999/", set()),
    "dispatch/projects/<int:project_pk>/steward/": (
        "/dispatch/projects/{project}/steward/",
        STAFF_ROLES,
    ),
    "dispatch/ledger/": ("/dispatch/ledger/", SIGNED_IN),
    "dispatch/ledger/projects/<int:project_pk>/": (
        "/dispatch/ledger/projects/{project}/",
        SIGNED_IN,
    ),
    "affairs/items/": ("/affairs/items/", ALL),
    "affairs/items/import/": ("/affairs/items/import/", {Role.ADMIN}),
    "affairs/items/<int:pk>/": ("/affairs/items/999/", set()),
    "affairs/applications/<int:pk>/rate/": ("/affairs/applications/999/rate/", set()),
    "affairs/appointments/": ("/affairs/appointments/", ALL),
    "affairs/appointments/new/": ("/affairs/appointments/new/", BOOKERS),
    "affairs/appointments/calendar.ics": ("/affairs/appointments/calendar.ics", ALL),
    "affairs/appointments/<int:pk>/": ("/affairs/appointments/999/", set()),
    "affairs/appointments/<int:pk>/cancel/": ("/affairs/appointments/999/cancel/", set()),
    "affairs/appointments/<int:pk>/reschedule/": ("/affairs/appointments/999/reschedule/", set()),
    "affairs/appointments/<int:pk>/check-in/": ("/affairs/appointments/999/check-in/", set()),
    "affairs/appointments/<int:pk>/calendar.ics": (
        "/affairs/appointments/999/calendar.ics",
        set(),
    ),
    "affairs/authorizations/": (
        "/affairs/authorizations/",
        {Role.ADMIN, Role.LEADER, Role.CLERK, Role.ENTERPRISE, Role.AGENT},
    ),
    "affairs/authorizations/<int:pk>/": ("/affairs/authorizations/999/", set()),
    "affairs/bundles/": ("/affairs/bundles/", ALL),
    "affairs/bundles/<int:pk>/": ("/affairs/bundles/999/", set()),
    "affairs/bundle-cases/<int:pk>/": ("/affairs/bundle-cases/999/", set()),
    "affairs/ratings/": ("/affairs/ratings/", ALL - {Role.AGENT}),
    "affairs/remediations/<int:pk>/": ("/affairs/remediations/999/", set()),
    "affairs/remediations/<int:pk>/reply/": ("/affairs/remediations/999/reply/", set()),
    "affairs/remediations/<int:pk>/visit/": ("/affairs/remediations/999/visit/", set()),
    "affairs/windows/": ("/affairs/windows/", ALL),
    "affairs/windows/<int:pk>/": ("/affairs/windows/999/", set()),
    "spaces/": ("/spaces/", SIGNED_IN),
    "platforms/": ("/platforms/", SIGNED_IN),
    "talent/": ("/talent/", STAFF_ROLES),
    "talent/talents/": ("/talent/talents/", {Role.ADMIN, Role.COMMISSIONER}),
    "talent/talents/<int:pk>/": ("/talent/talents/999/", set()),
    "talent/me/": ("/talent/me/", set()),  # only a talent with an account has a record
    "talent/batches/": ("/talent/batches/", STAFF_ROLES),
    "talent/batches/<int:pk>/": ("/talent/batches/999/", set()),
    # the talent pages' actions: POST only, one URL each
    "talent/talents/<int:pk>/log/": ("/talent/talents/999/log/", set()),
    "talent/talents/<int:pk>/applications/<int:application_pk>/subsidy/": (
        "/talent/talents/999/applications/1/subsidy/",
        set(),
    ),
    "talent/talents/<int:pk>/instalments/<int:instalment_pk>/pay/": (
        "/talent/talents/999/instalments/1/pay/",
        set(),
    ),
    "talent/batches/<int:pk>/close-call/": ("/talent/batches/999/close-call/", set()),
    "talent/batches/<int:pk>/award/": ("/talent/batches/999/award/", set()),
    "talent/batches/<int:pk>/applications/new/": ("/talent/batches/999/applications/new/", set()),
    "talent/batches/<int:pk>/applications/<int:application_pk>/score/": (
        "/talent/batches/999/applications/1/score/",
        set(),
    ),
    "platforms/<int:pk>/": ("/platforms/999/", set()),
    "platforms/events/": ("/platforms/events/", STAFF_ROLES),
    "platforms/events/<int:pk>/": ("/platforms/events/999/", set()),
    # the platform and event pages' actions: POST only, one URL each
    "platforms/<int:pk>/deals/new/": ("/platforms/999/deals/new/", set()),
    "platforms/events/<int:pk>/participants/": ("/platforms/events/999/participants/", set()),
    "platforms/events/<int:pk>/sign/": ("/platforms/events/999/sign/", set()),
    "platforms/events/<int:pk>/sign-new/": ("/platforms/events/999/sign-new/", set()),
    "spaces/buildings/new/": ("/spaces/buildings/new/", {Role.ADMIN, Role.STAFF}),
    "spaces/buildings/<int:pk>/": ("/spaces/buildings/999/", set()),
    "spaces/units/<int:pk>/": ("/spaces/units/999/", set()),
    "spaces/leases/<int:pk>/terminate/": ("/spaces/leases/999/terminate/", set()),
    "spaces/match/": ("/spaces/match/", SIGNED_IN),
    # 投产达效: agreements (履约) and the per-mu evaluation (亩均效益); an enterprise sees its own.
    "delivery/agreements/": ("/delivery/agreements/", SIGNED_IN),
    "delivery/agreements/export/": ("/delivery/agreements/export/", SIGNED_IN),
    "delivery/agreements/new/": (
        "/delivery/agreements/new/",
        {Role.ADMIN, Role.STAFF, Role.STEWARD},
    ),
    "delivery/agreements/<int:pk>/": ("/delivery/agreements/999/", set()),
    "delivery/agreements/<int:pk>/amend/": ("/delivery/agreements/999/amend/", set()),
    "delivery/terms/<int:pk>/fulfil/": ("/delivery/terms/999/fulfil/", set()),
    "delivery/evaluation/": ("/delivery/evaluation/", SIGNED_IN),
    "delivery/evaluation/compute/": ("/delivery/evaluation/compute/", set()),
    "delivery/evaluation/rules/<int:year>/": ("/delivery/evaluation/rules/2025/", {Role.ADMIN}),
    "delivery/evaluation/<int:pk>/": ("/delivery/evaluation/999/", set()),
    "delivery/evaluation/<int:pk>/export/": ("/delivery/evaluation/999/export/", set()),
    "delivery/evaluation/<int:pk>/<str:action>/": ("/delivery/evaluation/999/publish/", set()),
    "delivery/evaluation/<int:pk>/enterprises/<int:enterprise>/": (
        "/delivery/evaluation/999/enterprises/1/",
        set(),
    ),
    "delivery/plots/<int:pk>/shares/": ("/delivery/plots/999/shares/", set()),
    "affairs/items/new/": ("/affairs/items/new/", {Role.ADMIN, Role.CLERK, Role.STAFF}),
    "affairs/items/<int:pk>/edit/": ("/affairs/items/999/edit/", set()),
    "affairs/items/<int:pk>/materials/<int:material_pk>/template/": (
        "/affairs/items/999/materials/1/template/",
        set(),
    ),
    "affairs/applications/": ("/affairs/applications/", ALL),
    "affairs/applications/new/": (
        "/affairs/applications/new/",
        BOOKERS,  # the enterprise, the window, and agents for those that authorise them
    ),
    "affairs/applications/<int:pk>/": ("/affairs/applications/999/", set()),
    "affairs/applications/<int:pk>/upload/": ("/affairs/applications/999/upload/", set()),
    "affairs/applications/<int:pk>/submit/": ("/affairs/applications/999/submit/", set()),
    "affairs/applications/<int:pk>/accept/": ("/affairs/applications/999/accept/", set()),
    "affairs/applications/<int:pk>/refuse/": ("/affairs/applications/999/refuse/", set()),
    "affairs/applications/<int:pk>/intake-supplement/": (
        "/affairs/applications/999/intake-supplement/",
        set(),
    ),
    "affairs/applications/<int:pk>/supply/": ("/affairs/applications/999/supply/", set()),
    "affairs/applications/<int:pk>/exclusions/": ("/affairs/applications/999/exclusions/", set()),
    "affairs/applications/<int:pk>/exclusions/end/": (
        "/affairs/applications/999/exclusions/end/",
        set(),
    ),
    "affairs/applications/<int:pk>/extend/": ("/affairs/applications/999/extend/", set()),
    "affairs/applications/<int:pk>/review/": ("/affairs/applications/999/review/", set()),
    "affairs/applications/<int:pk>/commitment/supply/": (
        "/affairs/applications/999/commitment/supply/",
        set(),
    ),
    "affairs/applications/<int:pk>/commitment/check/": (
        "/affairs/applications/999/commitment/check/",
        set(),
    ),
    "affairs/applications/<int:pk>/close/": ("/affairs/applications/999/close/", set()),
    "affairs/applications/<int:pk>/files/<int:attachment_pk>/": (
        "/affairs/applications/999/files/1/",
        set(),
    ),
    "affairs/applications/<int:pk>/notices/<str:kind>/": (
        "/affairs/applications/999/notices/receipt/",
        set(),
    ),
    "affairs/statistics/": ("/affairs/statistics/", STAFF_ROLES),
    "affairs/pre-reviews/": ("/affairs/pre-reviews/", SIGNED_IN),
    "affairs/pre-reviews/<int:pk>/": ("/affairs/pre-reviews/999/", set()),
    "affairs/pre-reviews/<int:pk>/opinion/": ("/affairs/pre-reviews/999/opinion/", set()),
    "affairs/pre-reviews/<int:pk>/conclude/": ("/affairs/pre-reviews/999/conclude/", set()),
    "affairs/reviews/": (
        "/affairs/reviews/",
        {Role.ADMIN, Role.STAFF, Role.CLERK, Role.LEADER},
    ),
    "cockpit/": ("/cockpit/", STAFF_ROLES),
    "cockpit/screen/": ("/cockpit/screen/", STAFF_ROLES),
    "cockpit/map/": ("/cockpit/map/", STAFF_ROLES),
    "cockpit/map/plots/<str:code>/": ("/cockpit/map/plots/NO-SUCH/", set()),
    "cockpit/schedule/": ("/cockpit/schedule/", STAFF_ROLES),
    "cockpit/report/": ("/cockpit/report/", STAFF_ROLES),
    "platform/audit/": ("/platform/audit/", {Role.ADMIN}),
    "platform/calendar/": ("/platform/calendar/", STAFF_ROLES),
    "platform/notifications/": ("/platform/notifications/", ALL),
    "platform/jobs/<int:pk>/": ("/platform/jobs/999/", set()),  # only one's own jobs
    "platform/calendar/year/": ("/platform/calendar/year/", set()),
    "notifications/deliveries/": ("/notifications/deliveries/", {Role.ADMIN}),
    "notifications/deliveries/<int:pk>/send-again/": (
        "/notifications/deliveries/999/send-again/",
        set(),  # POST only
    ),
    "notifications/test/": ("/notifications/test/", {Role.ADMIN}),
    "notifications/preferences/": ("/notifications/preferences/", ALL),
    "api/v1/openapi.json": ("/api/v1/openapi.json", ALL),
    "api/v1/docs": ("/api/v1/docs", ALL),
    "api/v1/": ("/api/v1/", set()),  # the API root only names the docs (404)
}


def _route_patterns():
    for route, namespace, pattern in iter_url_patterns():
        if namespace == "admin" or getattr(pattern.callback, "api_operation", False):
            continue
        yield route, pattern


def test_every_route_is_in_the_table():
    routes = {route for route, _p in _route_patterns()}
    missing = routes - set(ROUTES) - PUBLIC_ROUTES
    assert not missing, f"routes without an access rule in this table: {sorted(missing)}"


def test_only_the_sign_in_routes_are_public():
    public = {route for route, p in _route_patterns() if declared_permission(p.callback)[0]}
    assert public == PUBLIC_ROUTES


def test_system_checks_find_no_undeclared_view_or_operation():
    errors = [
        e for e in checks.run_checks(tags=[checks.Tags.security]) if e.id.startswith("gaoxin.")
    ]
    assert errors == []


def test_a_view_without_a_declared_permission_is_reported(settings):
    from django.urls import clear_url_caches

    settings.ROOT_URLCONF = "tests.urls_undeclared"
    clear_url_caches()
    try:
        errors = [
            e for e in checks.run_checks(tags=[checks.Tags.security]) if e.id == "gaoxin.E001"
        ]
    finally:
        clear_url_caches()
    assert len(errors) == 1
    assert "forgotten/" in errors[0].msg


def test_an_undeclared_view_is_refused_at_run_time(client, settings, admin_user):
    settings.ROOT_URLCONF = "tests.urls_undeclared"
    client.force_login(admin_user)
    assert client.get("/forgotten/").status_code == 403


def test_an_api_operation_without_a_permission_is_reported():
    from ninja import NinjaAPI, Router
    from ninja.security import django_auth

    from gaoxin.core.checks import operation_errors

    api = NinjaAPI(urls_namespace="undeclared-test", auth=django_auth)
    router = Router()

    @router.get("/leak")
    def leak(request):
        return {}

    api.add_router("/x/", router)
    assert [e.id for e in operation_errors(api)] == ["gaoxin.E002"]


def test_an_api_operation_with_authentication_switched_off_is_reported():
    from ninja import NinjaAPI, Router

    from gaoxin.core.checks import operation_errors
    from gaoxin.core.permissions import AUTHENTICATED, api_permission

    api = NinjaAPI(urls_namespace="noauth-test")
    router = Router()

    @router.get("/open")
    @api_permission(AUTHENTICATED)
    def open_door(request):
        return {}

    api.add_router("/x/", router)
    assert [e.id for e in operation_errors(api)] == ["gaoxin.E003"]


@pytest.fixture
def own_project(enterprise, staff):
    """A project of the enterprise user's enterprise, worked by nobody's department."""
    from gaoxin.projects.services import project_create

    return project_create(by=staff, data={"name": "海声尼克二期", "enterprise": enterprise})


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_anonymous_is_sent_to_sign_in(client, route, enterprise, own_project):
    path = ROUTES[route][0].format(own=enterprise.pk, project=own_project.pk)
    response = client.get(path)
    assert response.status_code == 302, path
    assert response.url.startswith("/login/?next=")


def test_every_api_operation_answers_401_without_credentials(client):
    checked = 0
    for _bound, _path, operation in iter_operations():
        for method in operation.methods:
            url = re.sub(r"\{[^}]*\}", "1", f"/api/v1/{_bound.prefix}{operation.path}")
            url = url.replace("//", "/")
            response = client.generic(method, url)
            assert response.status_code == 401, (method, url, response.status_code)
            checked += 1
    assert checked >= 8


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_each_role_gets_exactly_its_routes(
    client, route, users_by_role, enterprise, other_enterprise, own_project
):
    template, allowed = ROUTES[route]
    path = template.format(own=enterprise.pk, project=own_project.pk)
    for role, user in users_by_role.items():
        client.force_login(user)
        status = client.get(path).status_code
        if role in allowed:
            assert status == 200, (role, path, status)
        else:
            assert status in (403, 404, 405, 302), (role, path, status)
            if route == "platform/calendar/year/" and role == Role.ADMIN:
                assert status == 302  # GET redirects to the calendar page
            elif status == 302:
                pytest.fail(f"{role} was redirected from {path}")


def test_enterprise_user_cannot_open_another_enterprise_anywhere(
    client, enterprise_user, other_enterprise
):
    client.force_login(enterprise_user)
    for suffix in ("", "edit/", "history/"):
        assert client.get(f"/enterprises/{other_enterprise.pk}/{suffix}").status_code == 404


def test_admin_site_is_for_admins_only(client, admin_user, staff):
    client.force_login(staff)
    assert client.get("/admin/").status_code == 302
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200


def test_every_api_read_answers_each_role_as_its_permission_says(
    client, users_by_role, own_project, enterprise
):
    """Every GET operation, every role: allowed roles get their data (or 404 for a record they
    may not see), the others 403 — derived from the permission the operation declares."""
    from gaoxin.accounts.services import api_token_create
    from gaoxin.core.permissions import user_has

    params = {
        "/statistics": "?start=2026-01-01&end=2026-06-30",
        "/stock": "?as_of=2026-06-30",
        "/targets": "?year=2026",
        "/key-projects": "?year=2026",
        "/lights": "?year=2026",
        "/assessment": "?start=2026-01-01&end=2026-06-30",
        "/cockpit": "?start=2026-01-01&end=2026-06-30",
        "/slots": "?day=2026-11-30",
        "/occupancy": "?on=2026-11-30",
        "/match": "?kind=factory&area_m2=1000",
        "/figures": "?start=2026-01-01&end=2026-06-30",
        "/add-working-days": "?start=2026-09-30&days=1",
        "/working-time": "?start=2026-09-30T09:00:00%2B08:00&end=2026-09-30T10:00:00%2B08:00",
        # the workbooks and the reconciliation of issue 22
        "/key-projects/export": "?year=2026",
        "/key-projects/reconcile": "?year=2026",
        "/statistics/export": "?start=2026-01-01&end=2026-06-30",
        "/report/export": "?start=2026-01-01&end=2026-06-30",
    }
    tokens = {
        role: api_token_create(user=user, name="matrix")[1] for role, user in users_by_role.items()
    }
    checked = 0
    for bound, path, operation in iter_operations():
        if "GET" not in operation.methods:
            continue
        perm = operation.view_func.permission_required
        url = f"/api/v1/{bound.prefix}{path}".replace("//", "/")
        own = enterprise.pk if "/enterprises/" in url else own_project.pk
        url = re.sub(r"\{(int:)?pk\}", str(own), url).replace("{int:year}", "2026")
        url = re.sub(r"\{[^}]*\}", "1", url) + next(
            (q for suffix, q in params.items() if url.endswith(suffix)), ""
        )
        for role, user in users_by_role.items():
            status = client.get(url, headers={"Authorization": f"Bearer {tokens[role]}"})
            if user_has(user, perm):
                assert status.status_code in (200, 404), (role, url, status.status_code)
            else:
                assert status.status_code == 403, (role, url, status.status_code)
            checked += 1
    assert checked >= 7 * 10


# Object-level powers that are narrower than the routes (docs/security.md): who may do what to
# a real record. Role -> may it? Everybody else gets 403 (or 404 when it may not see it).
POWERS = {
    # accept a problem assigned to the staff fixture's department (投资促进局)
    "accept_problem": {Role.ADMIN, Role.STAFF},
    # move a problem to another department: the coordinating office (no fixture user is in it)
    "reassign_problem": {Role.ADMIN},
    # end a lease of a factory unit
    "end_factory_lease": {Role.ADMIN, Role.STAFF},
    # end a lease of a talent-apartment unit
    "end_apartment_lease": {Role.ADMIN, Role.STAFF, Role.COMMISSIONER},
}


@pytest.mark.parametrize("power", sorted(POWERS))
def test_each_role_has_exactly_its_object_powers(
    client, power, users_by_role, own_project, enterprise, department, calendar
):
    import datetime as dt
    from decimal import Decimal

    from gaoxin.dispatch.services import problem_raise
    from gaoxin.spaces.models import Building, Lease, Unit
    from tests.factories import DepartmentFactory

    other = DepartmentFactory(code="planning", name="自然资源和规划局")
    kind = "talent_apartment" if power == "end_apartment_lease" else "factory"
    for role, user in users_by_role.items():
        problem = problem_raise(
            project=own_project,
            by=users_by_role[Role.ADMIN],
            kind="blockage",
            title=f"{power} {role}",
            description="x",
            department=department,
        )
        building = Building.objects.create(name=f"{power} {role}", kind=kind)
        unit = Unit.objects.create(building=building, number="1", area_m2=Decimal(100))
        lease = Lease.objects.create(
            unit=unit,
            enterprise=enterprise,
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2027, 12, 31),
            rent_m2_month=Decimal(20),
        )
        client.force_login(user)
        if power == "accept_problem":
            path, data = (
                f"/dispatch/problems/{problem.pk}/move/",
                {
                    "to_state": "accepted",
                    "limit_days": 5,
                },
            )
        elif power == "reassign_problem":
            path, data = (
                f"/dispatch/problems/{problem.pk}/reassign/",
                {
                    "department": other.pk,
                    "note": "移交",
                },
            )
        else:
            path, data = (
                f"/spaces/leases/{lease.pk}/terminate/",
                {
                    "on": "2026-06-30",
                    "version": lease.version,
                },
            )
        status = client.post(path, data).status_code
        problem.refresh_from_db()
        lease.refresh_from_db()
        done = {
            "accept_problem": problem.state == "accepted",
            "reassign_problem": problem.department_id == other.pk,
        }.get(power, lease.terminated_on is not None)
        if role in POWERS[power]:
            assert (status, done) == (302, True), (role, power)
        else:
            assert status in (403, 404), (role, power, status)
            assert not done, (role, power)


# --- API writes × roles (issue 22) ---------------------------------------------------------


def _minimal(schema: dict, components: dict, depth: int = 0):
    """A small instance of a JSON schema that passes the schema (required fields only), so a
    write reaches the permission check instead of stopping at a 422."""
    if "$ref" in schema:
        return _minimal(components[schema["$ref"].rsplit("/", 1)[1]], components, depth)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return _minimal(options[0], components, depth)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        required = schema.get("required", [])
        return {
            name: _minimal(prop, components, depth + 1)
            for name, prop in schema.get("properties", {}).items()
            if name in required
        }
    if kind == "array":
        item = _minimal(schema.get("items", {}), components, depth + 1)
        return [item] * max(1, schema.get("minItems", 1))
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return "2026-06-30"
    if schema.get("format") == "date-time":
        return "2026-06-30T09:00:00+08:00"
    if schema.get("format") == "binary":
        return b"x"
    if "example" in schema:
        return schema["example"]
    choice = re.fullmatch(r"\^\(([^()]*)\)\$", schema.get("pattern", ""))
    if choice:
        return choice.group(1).split("|")[0]
    return "x" * max(1, schema.get("minLength", 1))


def test_every_api_write_answers_each_role_as_its_permission_says(
    client, users_by_role, own_project, enterprise, settings, tmp_path
):
    """Every POST/PUT/PATCH/DELETE operation, every role, with a body that passes the schema:
    the roles without the operation's permission get 403 and nothing else; the others get past
    the route (their answer comes from the record and its rules, never a route refusal)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gaoxin.accounts.services import api_token_create
    from gaoxin.api import api
    from gaoxin.core.permissions import user_has

    settings.MEDIA_ROOT = tmp_path
    document = api.get_openapi_schema(path_prefix="/api/v1/")
    components = document["components"]["schemas"]
    tokens = {
        role: api_token_create(user=user, name="writes")[1] for role, user in users_by_role.items()
    }
    views = {api.get_openapi_operation_id(op): op.view_func for _b, _p, op in iter_operations()}
    checked = 0
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            if method == "get":
                continue
            perm = views[operation["operationId"]].permission_required
            url = re.sub(r"\{year\}", "2026", path)
            url = re.sub(r"\{[^}]*\}", "999999", url)
            content = operation.get("requestBody", {}).get("content", {})
            for role, user in users_by_role.items():
                headers = {"Authorization": f"Bearer {tokens[role]}"}
                if "application/json" in content:
                    body = _minimal(content["application/json"]["schema"], components)
                    answer = client.generic(
                        method.upper(),
                        url,
                        json.dumps(body),
                        content_type="application/json",
                        headers=headers,
                    )
                elif "multipart/form-data" in content:
                    body = _minimal(content["multipart/form-data"]["schema"], components)
                    data = {
                        k: SimpleUploadedFile("x.xlsx", v) if isinstance(v, bytes) else v
                        for k, v in body.items()
                    }
                    answer = client.post(url, data, headers=headers)
                else:
                    answer = client.generic(method.upper(), url, headers=headers)
                if user_has(user, perm):
                    # Past the route: the record (here a missing one) and its own rules answer;
                    # an object-level refusal may still be a 403.
                    assert answer.status_code not in (401, 500), (role, method, url)
                else:
                    assert answer.status_code == 403, (role, method, url, answer.content[:300])
                checked += 1
    assert checked >= 60 * 8
