"""The window's intake on the case page, one URL per action: accept (受理, conditionally with
a signed commitment), refuse (不予受理), the one supplement notice (一次性告知)."""

from __future__ import annotations

from django.views.decorators.http import require_POST

from gaoxin.affairs import services
from gaoxin.affairs.forms import AcceptForm, IntakeSupplementForm, RefuseForm
from gaoxin.affairs.views.case_page import act_on_case, case_or_404
from gaoxin.core.permissions import permission_required

__all__ = ["application_accept", "application_intake_supplement", "application_refuse"]


@require_POST
@permission_required("affairs.view_application")
def application_accept(request, pk: int):
    application = case_or_404(request, pk)
    form = AcceptForm(request.POST, application=application)
    return act_on_case(
        request,
        application,
        form,
        lambda data: services.application_accept(
            application=application,
            by=request.user,
            missing=list(data["missing"]),
            due_on=data["due_on"],
            signatory=data["signatory"],
        ),
    )


@require_POST
@permission_required("affairs.view_application")
def application_refuse(request, pk: int):
    application = case_or_404(request, pk)
    form = RefuseForm(request.POST)
    return act_on_case(
        request,
        application,
        form,
        lambda data: services.application_refuse(
            application=application, by=request.user, reasons=data["reasons"]
        ),
    )


@require_POST
@permission_required("affairs.view_application")
def application_intake_supplement(request, pk: int):
    application = case_or_404(request, pk)
    form = IntakeSupplementForm(request.POST)
    return act_on_case(
        request,
        application,
        form,
        lambda data: services.intake_supplement_request(
            application=application, by=request.user, what=data["what"]
        ),
    )
