"""The programme's batches in the API: opening a call with its panel, entering applications,
closing the call, the panel's scores and the awards — the batch page's forms and services.
Panel experts see only their batches (others are a 404), as on the page."""

from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from gaoxin.core.api_forms import clean_with
from gaoxin.core.api_types import Id, IsoDate
from gaoxin.core.permissions import api_permission
from gaoxin.talent import services
from gaoxin.talent.api.figures import BatchOut
from gaoxin.talent.forms import ApplicationForm, BatchForm, ScoreForm
from gaoxin.talent.models import Batch, TalentKind

__all__ = ["router"]

router = Router(tags=["talent"])


class BatchIn(Schema):
    name: str = Field(..., max_length=100)
    closes_on: IsoDate
    pass_score: int | None = Field(None, ge=1, le=100, description="75 if left out")
    panel: list[Id] = Field(..., max_length=50, description="The experts (at least three)")


class TalentApplicationIn(Schema):
    kind: TalentKind
    talent: Id | None = Field(None, description="For an innovative talent")
    team: Id | None = Field(None, description="For a team")
    summary: str = Field(..., max_length=5000)


class TalentApplicationOut(Schema):
    id: int
    batch: int = Field(..., alias="batch_id")
    kind: str
    talent: int | None = Field(None, alias="talent_id")
    team: int | None = Field(None, alias="team_id")
    state: str
    mean_score: Decimal | None = Field(None, description="Mean panel score (points of 100)")


class ScoreIn(Schema):
    score: int = Field(..., ge=0, le=100)
    opinion: str = Field("", max_length=5000)


class PanelScoreOut(Schema):
    id: int
    application: int = Field(..., alias="application_id")
    reviewer: int = Field(..., alias="reviewer_id")
    score: int
    opinion: str


def _batches(user):
    batches = Batch.objects.all()
    if not user.has_perm("talent.manage_programme"):
        batches = batches.filter(panel=user)
    return batches


@router.get("/batches", response=list[BatchOut], summary="Programme batches")
@api_permission("talent.manage_programme")
def list_batches(request):
    return Batch.objects.all()


@router.post("/batches", response={201: BatchOut}, summary="Open a call: a batch (发布申报批次)")
@api_permission("talent.manage_programme")
def batch_create(request, payload: BatchIn):
    return Status(201, services.batch_create(by=request.auth, **clean_with(BatchForm, payload)))


@router.post(
    "/batches/{int:pk}/applications",
    response={201: TalentApplicationOut},
    summary="Enter an application to a batch's call (录入申报)",
)
@api_permission("talent.manage_programme")
def application_submit(request, pk: int, payload: TalentApplicationIn):
    batch = get_object_or_404(_batches(request.auth), pk=pk)
    application = services.application_submit(
        batch=batch, by=request.auth, **clean_with(ApplicationForm, payload)
    )
    return Status(201, application)


@router.post(
    "/batches/{int:pk}/close-call", response=BatchOut, summary="Close a batch's call (截止申报)"
)
@api_permission("talent.manage_programme")
def batch_close_call(request, pk: int):
    batch = get_object_or_404(_batches(request.auth), pk=pk)
    return services.batch_close_call(batch=batch, by=request.auth)


@router.post(
    "/batches/{int:pk}/award",
    response=BatchOut,
    summary="Award a batch from the panel's mean scores (评审认定)",
)
@api_permission("talent.manage_programme")
def batch_award(request, pk: int):
    batch = get_object_or_404(_batches(request.auth), pk=pk)
    return services.batch_award(batch=batch, by=request.auth)


@router.post(
    "/batches/{int:pk}/applications/{int:application_pk}/scores",
    response={201: PanelScoreOut},
    summary="A panel expert scores an application (专家评分)",
)
@api_permission("talent.view_batch")
def score_give(request, pk: int, application_pk: int, payload: ScoreIn):
    batch = get_object_or_404(_batches(request.auth), pk=pk)
    application = get_object_or_404(batch.applications, pk=application_pk)
    data = clean_with(ScoreForm, payload)
    score = services.score_give(
        application=application, by=request.auth, score=data["score"], opinion=data["opinion"]
    )
    return Status(201, score)
