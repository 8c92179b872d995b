"""The one NinjaAPI: authentication, the shared error shape, and every app's router.

Authentication: a personal token (``Authorization: Bearer gx_…``) or the browser's session
(with CSRF). Every operation also declares its permission with ``api_permission``; the
system check ``gaoxin.E002`` refuses to start when one does not.

Every 4xx answers ``{"message": "...", "errors": {"field": ["..."]}}``; a 409 adds
``"current"`` (the record as it is now).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.security import HttpBearer, django_auth

from gaoxin.accounts.api import router as accounts_router
from gaoxin.accounts.services import api_token_authenticate
from gaoxin.affairs.api import router as affairs_router
from gaoxin.cockpit.api import router as cockpit_router
from gaoxin.cockpit.api_map import router as map_router
from gaoxin.core import checks
from gaoxin.core.api import router as core_router
from gaoxin.core.api_audit import router as audit_router
from gaoxin.core.api_jobs import router as jobs_router
from gaoxin.core.api_summaries import ZH
from gaoxin.core.audit import snapshot
from gaoxin.core.locking import ConflictError
from gaoxin.core.permissions import AUTHENTICATED, permission_required
from gaoxin.core.wording import library_message
from gaoxin.delivery.api import router as delivery_router
from gaoxin.dispatch.api import router as dispatch_router
from gaoxin.enterprises.api import router as enterprises_router
from gaoxin.notifications.api import router as notifications_router
from gaoxin.platforms.api import router as platforms_router
from gaoxin.policies.api import router as policies_router
from gaoxin.projects.api import router as projects_router
from gaoxin.projects.api_exports import router as project_exports_router
from gaoxin.projects.api_files import router as project_files_router
from gaoxin.projects.api_ledger import router as ledger_router
from gaoxin.spaces.api import router as spaces_router
from gaoxin.talent.api import router as talent_router
from gaoxin.visits.api import router as visits_router


class TokenAuth(HttpBearer):
    openapi_description = "Personal API token: Authorization: Bearer gx_…"

    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


ERROR_SCHEMA = {
    "type": "object",
    "required": ["message", "errors"],
    "properties": {
        "message": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
        "current": {"type": "object", "description": "409 only: the record as it is now"},
    },
}
ERROR_RESPONSES = {
    "400": "The data breaks a rule (field errors in `errors`).",
    "401": "Not signed in and no valid token.",
    "403": "Signed in, but the role may not do this.",
    "404": "Not found, or not visible to this user.",
    "409": "Someone saved a newer version (stale `version`), or a repeated submission is "
    "still running.",
    "422": "The request does not match the schema.",
    "503": "The database is temporarily unavailable; retry later.",
}


class NulSafeParser(Parser):
    """Refuses NUL characters in JSON bodies: PostgreSQL cannot store them in text."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if _has_nul(data):
            raise DjangoValidationError(_("Text may not contain NUL (0x00) characters."))
        return data


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class FastJSONEncoder(NinjaJSONEncoder):
    """ninja's encoder, answering the two commonest types first: a list of 50 projects has 450
    amounts and dates, each of which went through six isinstance checks before reaching
    Django's encoder. The same text as NinjaJSONEncoder (str of a Decimal, ISO of a date)."""

    def default(self, o):
        kind = type(o)
        if kind is Decimal:
            return str(o)
        if kind is dt.date:
            return o.isoformat()
        return super().default(o)


class FastJSONRenderer(JSONRenderer):
    encoder_class = FastJSONEncoder


class GaoxinAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """``<app>_api_<view>`` whether an app's API is one module or a package of topic modules
        (gaoxin.dispatch.api.problems), so splitting api.py keeps the ids clients generate from."""
        module = operation.view_func.__module__
        package, _dot, _topic = module.rpartition(".")
        if package.endswith(".api"):
            module = package
        return f"{module}_{operation.view_func.__name__}".replace(".", "_")

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Every operation documents the shared error answers, so clients and the fuzz tests
        know every status code the API may give."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        error = {
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        }
        for methods in schema.get("paths", {}).values():
            for operation in methods.values():
                zh = ZH.get(operation.get("operationId", ""))
                summary = operation.get("summary", "")
                if zh and not any("\u4e00" <= ch <= "\u9fff" for ch in summary):
                    operation["summary"] = f"{summary} ({zh})"  # English, then the Chinese
                responses = operation.setdefault("responses", {})
                for code, text in ERROR_RESPONSES.items():
                    responses.setdefault(code, {"description": text, **error})
        return schema

    def _get_urls(self):
        patterns = super()._get_urls()
        for pattern in patterns:
            # Operation views are marked so the page middleware leaves them to ninja's auth
            # and api_permission; the root (a 404 naming the docs) still needs a sign-in.
            if getattr(pattern.callback, "__qualname__", "").startswith("PathView.get_view"):
                pattern.callback.api_operation = True
            elif pattern.name == "api-root":
                pattern.callback.permission_required = AUTHENTICATED
                # How core's system checks find this API without importing it.
                pattern.callback.ninja_api = self
        return patterns


api = GaoxinAPI(
    title="Gaoxin API",
    version="1",
    description="REST API of the Gaoxin zone platform. Dates are ISO 8601; amounts in 万元.",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
    docs_decorator=permission_required(AUTHENTICATED),
    parser=NulSafeParser(),
    renderer=FastJSONRenderer(),
)


def error_body(message: str, errors: dict | None = None, **extra) -> dict:
    return {"message": message, "errors": errors or {}, **extra}


def _field_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {f: [m for e in errs for m in e.messages] for f, errs in error.error_dict.items()}
    return {"__all__": error.messages}


@api.exception_handler(NinjaValidationError)
def on_schema_error(request, exc: NinjaValidationError):
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        loc = [str(p) for p in item.get("loc", []) if p not in ("body", "payload", "query", "path")]
        errors.setdefault(".".join(loc) or "__all__", []).append(item.get("msg", ""))
    return api.create_response(
        request, error_body(_("The request is not valid."), errors), status=422
    )


@api.exception_handler(DjangoValidationError)
def on_validation_error(request, exc: DjangoValidationError):
    errors = _field_errors(exc)
    message = errors.get("__all__", [_("The data is not valid.")])[0]
    return api.create_response(request, error_body(message, errors), status=400)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(
        request, error_body(_("Sign in or send a valid API token.")), status=401
    )


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    # A service may say why (``PermissionDenied(_("…"))``, already in the user's language).
    message = str(exc) if exc.args and str(exc) else _("You do not have permission to do this.")
    return api.create_response(request, error_body(message), status=403)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, error_body(_("Not found.")), status=404)


@api.exception_handler(ConflictError)
def on_conflict(request, exc: ConflictError):
    current = snapshot(exc.current)
    current["version"] = exc.current.version
    return api.create_response(request, error_body(str(exc.message), current=current), status=409)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    # django-ninja's own messages in the platform's Chinese (core.wording); ours are already.
    message = library_message(str(exc))
    return api.create_response(request, error_body(message), status=exc.status_code)


def _mount_routers() -> None:
    api.add_router("/accounts/", accounts_router)
    api.add_router("/calendar/", core_router)
    api.add_router("/enterprises/", enterprises_router)
    api.add_router("/projects/", ledger_router)  # the ledger's import (a job) and template
    api.add_router("/projects/", project_files_router)  # a project's documents
    api.add_router("/projects/", project_exports_router)  # the list's and statistics' workbooks
    api.add_router("/projects/", projects_router)
    api.add_router("/jobs/", jobs_router)
    api.add_router("/audit/", audit_router)  # the audit log's workbook (auditors)
    api.add_router("/", dispatch_router)  # /problems/ and /dispatch/
    api.add_router("/cockpit", cockpit_router)
    api.add_router("/cockpit/", map_router)  # the battle map: plots, the zone map, placing
    api.add_router("/affairs/", affairs_router)
    api.add_router("/spaces/", spaces_router)
    api.add_router("/platforms/", platforms_router)
    api.add_router("/talent/", talent_router)
    api.add_router("/delivery/", delivery_router)
    api.add_router("/policies/", policies_router)
    api.add_router("/visits/", visits_router)
    api.add_router("/notifications/", notifications_router)


_mount_routers()


def iter_operations(target: NinjaAPI = api):
    """(bound router, path, operation) for every API operation, for checks and tests."""
    return checks.iter_operations(target)
