"""OpenID Connect sign-in against a local issuer (real HTTP on 127.0.0.1, real RS256-signed
ID tokens): the code flow with state, nonce and PKCE, the admin's claim mapping, enterprises
bound by USCC, the provider's MFA standing for the second factor, and every refusal."""

import base64
import hashlib
import json
import secrets
import time
import urllib.parse

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import SESSION_KEY
from werkzeug.wrappers import Response

from gaoxin.accounts import twofactor
from gaoxin.accounts.models import Role, SsoIdentity, SsoMapping, User
from gaoxin.core.models import AuditEntry
from tests.factories import DepartmentFactory, EnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db

CLIENT_ID = "gaoxin-zone"
CLIENT_SECRET = "client-secret-123"


class LocalIssuer:
    """A minimal OpenID provider: authorize (the person is already signed in there), token,
    userinfo and JWKS endpoints; ID tokens signed with its RSA key."""

    def __init__(self, server):
        self.server = server
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "key-1"
        self.issuer = server.url_for("/op")
        self.claims = {}
        self.codes = {}
        self.tamper = {}  # what the next token should get wrong
        self.access_tokens = {}
        server.expect_request("/op/authorize").respond_with_handler(self.authorize)
        server.expect_request("/op/token", method="POST").respond_with_handler(self.token)
        server.expect_request("/op/userinfo").respond_with_handler(self.userinfo)
        server.expect_request("/op/jwks").respond_with_handler(self.jwks)

    def sign_in_as(self, **claims):
        self.claims = claims

    def authorize(self, request):
        args = request.args
        assert args["client_id"] == CLIENT_ID and args["response_type"] == "code"
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "nonce": args.get("nonce"),
            "redirect_uri": args["redirect_uri"],
            "challenge": args.get("code_challenge"),
        }
        location = f"{args['redirect_uri']}?" + urllib.parse.urlencode(
            {"code": code, "state": args["state"]}
        )
        return Response(status=302, headers={"Location": location})

    def token(self, request):
        form = request.form
        grant = self.codes.pop(form.get("code"), None)
        if (
            grant is None
            or form.get("client_id") != CLIENT_ID
            or form.get("client_secret") != CLIENT_SECRET
            or form.get("redirect_uri") != grant["redirect_uri"]
        ):
            return Response(json.dumps({"error": "invalid_grant"}), status=400)
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        if challenge.rstrip(b"=").decode() != grant["challenge"]:
            return Response(json.dumps({"error": "invalid_grant", "why": "pkce"}), status=400)
        now = int(time.time())
        payload = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
            **{k: v for k, v in self.claims.items() if k in ("sub", "amr", "acr")},
        }
        payload |= self.tamper.get("payload", {})
        key = self.tamper.get("key", self.key)
        id_token = jwt.encode(payload, key, algorithm="RS256", headers={"kid": self.kid})
        access = secrets.token_urlsafe(16)
        self.access_tokens[access] = self.claims
        body = {"access_token": access, "token_type": "Bearer", "id_token": id_token}
        return Response(json.dumps(body), content_type="application/json")

    def userinfo(self, request):
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        claims = self.access_tokens.get(token)
        if claims is None:
            return Response(status=401)
        info = {k: v for k, v in claims.items() if k not in ("amr", "acr")}
        return Response(json.dumps(info), content_type="application/json")

    def jwks(self, request):
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk |= {"kid": self.kid, "alg": "RS256", "use": "sig"}
        return Response(json.dumps({"keys": [jwk]}), content_type="application/json")


@pytest.fixture
def issuer(settings, httpserver):
    op = LocalIssuer(httpserver)
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_ISSUER = op.issuer
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = httpserver.url_for("/op/authorize")
    settings.OIDC_OP_TOKEN_ENDPOINT = httpserver.url_for("/op/token")
    settings.OIDC_OP_USER_ENDPOINT = httpserver.url_for("/op/userinfo")
    settings.OIDC_OP_JWKS_ENDPOINT = httpserver.url_for("/op/jwks")
    settings.SSO_UNKNOWN_USERS = "inactive"
    return op


