"""Authentication backends of single sign-on: OpenID Connect and CAS, both through sso.py.

Each answers only when switched on (``OIDC_ENABLED``, ``CAS_ENABLED``) and only to its own
kind of call (an OIDC callback's code and state; a CAS ticket), so password sign-in is
untouched. A refusal is logged and leaves its reason on the request for the sign-in page.
"""

from __future__ import annotations

import logging

import jwt
import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django_cas_ng.utils import get_cas_client
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from gaoxin.accounts import sso
from gaoxin.accounts.models import SsoProvider, User

logger = logging.getLogger(__name__)

# Set on the request for the views: the claims of a successful sign-in, or the refusal.
REQUEST_CLAIMS = "_gaoxin_sso_claims"
REQUEST_REFUSAL = "_gaoxin_sso_refusal"


class OidcBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's code flow, with the issuer, audience, expiry and time of issue
    of the ID token checked, and the user found or made by sso.sign_in_user."""

    def authenticate(self, request, **kwargs):
        if not settings.OIDC_ENABLED or request is None:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except sso.SsoRefused as refusal:
            setattr(request, REQUEST_REFUSAL, refusal.reason)
            logger.warning("OIDC sign-in refused: %s", refusal.reason)
            return None

    def _verify_jws(self, payload, key):
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_OP_ISSUER,
                leeway=30,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(
                f"ID token refused: {type(error).__name__}: {error}"
            ) from None

    def get_or_create_user(self, access_token, id_token, payload):
        claims = dict(payload)
        if settings.OIDC_OP_USER_ENDPOINT:
            userinfo = self.get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") != payload.get("sub"):  # OIDC Core 5.3.2
                raise SuspiciousOperation("userinfo is about someone else")
            claims |= userinfo
        # The ID token says how the person signed in: amr/acr come from it alone.
        for name in ("amr", "acr"):
            claims.pop(name, None)
            if name in payload:
                claims[name] = payload[name]
        try:
            user = sso.sign_in_user(
                provider=SsoProvider.OIDC, subject=str(payload["sub"]), claims=claims
            )
        except sso.SsoRefused as refusal:
            setattr(self.request, REQUEST_REFUSAL, refusal.reason)
            logger.warning("OIDC sign-in refused: %s", refusal.reason)
            return None
        setattr(self.request, REQUEST_CLAIMS, claims)
        return user

    def get_user(self, user_id):
        return User.objects.filter(pk=user_id).first()


class CasBackend(ModelBackend):
    """A CAS service ticket validated with the CAS server (protocol 3: attributes)."""

    def authenticate(self, request, ticket=None, service=None, **kwargs):
        if not settings.CAS_ENABLED or not ticket or request is None:
            return None
        client = get_cas_client(service_url=service, request=request)
        try:
            username, attributes, _pgtiou = client.verify_ticket(ticket)
        except (requests.RequestException, ValueError, SyntaxError) as error:
            logger.warning("CAS ticket could not be validated: %s", error)
            setattr(request, REQUEST_REFUSAL, "")
            return None
        if not username:
            logger.warning("CAS ticket refused by the server")
            return None
        claims = dict(attributes or {})
        try:
            user = sso.sign_in_user(provider=SsoProvider.CAS, subject=username, claims=claims)
        except sso.SsoRefused as refusal:
            setattr(request, REQUEST_REFUSAL, refusal.reason)
            logger.warning("CAS sign-in refused: %s", refusal.reason)
            return None
        setattr(request, REQUEST_CLAIMS, claims)
        return user

    def user_can_authenticate(self, user):
        return user.is_active
