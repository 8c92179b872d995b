"""Request id, permission enforcement and a clear answer while the database is down."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponseBadRequest, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from gaoxin.core import requestid
from gaoxin.core.permissions import declared_permission, user_has
from gaoxin.core.requestid import current_request_id

logger = logging.getLogger(__name__)

# URL namespaces whose views check access themselves, and how (see docs/architecture.md).
DELEGATED_NAMESPACES = {
    "admin": "Django's admin site requires an active staff account (role admin).",
}


class RequestIdMiddleware:
    """Gives each request an id for logs and the audit trail; a client's X-Request-ID is kept only
    when well-formed and sent by a proxy listed in TRUSTED_PROXIES (``requestid.choose``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = requestid.choose(
            request.headers.get("X-Request-ID", ""),
            request.META.get("REMOTE_ADDR", ""),
            settings.TRUSTED_PROXIES,
        )
        token = current_request_id.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request.id
        return response


class DatabaseUnavailableMiddleware:
    """While the database cannot be reached, answer 503 quickly instead of a 500 or a hang."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        if isinstance(exception, DatabaseError) and "locked" in str(exception).lower():
            return None  # SQLite busy: a real error worth a 500 and a log line
        logger.error("database unavailable: %s", exception)
        message = _("The service is temporarily unavailable. Please try again in a moment.")
        if request.path.startswith("/api/"):
            response = JsonResponse({"message": message, "errors": {}}, status=503)
        else:
            response = render(request, "503.html", {"message": message}, status=503)
        response["Retry-After"] = "10"
        return response


class PermissionMiddleware:
    """Enforces the permission every page view declares (see ``core.permissions``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.namespace in DELEGATED_NAMESPACES:
            return None
        is_public, perm = declared_permission(view_func)
        if is_public:
            return None
        if perm is None and getattr(view_func, "api_operation", False):
            return None  # API operations: authenticated by ninja, checked by api_permission
        if perm is None:
            logger.error("view %s declares no permission; refused", match and match.view_name)
            raise PermissionDenied
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if not user_has(request.user, perm):
            raise PermissionDenied
        return None


class LanguageMiddleware(LocaleMiddleware):
    """Chinese unless the user chose otherwise with the language switch (a cookie).

    The browser's Accept-Language is deliberately ignored: zone staff often run English-language
    browsers, and the platform's working language is Chinese.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RejectNulCharactersMiddleware:
    """A query string or form with a NUL character gets a clear 400: PostgreSQL cannot store
    or compare such text, and no legitimate input contains one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.META.get("QUERY_STRING", "")
            or "%00" in request.META.get("QUERY_STRING", "")
            or any("\x00" in k or any("\x00" in v for v in vs) for k, vs in request.GET.lists())
        ):
            return self._refuse(request)
        if (
            request.method == "POST"
            and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
            and any("\x00" in v for _k, vs in request.POST.lists() for v in vs)
        ):
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _refuse(request):
        message = _("Text may not contain NUL (0x00) characters.")
        if request.path.startswith("/api/"):
            return JsonResponse({"message": message, "errors": {}}, status=400)

        return HttpResponseBadRequest(message)