@pytest.fixture
def mapping(db):
    DepartmentFactory(code="investment", name="投资促进局")
    return SsoMapping.objects.create(
        provider="oidc",
        role_claim="roles",
        role_map={"zone-admin": "admin", "dept-staff": "staff", "zone-leader": "leader"},
        department_claim="dept",
        department_map={"投促局": "investment"},
    )


def sign_in(client, issuer, *, next_url="/"):
    """The browser's round trip: platform → issuer (signed in) → platform's callback."""
    start = client.get("/sso/oidc/authenticate/", {"next": next_url})
    assert start.status_code == 302
    at_issuer = requests.get(start.url, allow_redirects=False, timeout=5)
    assert at_issuer.status_code == 302
    callback = urllib.parse.urlsplit(at_issuer.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}")


def signed_in_user(client):
    return client.session.get(SESSION_KEY)


def test_a_known_person_signs_in_and_the_mapping_sets_role_and_department(client, issuer, mapping):
    person = UserFactory(username="zhangwei", role=Role.CLERK)
    issuer.sign_in_as(
        sub="gov-0001",
        preferred_username="zhangwei",
        name="张伟",
        email="zw@zone.gov.cn",
        phone_number="13700137000",
        roles=["dept-staff"],
        dept="投促局",
    )
    response = sign_in(client, issuer, next_url="/projects/")
    assert response.status_code == 302 and response.url == "/projects/"
    assert signed_in_user(client) == str(person.pk)
    person.refresh_from_db()
    assert (person.role, person.department.code, person.full_name) == (
        "staff",
        "investment",
        "张伟",
    )
    assert User.objects.filter(phone_hash__matches="13700137000").get() == person
    assert SsoIdentity.objects.get(provider="oidc", subject="gov-0001").user == person
    change = AuditEntry.objects.filter(object_id=str(person.pk), action="update").last()
    assert change.before["role"] == "clerk" and change.after["role"] == "staff"
    assert change.after["phone"] == "137****7000"  # personal data masked in the trail
    assert client.get("/projects/").status_code == 200  # staff need no second factor


def test_the_binding_is_by_subject_not_by_user_name_after_the_first_sign_in(
    client, issuer, mapping
):
    person = UserFactory(username="liuyang")
    SsoIdentity.objects.create(user=person, provider="oidc", subject="gov-7")
    issuer.sign_in_as(sub="gov-7", preferred_username="renamed-at-the-province")
    sign_in(client, issuer)
    assert signed_in_user(client) == str(person.pk)


def test_provider_mfa_stands_for_the_second_factor(client, issuer, mapping):
    admin = UserFactory(username="chief", role=Role.ADMIN)
    issuer.sign_in_as(
        sub="gov-9", preferred_username="chief", roles="zone-admin", amr=["pwd", "otp"]
    )
    sign_in(client, issuer)
    assert client.session[twofactor.SESSION_SSO_MFA] == "oidc"
    assert client.get("/projects/").status_code == 200
    assert signed_in_user(client) == str(admin.pk)


def test_without_provider_mfa_the_platforms_totp_still_applies(client, issuer, mapping):
    UserFactory(username="boss", role=Role.LEADER)
    issuer.sign_in_as(sub="gov-10", preferred_username="boss", roles="zone-leader", amr=["pwd"])
    sign_in(client, issuer)
    assert twofactor.SESSION_SSO_MFA not in client.session
    response = client.get("/projects/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/two-factor/enrol/")


def test_provider_mfa_is_not_trusted_when_switched_off(client, issuer, mapping, settings):
    settings.SSO_TRUST_PROVIDER_MFA = False
    UserFactory(username="boss2", role=Role.LEADER)
    issuer.sign_in_as(sub="gov-11", preferred_username="boss2", amr=["mfa"])
    sign_in(client, issuer)
    assert client.get("/projects/").status_code == 302


def test_an_enterprise_user_is_bound_to_the_enterprise_of_the_uscc_in_the_claims(
    client, issuer, mapping
):
    enterprise = EnterpriseFactory()
    person = UserFactory(username="ent-rep", role=Role.STAFF)
    issuer.sign_in_as(sub="corp-1", preferred_username="ent-rep", uscc=enterprise.uscc.lower())
    sign_in(client, issuer)
    person.refresh_from_db()
    assert (person.role, person.enterprise, person.department) == ("enterprise", enterprise, None)


