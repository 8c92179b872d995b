"""System checks that make a forgotten permission stop start-up (``manage.py check``)."""

import rules
from django.core import checks
from django.urls import URLPattern, URLResolver, get_resolver

from gaoxin.core.middleware import DELEGATED_NAMESPACES
from gaoxin.core.permissions import AUTHENTICATED, declared_permission


def iter_url_patterns(resolver=None, prefix="", namespace=""):
    """(route, namespace, pattern) for every URL pattern of the project."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from iter_url_patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace, entry


def mounted_apis() -> list:
    """The NinjaAPIs the URLconf mounts: gaoxin.api.GaoxinAPI marks its root view with itself,
    so core finds the API through the URLs, as it finds the views, without importing it."""
    found = []
    for _route, _namespace, pattern in iter_url_patterns():
        api = getattr(pattern.callback, "ninja_api", None)
        if api is not None and api not in found:
            found.append(api)
    return found


def iter_operations(api):
    """(bound router, path, operation) for every operation of a NinjaAPI."""
    for bound in api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            for operation in path_view.operations:
                yield bound, path, operation


@checks.register(checks.Tags.security)
def check_views_declare_permissions(app_configs=None, **kwargs):
    errors = []
    for route, namespace, pattern in iter_url_patterns():
        if namespace in DELEGATED_NAMESPACES:
            continue
        callback = pattern.callback
        if getattr(callback, "api_operation", False):
            continue
        is_public, perm = declared_permission(callback)
        if not is_public and not perm:
            errors.append(
                checks.Error(
                    f"The view for /{route} declares no permission.",
                    hint="Decorate it with gaoxin.core.permissions.permission_required(...) "
                    "or public, or give its class a permission_required attribute.",
                    id="gaoxin.E001",
                )
            )
    return errors


def _known(perm: str) -> bool:
    return perm == AUTHENTICATED or rules.perm_exists(perm)


@checks.register(checks.Tags.security)
def check_declared_permissions_exist(app_configs=None, **kwargs):
    """A misspelt permission would refuse everybody, silently; name it at start-up instead."""
    declared = []
    for route, _namespace, pattern in iter_url_patterns():
        _public, perm = declared_permission(pattern.callback)
        if perm:
            declared.append((f"/{route}", perm))
    operations = (op for api in mounted_apis() for op in iter_operations(api))
    for _bound, path, operation in operations:
        perm = getattr(operation.view_func, "permission_required", None)
        if perm:
            declared.append((f"API {path}", perm))
    return [
        checks.Error(
            f"{where} declares the unknown permission {perm!r}.",
            hint="Add it to the app's rules.py or fix the name.",
            id="gaoxin.E004",
        )
        for where, perm in declared
        if not _known(perm)
    ]


@checks.register(checks.Tags.security)
def check_api_operations_declare_permissions(app_configs=None, **kwargs):
    return [error for api in mounted_apis() for error in operation_errors(api)]


def operation_errors(api) -> list[checks.Error]:
    errors = []
    for _bound, path, operation in iter_operations(api):
        if not getattr(operation.view_func, "permission_required", None):
            errors.append(
                checks.Error(
                    f"API operation {operation.methods} {path} declares no permission.",
                    hint="Decorate it with gaoxin.core.permissions.api_permission(...).",
                    id="gaoxin.E002",
                )
            )
        if not operation.auth_callbacks:
            errors.append(
                checks.Error(
                    f"API operation {operation.methods} {path} has authentication switched off.",
                    id="gaoxin.E003",
                )
            )
    return errors
