"""The one permission mechanism for pages and API.

Rules (django-rules predicates, declared in each app's ``rules.py``) answer "may this user do
this action, on this object?". Every page view declares the permission it needs:

    @permission_required("enterprises.view_enterprise")      # function views
    class EnterpriseList(PermissionRequiredMixin, ...):       # class-based views
        permission_required = "enterprises.view_enterprise"

and ``PermissionMiddleware`` enforces it before the view runs. A view that declares nothing is
refused (403) at run time and reported by ``manage.py check`` (``gaoxin.E001``), so a new page
cannot forget its rule. API operations declare theirs with ``api_permission`` (checked in
``gaoxin.api``; ``gaoxin.E002`` reports an operation without one). Object-level narrowing is
done by ``Model.objects.restrict(user, action)``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.core.exceptions import PermissionDenied

# Declared by views that any signed-in user may open (home page, own profile, API docs).
AUTHENTICATED = "authenticated"


def permission_required(perm: str) -> Callable:
    """Declare the permission a function view needs; the middleware enforces it."""

    def decorate(view: Callable) -> Callable:
        view.permission_required = perm
        return view

    return decorate


def public(view: Callable) -> Callable:
    """Declare a view open to anonymous users (login page, language switch)."""
    view.public = True
    return view


class PermissionRequiredMixin:
    """Class-based views name their permission; the middleware enforces it."""

    permission_required: str | None = None


def declared_permission(view_func: Callable) -> tuple[bool, str | None]:
    """(public, permission) declared by a view function or its class."""
    target = getattr(view_func, "view_class", view_func)
    is_public = bool(getattr(view_func, "public", False) or getattr(target, "public", False))
    perm = getattr(view_func, "permission_required", None) or getattr(
        target, "permission_required", None
    )
    return is_public, perm


def user_has(user, perm: str, obj=None) -> bool:
    if not user or not user.is_authenticated or not user.is_active:
        return False
    if perm == AUTHENTICATED:
        return True
    return user.has_perm(perm, obj)


def api_permission(perm: str) -> Callable:
    """Declare and check the permission an API operation needs (after ninja authenticated)."""

    def decorate(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(request, *args, **kwargs):
            if not user_has(request.auth, perm):
                raise PermissionDenied
            return func(request, *args, **kwargs)

        wrapper.permission_required = perm
        return wrapper

    return decorate
