"""Agency (代办委托) in the API: authorisations, granting one, revoking it."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from gaoxin.accounts.models import User
from gaoxin.affairs import services
from gaoxin.affairs.models import Authorization, ServiceItem
from gaoxin.core.api_types import Id, IsoDate
from gaoxin.core.permissions import api_permission
from gaoxin.enterprises.models import Enterprise
from gaoxin.projects.models import Project

__all__ = [
    "AuthorizationIn",
    "AuthorizationOut",
    "router",
]

router = Router(tags=["government services"])


class AuthorizationOut(Schema):
    id: int
    number: str
    enterprise: int = Field(..., alias="enterprise_id")
    agent: int = Field(..., alias="agent_id")
    scope: str
    items: list[int]
    project: int | None = Field(None, alias="project_id")
    valid_from: dt.date
    valid_until: dt.date
    signatory: str
    revoked_at: dt.datetime | None

    @staticmethod
    def resolve_items(obj) -> list[int]:
        return [i.pk for i in obj.items.all()]


class AuthorizationIn(Schema):
    enterprise: Id
    agent: Id
    scope: str = Field(..., pattern="^(items|project)$")
    items: list[Id] = Field(default_factory=list, max_length=300)
    project: Id | None = None
    valid_from: IsoDate
    valid_until: IsoDate
    signatory: str = Field(..., max_length=50)


def _authorizations(user):
    return Authorization.objects.restrict(user).prefetch_related("items")


@router.get(
    "/authorizations", response=list[AuthorizationOut], summary="Agency authorisations (代办委托)"
)
@api_permission("affairs.view_authorization")
def list_authorizations(request):
    return _authorizations(request.auth)


@router.post("/authorizations", response={201: AuthorizationOut}, summary="Authorise an agent")
@api_permission("affairs.add_authorization")
def grant(request, payload: AuthorizationIn):
    enterprise = get_object_or_404(Enterprise, pk=payload.enterprise)
    items = list(ServiceItem.objects.active().filter(pk__in=payload.items))
    if len(items) != len(set(payload.items)):
        raise ValidationError({"items": [_("Not found.")]})
    authorization = services.authorization_grant(
        enterprise=enterprise,
        agent=User.objects.filter(pk=payload.agent).first(),
        scope=payload.scope,
        items=items,
        project=Project.objects.filter(pk=payload.project).first() if payload.project else None,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
        signatory=payload.signatory,
        by=request.auth,
    )
    return Status(201, authorization)


@router.post("/authorizations/{int:pk}/revoke", response=AuthorizationOut, summary="Revoke")
@api_permission("affairs.view_authorization")
def revoke(request, pk: int):
    authorization = get_object_or_404(_authorizations(request.auth), pk=pk)
    return services.authorization_revoke(authorization=authorization, by=request.auth)