def test_an_unknown_uscc_is_refused(client, issuer, mapping):
    UserFactory(username="ent-x")
    issuer.sign_in_as(sub="corp-2", preferred_username="ent-x", uscc="91110000000000000X")
    response = sign_in(client, issuer)
    assert response.url == "/login/"
    assert signed_in_user(client) is None


def test_an_unknown_person_is_created_inactive_and_not_signed_in(client, issuer, mapping):
    issuer.sign_in_as(sub="gov-new", preferred_username="newcomer", name="新人", roles="dept-staff")
    response = sign_in(client, issuer)
    assert response.status_code == 302 and response.url == "/login/"
    assert signed_in_user(client) is None
    created = User.objects.get(username="newcomer")
    assert (created.is_active, created.role, created.has_usable_password()) == (
        False,
        "staff",
        False,
    )
    assert AuditEntry.objects.filter(object_id=str(created.pk), action="create").exists()
    page = client.get("/login/")
    assert "等待管理员启用" in page.content.decode()


def test_an_unknown_person_is_refused_when_the_setting_says_so(client, issuer, mapping, settings):
    settings.SSO_UNKNOWN_USERS = "refuse"
    issuer.sign_in_as(sub="gov-stranger", preferred_username="stranger")
    sign_in(client, issuer)
    assert signed_in_user(client) is None
    assert not User.objects.filter(username="stranger").exists()


@pytest.mark.parametrize(
    "tamper",
    [
        {"payload": {"nonce": "not-the-one-we-sent"}},
        {"payload": {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}},
        {"payload": {"aud": "another-client"}},
        {"payload": {"iss": "https://evil.example/op"}},
        {"key": rsa.generate_private_key(public_exponent=65537, key_size=2048)},
    ],
    ids=["wrong-nonce", "expired", "other-audience", "other-issuer", "bad-signature"],
)
def test_a_bad_token_is_refused_logged_and_gives_no_session(
    client, issuer, mapping, tamper, caplog
):
    UserFactory(username="target")
    issuer.sign_in_as(sub="gov-20", preferred_username="target")
    issuer.tamper = tamper
    response = sign_in(client, issuer)
    assert response.status_code == 302 and response.url == "/login/"
    assert signed_in_user(client) is None
    assert any("refused" in r.getMessage() for r in caplog.records)


def test_a_bad_state_is_refused(client, issuer, mapping):
    UserFactory(username="target2")
    issuer.sign_in_as(sub="gov-21", preferred_username="target2")
    client.get("/sso/oidc/authenticate/")
    response = client.get("/sso/oidc/callback/", {"code": "x", "state": "forged"})
    assert response.status_code == 302 and response.url == "/login/"
    assert signed_in_user(client) is None


def test_a_replayed_callback_is_refused(client, issuer, mapping):
    UserFactory(username="target3")
    issuer.sign_in_as(sub="gov-22", preferred_username="target3")
    start = client.get("/sso/oidc/authenticate/")
    at_issuer = requests.get(start.url, allow_redirects=False, timeout=5)
    callback = urllib.parse.urlsplit(at_issuer.headers["Location"])
    client.get(f"{callback.path}?{callback.query}")
    client.logout()
    again = client.get(f"{callback.path}?{callback.query}")
    assert again.url == "/login/"
    assert signed_in_user(client) is None


def test_sign_out_ends_the_platform_session_and_the_providers(client, issuer, mapping, settings):
    settings.OIDC_OP_LOGOUT_ENDPOINT = issuer.server.url_for("/op/logout")
    UserFactory(username="leaver")
    issuer.sign_in_as(sub="gov-30", preferred_username="leaver")
    sign_in(client, issuer)
    assert signed_in_user(client) is not None
    response = client.post("/logout/")
    assert signed_in_user(client) is None
    assert response.url.startswith(issuer.server.url_for("/op/logout") + "?")
    assert "id_token_hint=" in response.url


def test_the_sign_in_page_offers_the_provider_and_nothing_when_switched_off(
    client, issuer, settings
):
    assert "统一身份认证" in client.get("/login/").content.decode()
    settings.OIDC_ENABLED = False
    assert client.get("/sso/oidc/authenticate/").status_code == 404
    assert 'data-testid="sso-oidc"' not in client.get("/login/").content.decode()
