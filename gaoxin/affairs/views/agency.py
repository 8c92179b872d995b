"""Pages of agency (代办委托): the authorisations (with the form to grant one) and a printable
authorisation with its revocation and everything the agent did under it."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import Role, User
from gaoxin.affairs import selectors, services
from gaoxin.affairs.forms import AuthorizationForm
from gaoxin.affairs.models import (
    Application,
    ApplicationStep,
    Appointment,
    Authorization,
    AuthorizationScope,
    BundleCase,
    ServiceItem,
)
from gaoxin.core.editing import report_refusal
from gaoxin.core.permissions import permission_required
from gaoxin.enterprises.models import Enterprise
from gaoxin.projects.models import Project

__all__ = ["authorization_detail", "authorization_list"]


def _authorizations(user):
    return Authorization.objects.restrict(user).select_related(
        "enterprise", "agent", "project", "granted_by"
    )


@permission_required("affairs.view_authorization")
def authorization_list(request):
    """The enterprise's authorisations (and the form to grant one), or the agent's."""
    user = request.user
    can_grant = user.has_perm("affairs.add_authorization")
    enterprises = (
        selectors.acting_for(user)
        if can_grant and user.role != "agent"
        else Enterprise.objects.none()
    )
    error = None
    if request.method == "POST":
        form = AuthorizationForm(request.POST, enterprises=enterprises)
        try:
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            data = form.cleaned_data
            authorization = services.authorization_grant(
                enterprise=data["enterprise"],
                agent=data["agent"],
                scope=data["scope"],
                items=data["items"],
                project=data["project"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                signatory=data["signatory"],
                by=user,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        except PermissionDenied:
            error = _("You may not authorise for this enterprise.")
        else:
            messages.success(
                request, _("Authorisation %(number)s granted.") % {"number": authorization.number}
            )
            return redirect("affairs:authorization", pk=authorization.pk)
    today = timezone.localdate()
    authorizations = _authorizations(user)
    # ?in_force=1: only those in force today (what the agent's home counts).
    in_force = request.GET.get("in_force") == "1"
    if in_force:
        authorizations = authorizations.active_on(today)
    return render(
        request,
        "affairs/authorization_list.html",
        {
            "authorizations": authorizations[:100],
            "in_force": in_force,
            "today": today,
            "can_grant": can_grant and user.role != "agent",
            "enterprises": enterprises,
            "agents": User.objects.filter(role=Role.AGENT, is_active=True).order_by("full_name"),
            "items": ServiceItem.objects.active().order_by("code"),
            "projects": Project.objects.filter(enterprise__in=enterprises).order_by("name")
            if user.role == "enterprise"
            else Project.objects.none(),
            "scopes": AuthorizationScope.choices,
            "error": error,
            "default_until": today + dt.timedelta(days=90),
        },
        status=400 if error else 200,
    )


@permission_required("affairs.view_authorization")
def authorization_detail(request, pk: int):
    """The printable authorisation (代办委托书), its revocation, and everything the agent did
    under it — the enterprise sees it all."""
    authorization = get_object_or_404(_authorizations(request.user), pk=pk)
    user = request.user
    if request.method == "POST":
        try:
            services.authorization_revoke(authorization=authorization, by=user)
        except (ValidationError, PermissionDenied) as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("Authorisation revoked."))
        return redirect("affairs:authorization", pk=pk)
    acts = (
        ApplicationStep.objects.filter(
            application__authorization=authorization, by=authorization.agent
        )
        .select_related("application")
        .order_by("at")
    )
    return render(
        request,
        "affairs/authorization_detail.html",
        {
            "auth": authorization,
            "items": authorization.items.all(),
            "acts": acts,
            "cases": Application.objects.filter(authorization=authorization),
            "appointments": Appointment.objects.filter(authorization=authorization).select_related(
                "slot__window", "item"
            ),
            "runs": BundleCase.objects.filter(authorization=authorization).select_related("bundle"),
            "in_force": authorization.active_on(timezone.localdate()),
            "can_revoke": authorization.revoked_at is None
            and user.has_perm("affairs.add_authorization", authorization.enterprise),
        },
    )
