"""CAS sign-in (django-cas-ng, protocol 3) against a local stand-in of the CAS server."""

import urllib.parse

import pytest
from django.contrib.auth import SESSION_KEY
from werkzeug.wrappers import Response

from gaoxin.accounts.models import Role, SsoIdentity, SsoMapping, User
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

SUCCESS = """<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
  <cas:authenticationSuccess>
    <cas:user>{user}</cas:user>
    <cas:attributes>{attributes}</cas:attributes>
  </cas:authenticationSuccess>
</cas:serviceResponse>"""
FAILURE = """<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
  <cas:authenticationFailure code="INVALID_TICKET">
    Ticket {ticket} not recognized</cas:authenticationFailure>
</cas:serviceResponse>"""


class CasServer:
    def __init__(self, server):
        self.tickets = {}  # ticket -> (service, user, attributes); each works once
        self.validations = []
        server.expect_request("/cas/p3/serviceValidate").respond_with_handler(self.validate)

    def issue(self, ticket, service, user, **attributes):
        self.tickets[ticket] = (service, user, attributes)

    def validate(self, request):
        ticket, service = request.args.get("ticket"), request.args.get("service")
        self.validations.append((ticket, service))
        known = self.tickets.pop(ticket, None)
        if known is None or known[0] != service:
            return Response(FAILURE.format(ticket=ticket), content_type="text/xml")
        _service, user, attributes = known
        xml = "".join(
            f"<cas:{name}>{v}</cas:{name}>"
            for name, values in attributes.items()
            for v in (values if isinstance(values, list) else [values])
        )
        return Response(SUCCESS.format(user=user, attributes=xml), content_type="text/xml")


@pytest.fixture
def cas(settings, httpserver):
    settings.CAS_ENABLED = True
    settings.CAS_SERVER_URL = httpserver.url_for("/cas/")
    DepartmentFactory(code="investment", name="投资促进局")
    SsoMapping.objects.create(
        provider="cas",
        username_claim="uid",
        role_claim="roles",
        role_map={"dept-staff": "staff"},
        department_claim="dept",
        department_map={"投促局": "investment"},
    )
    return CasServer(httpserver)


SERVICE = "http://testserver/sso/cas/login/"  # the next page stays in the session


def test_sign_in_goes_to_the_cas_server_with_the_service_address(client, cas, httpserver):
    response = client.get("/sso/cas/login/", {"next": "/projects/"})
    assert response.status_code == 302
    url = urllib.parse.urlsplit(response.url)
    assert f"{url.scheme}://{url.netloc}{url.path}" == httpserver.url_for("/cas/login")
    assert urllib.parse.parse_qs(url.query)["service"] == [SERVICE]


def test_a_valid_ticket_signs_the_person_in_with_the_mapped_role(client, cas):
    person = UserFactory(username="wangfang", role=Role.CLERK)
    cas.issue(
        "ST-1-abc", SERVICE, "gov-wangfang", uid="wangfang", roles="dept-staff", dept="投促局"
    )
    response = client.get("/sso/cas/login/", {"next": "/projects/", "ticket": "ST-1-abc"})
    assert response.status_code == 302 and response.url == "/projects/"
    assert client.session[SESSION_KEY] == str(person.pk)
    person.refresh_from_db()
    assert (person.role, person.department.code) == ("staff", "investment")
    assert SsoIdentity.objects.filter(provider="cas", subject="gov-wangfang", user=person).exists()
    assert cas.validations == [("ST-1-abc", SERVICE)]
    assert client.get("/projects/").status_code == 200


def test_a_ticket_the_server_does_not_know_is_refused_without_a_session(client, cas):
    UserFactory(username="wangfang")
    response = client.get("/sso/cas/login/", {"next": "/projects/", "ticket": "ST-forged"})
    assert response.status_code == 302 and response.url == "/login/"
    assert SESSION_KEY not in client.session


def test_a_ticket_works_once(client, cas):
    UserFactory(username="wangfang")
    cas.issue("ST-2", SERVICE, "gov-wangfang", uid="wangfang")
    client.get("/sso/cas/login/", {"next": "/projects/", "ticket": "ST-2"})
    client.logout()
    client.get("/sso/cas/login/", {"next": "/projects/", "ticket": "ST-2"})
    assert SESSION_KEY not in client.session


def test_an_unknown_person_is_refused_or_created_inactive(client, cas, settings):
    settings.SSO_UNKNOWN_USERS = "refuse"
    cas.issue("ST-3", SERVICE, "gov-nobody", uid="nobody")
    client.get("/sso/cas/login/", {"next": "/projects/", "ticket": "ST-3"})
    assert not User.objects.filter(username="nobody").exists()
    settings.SSO_UNKNOWN_USERS = "inactive"
    cas.issue("ST-4", SERVICE, "gov-nobody", uid="nobody")
    client.get("/sso/cas/login/", {"next": "/projects/", "ticket": "ST-4"})
    assert User.objects.get(username="nobody").is_active is False
    assert SESSION_KEY not in client.session


def test_an_admin_signed_in_by_cas_still_gives_the_platforms_second_factor(client, cas):
    UserFactory(username="chief", role=Role.ADMIN)
    cas.issue("ST-5", SERVICE, "gov-chief", uid="chief")
    client.get("/sso/cas/login/", {"next": "/projects/", "ticket": "ST-5"})
    response = client.get("/projects/")
    assert response.status_code == 302 and response.url.startswith("/accounts/two-factor/")


def test_sign_out_ends_the_session_and_goes_to_the_cas_logout(client, cas, httpserver):
    UserFactory(username="wangfang")
    cas.issue("ST-6", SERVICE, "gov-wangfang", uid="wangfang")
    client.get("/sso/cas/login/", {"next": "/projects/", "ticket": "ST-6"})
    response = client.post("/logout/")
    assert SESSION_KEY not in client.session
    assert response.url.startswith(httpserver.url_for("/cas/logout"))


def test_cas_is_off_unless_switched_on(client, settings):
    settings.CAS_ENABLED = False
    assert client.get("/sso/cas/login/").status_code == 404
