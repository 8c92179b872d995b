"""The window's intake in the API: accept (受理), the supplement notice (一次性告知), refuse
(不予受理)."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from gaoxin.affairs import services
from gaoxin.affairs.api.filing import ApplicationOut, applications
from gaoxin.affairs.models import Material
from gaoxin.core.api_types import Id, IsoDate
from gaoxin.core.permissions import api_permission

__all__ = [
    "AcceptIn",
    "IntakeNoticeIn",
    "RefusalIn",
    "router",
]

router = Router(tags=["government services"])


class AcceptIn(Schema):
    missing: list[Id] = Field(default_factory=list, max_length=50)
    due_on: IsoDate | None = None
    signatory: str = Field("", max_length=50)


class IntakeNoticeIn(Schema):
    what: str = Field(..., max_length=4000)


class RefusalIn(Schema):
    reasons: str = Field(..., max_length=4000)


@router.post("/applications/{int:pk}/accept", response=ApplicationOut, summary="Accept (受理)")
@api_permission("affairs.accept_application")
def accept_application(request, pk: int, payload: AcceptIn):
    application = get_object_or_404(applications(request.auth), pk=pk)
    missing = list(Material.objects.filter(pk__in=payload.missing))
    if len(missing) != len(set(payload.missing)):
        raise ValidationError({"missing": [_("Not found.")]})
    services.application_accept(
        application=application,
        by=request.auth,
        missing=missing,
        due_on=payload.due_on,
        signatory=payload.signatory,
    )
    return applications(request.auth).get(pk=pk)


@router.post(
    "/applications/{int:pk}/intake-supplement",
    response=ApplicationOut,
    summary="The window's supplement notice before acceptance (一次性告知)",
)
@api_permission("affairs.accept_application")
def intake_supplement(request, pk: int, payload: IntakeNoticeIn):
    application = get_object_or_404(applications(request.auth), pk=pk)
    services.intake_supplement_request(application=application, by=request.auth, what=payload.what)
    return applications(request.auth).get(pk=pk)


@router.post(
    "/applications/{int:pk}/refuse", response=ApplicationOut, summary="Refuse to accept (不予受理)"
)
@api_permission("affairs.accept_application")
def refuse(request, pk: int, payload: RefusalIn):
    application = get_object_or_404(applications(request.auth), pk=pk)
    return services.application_refuse(
        application=application, by=request.auth, reasons=payload.reasons
    )
