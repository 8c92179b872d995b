"""Talents in the API: registering a talent, the commissioner's service log, and a talent's
subsidy with its instalments — the same forms, services and audit entries as the talent's
record page. A talent the user may not see is a 404, as on the page."""

import datetime as dt
from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from gaoxin.accounts.models import Role
from gaoxin.core.api_forms import clean_with
from gaoxin.core.api_types import Id, IsoDate
from gaoxin.core.permissions import api_permission
from gaoxin.talent import services
from gaoxin.talent.api.figures import TalentOut
from gaoxin.talent.forms import InstalmentPayForm, ServiceLogForm, SubsidyForm, TalentForm
from gaoxin.talent.models import Instalment, Talent, TalentApplication

__all__ = ["router"]

router = Router(tags=["talent"])

MONEY = "Amount in 万元 (10k CNY)"


class TalentIn(Schema):
    name: str = Field(..., max_length=50)
    id_number: str = Field(..., max_length=18, description="Resident ID number (18 characters)")
    phone: str = Field("", max_length=20)
    education: str = Field("", max_length=30)
    field: str = Field("", max_length=100)
    enterprise: Id | None = None
    arrived_on: IsoDate


class TalentServiceLogIn(Schema):
    on: IsoDate
    note: str = Field(..., max_length=5000)


class TalentServiceLogOut(Schema):
    id: int
    talent: int = Field(..., alias="talent_id")
    commissioner: int = Field(..., alias="commissioner_id")
    on: dt.date
    note: str


class InstalmentIn(Schema):
    due_on: IsoDate
    amount: Decimal = Field(..., description=MONEY, max_digits=10, decimal_places=2)


class SubsidyIn(Schema):
    total: Decimal = Field(..., description=MONEY, max_digits=10, decimal_places=2)
    instalments: list[InstalmentIn] = Field(..., max_length=60)


class InstalmentOut(Schema):
    id: int
    due_on: dt.date
    amount: Decimal = Field(..., description=MONEY)
    paid_on: dt.date | None


class BenefitOut(Schema):
    id: int
    application: int = Field(..., alias="application_id")
    kind: str
    total: Decimal | None = Field(None, description=MONEY)
    instalments: list[InstalmentOut]

    @staticmethod
    def resolve_instalments(obj):
        return list(obj.instalments.all())


class InstalmentPayIn(Schema):
    paid_on: IsoDate


def _talent(request, pk: int) -> Talent:
    talent = get_object_or_404(Talent, pk=pk)
    if not request.auth.has_perm("talent.view_talent", talent):
        raise Http404
    return talent


@router.get("/talents", response=list[TalentOut], summary="Talents (talent staff only)")
@api_permission("talent.change_talent")
def list_talents(request):
    return Talent.objects.restrict(request.auth)


@router.post("/talents", response={201: TalentOut}, summary="Register a talent (登记人才)")
@api_permission("talent.change_talent")
def talent_create(request, payload: TalentIn):
    user = request.auth
    data = {
        **clean_with(TalentForm, payload),
        "commissioner": user if user.role == Role.COMMISSIONER else None,
    }
    return Status(201, services.talent_create(by=user, data=data))


@router.post(
    "/talents/{int:pk}/log",
    response={201: TalentServiceLogOut},
    summary="Add to a talent's service log (记录服务日志)",
)
@api_permission("talent.change_talent")
def service_log_add(request, pk: int, payload: TalentServiceLogIn):
    talent = _talent(request, pk)
    data = clean_with(ServiceLogForm, payload)
    entry = services.service_log_add(
        talent=talent, by=request.auth, on=data["on"], note=data["note"]
    )
    return Status(201, entry)


@router.post(
    "/talents/{int:pk}/applications/{int:application_pk}/subsidy",
    response={201: BenefitOut},
    summary="Grant an awarded application its subsidy in instalments (发放补贴)",
)
@api_permission("talent.manage_programme")
def subsidy_grant(request, pk: int, application_pk: int, payload: SubsidyIn):
    talent = _talent(request, pk)
    application = get_object_or_404(
        TalentApplication.objects.filter(talent=talent), pk=application_pk
    )
    data = clean_with(
        SubsidyForm,
        {
            "total": payload.total,
            "due_on": [row.due_on for row in payload.instalments],
            "amount": [row.amount for row in payload.instalments],
        },
    )
    benefit = services.benefit_grant(
        application=application,
        by=request.auth,
        kind="subsidy",
        total=data["total"],
        instalments=data["instalments"],
    )
    return Status(201, benefit)


@router.post(
    "/talents/{int:pk}/instalments/{int:instalment_pk}/pay",
    response=InstalmentOut,
    summary="Record an instalment as paid (登记分期拨付)",
)
@api_permission("talent.manage_programme")
def instalment_pay(request, pk: int, instalment_pk: int, payload: InstalmentPayIn):
    talent = _talent(request, pk)
    instalment = get_object_or_404(
        Instalment.objects.filter(benefit__application__talent=talent), pk=instalment_pk
    )
    data = clean_with(InstalmentPayForm, payload)
    return services.instalment_pay(instalment=instalment, on=data["paid_on"], by=request.auth)
