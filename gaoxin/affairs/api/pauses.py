"""The clocks in the API: supplements supplied (the asking department's clock and the
promise resume)."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from gaoxin.affairs import services
from gaoxin.affairs.api.filing import ApplicationOut, applications
from gaoxin.core.api_types import Id
from gaoxin.core.permissions import api_permission

__all__ = [
    "SupplyIn",
    "router",
]

router = Router(tags=["government services"])


class SupplyIn(Schema):
    request: Id | None = Field(None, description="One supplement request; all open ones if none.")
    note: str = Field("", max_length=500)


@router.post(
    "/applications/{int:pk}/supply",
    response=ApplicationOut,
    summary="Supplements supplied: the asking department's clock and the promise resume",
)
@api_permission("affairs.supply_application")
def supply(request, pk: int, payload: SupplyIn):
    application = get_object_or_404(applications(request.auth), pk=pk)
    request_obj = None
    if payload.request is not None:
        request_obj = application.supplements.filter(pk=payload.request).first()
        if request_obj is None:
            raise ValidationError({"request": [_("Not found.")]})
    services.supplement_supply(
        application=application, by=request.auth, note=payload.note, request=request_obj
    )
    return applications(request.auth).get(pk=pk)
