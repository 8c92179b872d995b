"""Pre-review (预审) in the API: the pre-reviews one may see, asking for one, a consulted
department's opinion and the lead department's conclusion — the pages' forms and services
(affairs.services.prereview), the same refusals and audit entries."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from gaoxin.accounts.models import Department
from gaoxin.affairs import services
from gaoxin.affairs.forms import ConclusionForm, OpinionForm, PreReviewForm
from gaoxin.affairs.models import PreReview, ServiceItem
from gaoxin.core.api_forms import clean_with
from gaoxin.core.api_types import Id
from gaoxin.core.permissions import api_permission
from gaoxin.enterprises.models import Enterprise

__all__ = ["router"]

router = Router(tags=["government services"])


class PreReviewOpinionOut(Schema):
    id: int
    department: int = Field(..., alias="department_id")
    opinion: str
    by: int = Field(..., alias="by_id")
    at: dt.datetime


class PreReviewOut(Schema):
    id: int
    enterprise: int = Field(..., alias="enterprise_id")
    items: list[int]
    question: str
    lead_department: int = Field(..., alias="lead_department_id")
    departments: list[int] = Field(description="the consulted departments")
    opinions: list[PreReviewOpinionOut]
    conclusion: str
    concluded_at: dt.datetime | None

    @staticmethod
    def resolve_items(obj) -> list[int]:
        return [i.pk for i in obj.items.all()]

    @staticmethod
    def resolve_departments(obj) -> list[int]:
        return [d.pk for d in obj.departments.all()]

    @staticmethod
    def resolve_opinions(obj):
        return list(obj.opinions.all())


class PreReviewIn(Schema):
    enterprise: Id
    items: list[Id] = Field(..., min_length=1, max_length=20, description="the first leads")
    departments: list[Id] = Field([], max_length=30, description="departments to consult")
    question: str = Field(..., max_length=4000, description="the plan and the question")


class OpinionIn(Schema):
    opinion: str = Field(..., max_length=4000)


class ConclusionIn(Schema):
    conclusion: str = Field(..., max_length=4000)


def _pre_reviews(user):
    return PreReview.objects.restrict(user).prefetch_related("items", "departments", "opinions")


@router.get("/pre-reviews", response=list[PreReviewOut], summary="Pre-reviews (预审列表)")
@api_permission("affairs.view_prereview")
def list_pre_reviews(request):
    return _pre_reviews(request.auth)[:100]


@router.get("/pre-reviews/{int:pk}", response=PreReviewOut, summary="A pre-review (预审详情)")
@api_permission("affairs.view_prereview")
def get_pre_review(request, pk: int):
    return get_object_or_404(_pre_reviews(request.auth), pk=pk)


@router.post(
    "/pre-reviews",
    response={201: PreReviewOut},
    summary="Ask for a pre-review before filing (申请预审)",
)
@api_permission("affairs.view_prereview")
def pre_review_request(request, payload: PreReviewIn):
    user = request.auth
    enterprises = (
        Enterprise.objects.filter(pk=user.enterprise_id)
        if user.role == "enterprise"
        else Enterprise.objects.all()
    )
    data = clean_with(
        PreReviewForm,
        payload,
        enterprises=enterprises,
        items=ServiceItem.objects.active(),
        departments=Department.objects.filter(is_active=True),
    )
    try:
        pre_review = services.pre_review_request(
            enterprise=data["enterprise"],
            items=data["items"],
            departments=data["departments"],
            question=data["question"],
            by=user,
        )
    except PermissionDenied as refusal:
        raise PermissionDenied(_("You may not ask for this enterprise.")) from refusal
    return Status(201, pre_review)


@router.post(
    "/pre-reviews/{int:pk}/opinions",
    response={201: PreReviewOpinionOut},
    summary="A consulted department's opinion (部门预审意见)",
)
@api_permission("affairs.view_prereview")
def pre_review_opinion(request, pk: int, payload: OpinionIn):
    pre_review = get_object_or_404(PreReview.objects.restrict(request.auth), pk=pk)
    data = clean_with(OpinionForm, payload)
    entry = services.pre_review_opinion(
        pre_review=pre_review, by=request.auth, opinion=data["opinion"]
    )
    return Status(201, entry)


@router.post(
    "/pre-reviews/{int:pk}/conclude",
    response=PreReviewOut,
    summary="The lead department's conclusion (预审结论)",
)
@api_permission("affairs.view_prereview")
def pre_review_conclude(request, pk: int, payload: ConclusionIn):
    pre_review = get_object_or_404(PreReview.objects.restrict(request.auth), pk=pk)
    data = clean_with(ConclusionForm, payload)
    services.pre_review_conclude(
        pre_review=pre_review, by=request.auth, conclusion=data["conclusion"]
    )
    return get_object_or_404(_pre_reviews(request.auth), pk=pk)
