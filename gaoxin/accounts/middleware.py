"""Nothing before the sign-in is complete: second factor first, then a password to change.

Runs after django-otp's ``OTPMiddleware`` (which tells whether this session gave a second
factor) and before ``PermissionMiddleware``. A person who signed in with the password but
still owes a step (see ``accounts.twofactor.pending_step``) is sent to that step's page
from every page, the admin site included; the API treats such a session as no session at all
(401), while API tokens are unaffected.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from gaoxin.accounts import twofactor
from gaoxin.core.permissions import declared_permission

STEP_PAGES = {
    twofactor.VERIFY: "accounts:two_factor_verify",
    twofactor.ENROL: "accounts:two_factor_enrol",
    twofactor.PASSWORD: "accounts:password_change",
}


def sign_in_step(step: str):
    """Mark a view as the page of a sign-in step (reachable while that step is pending)."""

    def decorate(view):
        view.sign_in_step = step
        return view

    return decorate


class SignInCompletionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        step = twofactor.pending_step(request)
        if step is None:
            return None
        if getattr(view_func, "api_operation", False):
            # A half-signed-in browser session is no session for the API; a token still is.
            request.user = AnonymousUser()
            return None
        if step == twofactor.RESET:
            logout(request)
            messages.warning(
                request,
                _("Your two-factor sign-in was reset by an administrator. Please sign in again."),
            )
            return self._go(request, reverse("login"))
        target = getattr(view_func, "view_class", view_func)
        if getattr(target, "sign_in_step", None) == step or declared_permission(view_func)[0]:
            return None  # the step's own page, or sign-in, sign-out and the language switch
        url = reverse(STEP_PAGES[step])
        if request.method == "GET" and not getattr(request, "htmx", False):
            url += "?" + urlencode({"next": request.get_full_path()})
        return self._go(request, url)

    @staticmethod
    def _go(request, url: str) -> HttpResponse:
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url  # htmx loads the whole page, not a fragment
            return response
        return redirect(url)
