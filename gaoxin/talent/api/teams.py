"""Teams in the API: registering a startup or innovation team with its leader and members,
through the overview page's form and the same service."""

from ninja import Field, Router, Schema, Status

from gaoxin.core.api_forms import clean_with
from gaoxin.core.api_types import Id, IsoDate
from gaoxin.core.permissions import api_permission
from gaoxin.talent import services
from gaoxin.talent.api.figures import TeamOut
from gaoxin.talent.forms import TeamForm
from gaoxin.talent.models import Team

__all__ = ["router"]

router = Router(tags=["talent"])


class TeamIn(Schema):
    name: str = Field(..., max_length=100)
    kind: str = Field(..., description="startup_team or innovation_team", max_length=20)
    enterprise: Id
    leader: Id
    members: list[Id] = Field([], max_length=200)
    arrived_on: IsoDate


@router.get("/teams", response=list[TeamOut], summary="Teams and the enterprises they join")
@api_permission("talent.view_figures")
def list_teams(request):
    return Team.objects.all()


@router.post("/teams", response={201: TeamOut}, summary="Register a team (登记团队)")
@api_permission("talent.manage_programme")
def team_create(request, payload: TeamIn):
    data = dict(clean_with(TeamForm, payload))
    members = data.pop("members")
    return Status(201, services.team_create(by=request.auth, data=data, members=members))
