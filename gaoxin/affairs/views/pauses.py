"""The clocks on the case page, one URL per action: supplements supplied, an exclusion
(hearing, testing …) started and finished, an extension approved."""

from __future__ import annotations

from django.views.decorators.http import require_POST

from gaoxin.affairs import services
from gaoxin.affairs.forms import ExclusionEndForm, ExclusionForm, ExtensionForm, SupplyForm
from gaoxin.affairs.views.case_page import act_on_case, case_or_404
from gaoxin.core.permissions import permission_required

__all__ = [
    "application_exclude",
    "application_exclusion_end",
    "application_extend",
    "application_supply",
]


@require_POST
@permission_required("affairs.view_application")
def application_supply(request, pk: int):
    """Supplements supplied: one request, or every open one."""
    application = case_or_404(request, pk)
    form = SupplyForm(request.POST, application=application)
    return act_on_case(
        request,
        application,
        form,
        lambda data: services.supplement_supply(
            application=application, by=request.user, note=data["note"], request=data["request"]
        ),
    )


@require_POST
@permission_required("affairs.view_application")
def application_exclude(request, pk: int):
    application = case_or_404(request, pk)
    form = ExclusionForm(request.POST)
    return act_on_case(
        request,
        application,
        form,
        lambda data: services.exclusion_start(
            application=application,
            by=request.user,
            kind=data["kind"],
            written_notice=data["written_notice"],
        ),
    )


@require_POST
@permission_required("affairs.view_application")
def application_exclusion_end(request, pk: int):
    application = case_or_404(request, pk)
    form = ExclusionEndForm(request.POST, application=application)
    return act_on_case(
        request,
        application,
        form,
        lambda data: services.exclusion_end(period=data["period"], by=request.user),
    )


@require_POST
@permission_required("affairs.view_application")
def application_extend(request, pk: int):
    application = case_or_404(request, pk)
    form = ExtensionForm(request.POST)
    return act_on_case(
        request,
        application,
        form,
        lambda data: services.extension_grant(
            application=application, by=request.user, days=data["days"], reason=data["reason"]
        ),
    )
