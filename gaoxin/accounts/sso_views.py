"""Single sign-on pages: start and finish an OIDC sign-in, CAS sign-in (both public).

A callback that fails — a bad or replayed state, a wrong nonce, a token with a bad signature,
another audience or issuer, or expired; a CAS ticket the server refuses — is logged and
sends the person back to the sign-in page with a message; no session is made.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django_cas_ng import views as cas_views
from django_cas_ng.utils import get_cas_client
from mozilla_django_oidc import views as oidc_views

from gaoxin.accounts import sso
from gaoxin.accounts.models import SsoProvider
from gaoxin.accounts.sso_backends import REQUEST_CLAIMS, REQUEST_REFUSAL

logger = logging.getLogger(__name__)


def _refused(request):
    reason = getattr(request, REQUEST_REFUSAL, "") or _(
        "Sign-in through the unified identity service failed. Please try again."
    )
    messages.error(request, reason)
    return redirect("login")


class OidcStart(oidc_views.OIDCAuthenticationRequestView):
    public = True

    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404
        return super().get(request)


class OidcCallback(oidc_views.OIDCAuthenticationCallbackView):
    public = True

    def get(self, request):
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            return super().get(request)
        except (SuspiciousOperation, jwt.InvalidTokenError, requests.RequestException) as error:
            logger.warning("OIDC callback refused: %s", error)
            return _refused(request)

    def login_failure(self):
        if "error" in self.request.GET:
            logger.warning("OIDC provider answered %s", self.request.GET.get("error"))
        return _refused(self.request)

    def login_success(self):
        response = super().login_success()
        sso.finish_sign_in(
            self.request,
            self.user,
            provider=SsoProvider.OIDC,
            claims=getattr(self.request, REQUEST_CLAIMS, {}),
        )
        return response


class CasLogin(cas_views.LoginView):
    public = True

    def get(self, request):
        if not settings.CAS_ENABLED:
            raise Http404
        try:
            return super().get(request)
        except PermissionDenied:
            logger.warning("CAS sign-in refused")
            return _refused(request)

    def post(self, request):  # single sign-out requests from the CAS server
        if not settings.CAS_ENABLED:
            raise Http404
        return super().post(request)

    def successful_login(self, request, next_page):
        claims = getattr(request, REQUEST_CLAIMS, None)
        if claims is not None:  # signed in just now with a ticket (not already signed in)
            sso.finish_sign_in(request, request.user, provider=SsoProvider.CAS, claims=claims)
        return super().successful_login(request, next_page)


def provider_logout_url(request, provider: str | None) -> str | None:
    """Where to send a person signed in by single sign-on after the platform's sign-out,
    so the provider's session ends too (None: nowhere)."""
    home = request.build_absolute_uri("/login/")
    if provider == SsoProvider.CAS and settings.CAS_ENABLED:
        return get_cas_client(request=request).get_logout_url(home)
    if provider == SsoProvider.OIDC and settings.OIDC_OP_LOGOUT_ENDPOINT:
        params = {"post_logout_redirect_uri": home, "client_id": settings.OIDC_RP_CLIENT_ID}
        id_token = request.session.get("oidc_id_token")
        if id_token:
            params["id_token_hint"] = id_token
        return f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{urlencode(params)}"
    return None
