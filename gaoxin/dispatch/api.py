"""Problem list API: the same workflow as the pages."""

import datetime as dt
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from gaoxin.core.api_types import IsoDate, Pagination
from gaoxin.core.permissions import api_permission
from gaoxin.dispatch import services, visibility
from gaoxin.dispatch.filters import ProblemFilter
from gaoxin.dispatch.models import Problem, ProblemKind, ProblemState
from gaoxin.projects.selectors import project_get

router = Router(tags=["problems"])


class ProblemOut(Schema):
    id: int
    project: int = Field(..., alias="project_id")
    kind: ProblemKind
    title: str
    description: str
    raised_by: int = Field(..., alias="raised_by_id")
    department: int | None = Field(None, alias="department_id")
    limit_days: int | None
    deadline: dt.date | None
    deadline_certain: bool
    state: ProblemState
    resolution: str
    light: str
    version: int
    created_at: dt.datetime

    @staticmethod
    def resolve_light(obj: Problem) -> str:
        return services.signal(obj)


class ProblemIn(Schema):
    project: int
    kind: ProblemKind
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field(..., min_length=1)
    department: int | None = None


class MoveIn(Schema):
    to_state: ProblemState
    note: str = ""
    department: int | None = None
    limit_days: int | None = Field(None, ge=1, le=120)


class ProblemFilters(FilterSchema):
    q: str | None = None
    state: ProblemState | None = None
    kind: ProblemKind | None = None
    department: int | None = None
    overdue: bool | None = None


def _problems(user, action="view"):
    return Problem.objects.restrict(user, action).select_related("project", "department")


def _department(pk):
    from django.core.exceptions import ValidationError

    from gaoxin.accounts.models import Department

    if pk is None:
        return None
    department = Department.objects.filter(pk=pk, is_active=True).first()
    if department is None:
        raise ValidationError({"department": ["Not found."]})
    return department


@router.get("/", response=list[ProblemOut], summary="List problems")
@api_permission("dispatch.view_problem")
@paginate(Pagination, page_size=50)
def list_problems(request, filters: Query[ProblemFilters]):
    params = {k: v for k, v in filters.dict().items() if v is not None}
    return ProblemFilter(params, queryset=_problems(request.auth)).qs


@router.get("/{int:pk}", response=ProblemOut, summary="Get a problem")
@api_permission("dispatch.view_problem")
def get_problem(request, pk: int):
    return get_object_or_404(_problems(request.auth), pk=pk)


@router.post("/", response={201: ProblemOut}, summary="Raise a problem on a project")
@api_permission("dispatch.add_problem")
def raise_problem(request, payload: ProblemIn):
    data = payload.dict()
    project = project_get(user=request.auth, pk=data.pop("project"))
    data["department"] = _department(data["department"])
    return Status(201, services.problem_raise(project=project, by=request.auth, **data))


@router.post(
    "/{int:pk}/move",
    response=ProblemOut,
    summary="Move a problem to its next state",
    description="accepted (by the assigned department, with limit_days), in_progress, "
    "resolved (with note), confirmed, reopened (with note). Moving a problem to another "
    "department is /reassign (the coordinating office).",
)
@api_permission("dispatch.view_problem")
def move_problem(request, pk: int, payload: MoveIn):
    problem = get_object_or_404(_problems(request.auth), pk=pk)
    data = payload.dict()
    data["department"] = _department(data["department"])
    return services.problem_move(problem=problem, by=request.auth, **data)


class HandBackIn(Schema):
    reason: str = Field(..., min_length=1)


class ReassignIn(Schema):
    department: int
    reason: str = Field(..., min_length=1)


@router.post(
    "/{int:pk}/hand-back",
    response=ProblemOut,
    summary="Hand a problem back to the coordinating office (its assigned department only)",
)
@api_permission("dispatch.view_problem")
def hand_back_problem(request, pk: int, payload: HandBackIn):
    problem = get_object_or_404(_problems(request.auth), pk=pk)
    return services.problem_hand_back(problem=problem, by=request.auth, reason=payload.reason)


@router.post(
    "/{int:pk}/reassign",
    response=ProblemOut,
    summary="Move a problem to another department (the coordinating office only)",
)
@api_permission("dispatch.view_problem")
def reassign_problem(request, pk: int, payload: ReassignIn):
    problem = get_object_or_404(_problems(request.auth), pk=pk)
    return services.problem_reassign(
        problem=problem,
        by=request.auth,
        department=_department(payload.department),
        reason=payload.reason,
    )


class SupervisionOut(Schema):
    id: int
    problem: int = Field(..., alias="problem_id")
    number: str
    issued_by: int = Field(..., alias="issued_by_id")
    demand: str
    limit_days: int
    deadline: dt.date
    reply: str
    replied_at: dt.datetime | None
    light: str
    created_at: dt.datetime

    @staticmethod
    def resolve_light(obj) -> str:
        return services.supervision_signal(obj)


class SupervisionIn(Schema):
    demand: str = Field(..., min_length=1)
    limit_days: int = Field(..., ge=1, le=120)


class ReplyIn(Schema):
    reply: str = Field(..., min_length=1)


def _supervisions(user):
    from gaoxin.dispatch.models import Supervision

    return Supervision.objects.restrict(user, "view")


@router.get("/supervisions", response=list[SupervisionOut], summary="List supervision notices")
@api_permission("dispatch.view_supervision")
@paginate(Pagination, page_size=50)
def list_supervisions(request):
    return _supervisions(request.auth)


@router.post(
    "/{int:pk}/supervisions",
    response={201: SupervisionOut},
    summary="Issue a supervision notice (督办单) on a problem",
)
@api_permission("dispatch.add_supervision")
def issue_supervision(request, pk: int, payload: SupervisionIn):
    problem = get_object_or_404(_problems(request.auth), pk=pk)
    return Status(
        201, services.supervision_issue(problem=problem, by=request.auth, **payload.dict())
    )


@router.post(
    "/supervisions/{int:pk}/reply", response=SupervisionOut, summary="Answer a supervision notice"
)
@api_permission("dispatch.view_supervision")
def reply_supervision(request, pk: int, payload: ReplyIn):
    notice = get_object_or_404(_supervisions(request.auth), pk=pk)
    return services.supervision_reply(notice=notice, by=request.auth, reply=payload.reply)


# --- key-project dispatch: /api/v1/dispatch/ -------------------------------------------------

dispatch_router = Router(tags=["dispatch"])


def _found(queryset, pk, field):
    """A referenced record the caller may see, or a 400 naming the field."""
    from django.core.exceptions import ValidationError

    found = queryset.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise ValidationError({field: ["Not found."]})
    return found


def _key_projects(user, action="view"):
    from gaoxin.dispatch.models import KeyProject

    return KeyProject.objects.restrict(user, action).select_related(
        "project", "sponsor", "lead_department"
    )


class TaskForceOut(Schema):
    id: int
    user: int = Field(..., alias="user_id")
    name: str = Field(..., alias="user.full_name")
    role: str
    duty: str


class MilestoneOut(Schema):
    id: int
    order: int
    name: str
    duration_days: int
    depends_on: list[int]
    marks_start: bool
    planned_start: dt.date
    planned_end: dt.date
    planned_certain: bool
    actual_start: dt.date | None
    actual_end: dt.date | None
    note: str
    version: int

    @staticmethod
    def resolve_depends_on(obj) -> list[int]:
        return [d.pk for d in obj.depends_on.all()]


class KeyProjectOut(Schema):
    id: int
    year: int
    project: int = Field(..., alias="project_id")
    project_name: str = Field(..., alias="project.name")
    sponsor: int = Field(..., alias="sponsor_id")
    lead_department: int = Field(..., alias="lead_department_id")
    plan_start: dt.date | None
    note: str
    version: int


class KeyProjectLightOut(KeyProjectOut):
    light: str
    reasons: list[str]
    planned_pct: int | None
    actual_pct: int | None


class KeyProjectDetailOut(KeyProjectLightOut):
    task_force: list[TaskForceOut]
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_task_force(obj):
        return list(obj.task_force.select_related("user"))

    @staticmethod
    def resolve_milestones(obj, context):
        return visibility.milestones(context["request"].auth, obj)


def _with_light(row, user):
    kp = visibility.redact_key_project(user, row.key_project)
    kp.light, kp.reasons = row.light, row.reasons
    kp.planned_pct = row.lag.planned_pct if row.lag else None
    kp.actual_pct = row.lag.actual_pct if row.lag else None
    return kp


class KeyProjectIn(Schema):
    year: int = Field(..., ge=2000, le=2999)
    project: int
    sponsor: int
    lead_department: int


@dispatch_router.get(
    "/key-projects", response=list[KeyProjectLightOut], summary="The year's key projects"
)
@api_permission("dispatch.view_keyproject")
def list_key_projects(
    request,
    year: int = Query(..., ge=2000, le=2999),
    sponsor: int | None = None,
    department: int | None = None,
):
    queryset = _key_projects(request.auth).filter(year=year)
    if sponsor is not None:
        queryset = queryset.filter(sponsor_id=sponsor)
    if department is not None:
        queryset = queryset.filter(lead_department_id=department)
    return [
        _with_light(r, request.auth) for r in visibility.key_project_lights(request.auth, queryset)
    ]


@dispatch_router.get(
    "/key-projects/{int:pk}", response=KeyProjectDetailOut, summary="A key project's 五个一"
)
@api_permission("dispatch.view_keyproject")
def get_key_project(request, pk: int):
    get_object_or_404(_key_projects(request.auth), pk=pk)
    row = visibility.key_project_lights(request.auth, _key_projects(request.auth).filter(pk=pk))[0]
    return _with_light(row, request.auth)


@dispatch_router.post(
    "/key-projects", response={201: KeyProjectOut}, summary="Put a project on a year's list"
)
@api_permission("dispatch.add_keyproject")
def add_key_project(request, payload: KeyProjectIn):
    from gaoxin.accounts.models import Department, User
    from gaoxin.projects.selectors import project_base

    return Status(
        201,
        services.key_project_add(
            year=payload.year,
            project=_found(project_base(request.auth), payload.project, "project"),
            sponsor=_found(User.objects.all(), payload.sponsor, "sponsor"),
            lead_department=_found(
                Department.objects.filter(is_active=True),
                payload.lead_department,
                "lead_department",
            ),
            by=request.auth,
        ),
    )


class TaskForceIn(Schema):
    user: int
    role: str = Field(..., pattern="^(lead|deputy|member|liaison)$")
    duty: str = Field("", max_length=200)


@dispatch_router.post(
    "/key-projects/{int:pk}/task-force",
    response={201: TaskForceOut},
    summary="Add a member to the task force",
)
@api_permission("dispatch.view_keyproject")
def add_task_force_member(request, pk: int, payload: TaskForceIn):
    from gaoxin.accounts.models import User

    key_project = get_object_or_404(_key_projects(request.auth), pk=pk)
    member = services.task_force_add(
        key_project=key_project,
        user=_found(User.objects.all(), payload.user, "user"),
        role=payload.role,
        duty=payload.duty,
        by=request.auth,
    )
    return Status(201, member)


class PlanIn(Schema):
    template: int
    start: IsoDate


class PlanTemplateOut(Schema):
    id: int
    name: str
    description: str


@dispatch_router.get(
    "/plan-templates", response=list[PlanTemplateOut], summary="Templates of the node flow"
)
@api_permission("dispatch.view_keyproject")
def list_plan_templates(request):
    from gaoxin.dispatch.models import PlanTemplate

    return PlanTemplate.objects.all()


@dispatch_router.post(
    "/key-projects/{int:pk}/plan",
    response=list[MilestoneOut],
    summary="Lay out the implementation plan from a template",
)
@api_permission("dispatch.view_keyproject")
def lay_out_plan(request, pk: int, payload: PlanIn):
    from gaoxin.dispatch.models import PlanTemplate

    key_project = get_object_or_404(_key_projects(request.auth), pk=pk)
    services.plan_from_template(
        key_project=key_project,
        template=_found(PlanTemplate.objects.all(), payload.template, "template"),
        start=payload.start,
        by=request.auth,
    )
    return key_project.milestones.prefetch_related("depends_on")


class MilestoneIn(Schema):
    actual_start: IsoDate | None = None
    actual_end: IsoDate | None = None
    note: str = Field("", max_length=300)
    version: int = Field(..., ge=0)


@dispatch_router.post(
    "/milestones/{int:pk}", response=MilestoneOut, summary="Record a milestone's actual dates"
)
@api_permission("dispatch.view_keyproject")
def record_milestone(request, pk: int, payload: MilestoneIn):
    from gaoxin.dispatch.models import Milestone

    milestone = get_object_or_404(
        Milestone.objects.filter(key_project__in=_key_projects(request.auth)), pk=pk
    )
    data = payload.dict()
    return services.milestone_record(
        milestone=milestone, by=request.auth, expected_version=data.pop("version"), **data
    )


class MatterPartOut(Schema):
    id: int
    department: int = Field(..., alias="department_id")
    task: str
    done_on: dt.date | None


class MatterOut(Schema):
    id: int
    key_project: int = Field(..., alias="key_project_id")
    title: str
    mode: str
    description: str
    deadline: dt.date
    state: str
    done_on: dt.date | None
    parts: list[MatterPartOut]
    light: str

    @staticmethod
    def resolve_parts(obj):
        return list(obj.parts.all())

    @staticmethod
    def resolve_light(obj) -> str:
        from django.utils import timezone

        from gaoxin.dispatch import selectors

        return selectors.matter_light(obj, timezone.localdate())


class MatterIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    mode: str = Field(..., pattern="^(escort|supervise|joint)$")
    deadline: IsoDate
    departments: list[int] = Field(..., min_length=1, max_length=20)
    description: str = ""


def _matters(user):
    from gaoxin.dispatch.models import ServiceMatter

    return ServiceMatter.objects.restrict(user, "view").prefetch_related("parts")


@dispatch_router.get("/matters", response=list[MatterOut], summary="Service matters (1+N)")
@api_permission("dispatch.view_servicematter")
@paginate(Pagination, page_size=50)
def list_matters(request, key_project: int | None = None, state: str | None = None):
    queryset = _matters(request.auth)
    if key_project is not None:
        queryset = queryset.filter(key_project_id=key_project)
    if state in ("open", "done"):
        queryset = queryset.filter(state=state)
    return queryset


@dispatch_router.post(
    "/key-projects/{int:pk}/matters",
    response={201: MatterOut},
    summary="Open a service matter for a key project",
)
@api_permission("dispatch.view_keyproject")
def add_matter(request, pk: int, payload: MatterIn):
    from gaoxin.accounts.models import Department

    key_project = get_object_or_404(_key_projects(request.auth), pk=pk)
    active = Department.objects.filter(is_active=True)
    data = payload.dict()
    parts = [(_found(active, d, "departments"), "") for d in data.pop("departments")]
    return Status(
        201, services.matter_add(key_project=key_project, by=request.auth, parts=parts, **data)
    )


class MatterActionIn(Schema):
    note: str = Field(..., min_length=1)
    part: int | None = None
    part_done: bool = False


@dispatch_router.post(
    "/matters/{int:pk}/actions",
    response=MatterOut,
    summary="Log an action on a matter (and mark a department's part done)",
)
@api_permission("dispatch.view_servicematter")
def act_on_matter(request, pk: int, payload: MatterActionIn):
    matter = get_object_or_404(_matters(request.auth), pk=pk)
    part = _found(matter.parts.all(), payload.part, "part") if payload.part is not None else None
    return services.matter_act(
        matter=matter, by=request.auth, note=payload.note, part=part, part_done=payload.part_done
    )


class PeriodOut(Schema):
    id: int
    kind: str
    start: dt.date
    end: dt.date
    due: dt.date


class PeriodIn(Schema):
    kind: str = Field(..., pattern="^(week|month)$")
    start: IsoDate
    due: IsoDate | None = None


class ReportOut(Schema):
    id: int
    period: int = Field(..., alias="period_id")
    key_project: int = Field(..., alias="key_project_id")
    done: str
    next: str
    problems: str
    filed_on: dt.date
    on_time: bool


class ReportingStatusOut(Schema):
    period: PeriodOut
    reports: list[ReportOut]
    missing: list[int]


class ReportIn(Schema):
    key_project: int
    done: str = Field(..., min_length=1)
    next: str = Field(..., min_length=1)
    problems: str = ""


def _periods(user):
    from gaoxin.dispatch.models import DispatchPeriod

    return DispatchPeriod.objects.restrict(user)


@dispatch_router.get("/periods", response=list[PeriodOut], summary="Dispatch periods")
@api_permission("dispatch.view_dispatchperiod")
@paginate(Pagination, page_size=50)
def list_periods(request):
    return _periods(request.auth)


@dispatch_router.post("/periods", response={201: PeriodOut}, summary="Open a dispatch period")
@api_permission("dispatch.add_dispatchperiod")
def open_period(request, payload: PeriodIn):
    return Status(201, services.period_open(by=request.auth, **payload.dict()))


@dispatch_router.get(
    "/periods/{int:pk}",
    response=ReportingStatusOut,
    summary="A period's reports and the key projects that have not reported",
)
@api_permission("dispatch.view_dispatchperiod")
def period_status(request, pk: int):
    from gaoxin.dispatch import selectors

    period = get_object_or_404(_periods(request.auth), pk=pk)
    reports, missing = selectors.reporting_status(period)
    return {"period": period, "reports": reports, "missing": [kp.pk for kp in missing]}


@dispatch_router.post(
    "/periods/{int:pk}/reports", response={201: ReportOut}, summary="File a progress report"
)
@api_permission("dispatch.view_dispatchperiod")
def file_report(request, pk: int, payload: ReportIn):
    period = get_object_or_404(_periods(request.auth), pk=pk)
    data = payload.dict()
    key_project = _found(_key_projects(request.auth), data.pop("key_project"), "key_project")
    return Status(
        201, services.report_file(period=period, key_project=key_project, by=request.auth, **data)
    )


class MeetingOut(Schema):
    id: int
    title: str
    held_on: dt.date
    chaired_by: int = Field(..., alias="chaired_by_id")
    minutes: str


class MeetingIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    held_on: IsoDate
    chaired_by: int
    attendees: list[int] = Field(..., min_length=1, max_length=200)
    minutes: str = ""


class TaskOut(Schema):
    id: int
    meeting: int = Field(..., alias="meeting_id")
    key_project: int | None = Field(None, alias="key_project_id")
    decision: str
    owner: int = Field(..., alias="owner_id")
    department: int | None = Field(None, alias="department_id")
    deadline: dt.date
    done_on: dt.date | None
    result: str
    light: str

    @staticmethod
    def resolve_light(obj) -> str:
        from django.utils import timezone

        from gaoxin.dispatch import selectors

        return selectors.task_light(obj, timezone.localdate())


class TaskIn(Schema):
    decision: str = Field(..., min_length=1)
    owner: int
    deadline: IsoDate
    key_project: int | None = None


class TaskDoneIn(Schema):
    result: str = Field(..., min_length=1)


def _meetings(user):
    from gaoxin.dispatch.models import DispatchMeeting

    return DispatchMeeting.objects.restrict(user)


@dispatch_router.get("/meetings", response=list[MeetingOut], summary="Dispatch meetings")
@api_permission("dispatch.view_dispatchmeeting")
@paginate(Pagination, page_size=50)
def list_meetings(request):
    return _meetings(request.auth)


@dispatch_router.post("/meetings", response={201: MeetingOut}, summary="Record a dispatch meeting")
@api_permission("dispatch.add_dispatchmeeting")
def record_meeting(request, payload: MeetingIn):
    from gaoxin.accounts.models import Role, User

    staff = User.objects.filter(is_active=True).exclude(role=Role.ENTERPRISE)
    data = payload.dict()
    data["chaired_by"] = _found(staff, data["chaired_by"], "chaired_by")
    data["attendees"] = [_found(staff, pk, "attendees") for pk in data["attendees"]]
    return Status(201, services.meeting_record(by=request.auth, **data))


@dispatch_router.post(
    "/meetings/{int:pk}/tasks",
    response={201: TaskOut},
    summary="Record a meeting's decision as a task",
)
@api_permission("dispatch.add_dispatchmeeting")
def add_task(request, pk: int, payload: TaskIn):
    from gaoxin.accounts.models import User

    meeting = get_object_or_404(_meetings(request.auth), pk=pk)
    data = payload.dict()
    data["owner"] = _found(User.objects.all(), data["owner"], "owner")
    kp = data.pop("key_project")
    key_project = _found(_key_projects(request.auth), kp, "key_project") if kp else None
    return Status(
        201,
        services.decision_add(meeting=meeting, by=request.auth, key_project=key_project, **data),
    )


@dispatch_router.get("/tasks", response=list[TaskOut], summary="Decision tasks")
@api_permission("dispatch.view_decisiontask")
@paginate(Pagination, page_size=50)
def list_tasks(request, open: bool | None = None, owner: int | None = None):
    from gaoxin.dispatch.models import DecisionTask

    queryset = DecisionTask.objects.restrict(request.auth)
    if open is not None:
        queryset = queryset.filter(done_on__isnull=open)
    if owner is not None:
        queryset = queryset.filter(owner_id=owner)
    return queryset


@dispatch_router.post("/tasks/{int:pk}/done", response=TaskOut, summary="Complete a task")
@api_permission("dispatch.view_decisiontask")
def complete_task(request, pk: int, payload: TaskDoneIn):
    from gaoxin.dispatch.models import DecisionTask

    task = get_object_or_404(DecisionTask.objects.restrict(request.auth), pk=pk)
    return services.decision_complete(task=task, by=request.auth, result=payload.result)


class RollUpOut(Schema):
    key: int
    label: str
    light: str
    red: int
    yellow: int
    green: int


class LightsOut(Schema):
    year: int
    red: int
    yellow: int
    green: int
    by_department: list[RollUpOut]
    by_leader: list[RollUpOut]


def _roll_up_out(groups):
    return [
        {
            "key": g.key,
            "label": g.label,
            "light": g.light,
            "red": g.counts["red"],
            "yellow": g.counts["yellow"],
            "green": g.counts["green"],
        }
        for g in groups
    ]


@dispatch_router.get(
    "/lights", response=LightsOut, summary="Key projects by light, per department and leader"
)
@api_permission("dispatch.view_lights")
def lights(request, year: int = Query(..., ge=2000, le=2999)):
    from collections import Counter

    from gaoxin.dispatch import selectors

    rows = selectors.key_project_lights(_key_projects(request.auth).filter(year=year))
    counts = Counter(r.light for r in rows)
    return {
        "year": year,
        "red": counts["red"],
        "yellow": counts["yellow"],
        "green": counts["green"],
        "by_department": _roll_up_out(selectors.roll_up(rows, "department")),
        "by_leader": _roll_up_out(selectors.roll_up(rows, "leader")),
    }


class AssessmentRowOut(Schema):
    key: int
    label: str
    rank: int
    score: float
    values: dict[str, float | None]


@dispatch_router.get(
    "/assessment",
    response=list[AssessmentRowOut],
    summary="Comprehensive assessment of departments or stewards for a period",
)
@api_permission("dispatch.view_assessment")
def assessment(
    request,
    start: IsoDate,
    end: IsoDate,
    by: str = Query("department", pattern="^(department|steward)$"),
):
    from django.core.exceptions import ValidationError

    from gaoxin.dispatch import selectors
    from gaoxin.projects.stats import Period

    if end < start:
        raise ValidationError({"end": ["The end lies before the start."]})
    return [
        {
            "key": r.key,
            "label": r.label,
            "rank": r.rank,
            "score": float(r.score),
            "values": {k: (None if v is None else float(v)) for k, v in r.values.items()},
        }
        for r in selectors.assessment(Period(start, end), by)
    ]


class LedgerOut(Schema):
    id: int
    project: int = Field(..., alias="project_id")
    month: dt.date
    output_value: Decimal
    tax: Decimal
    employees: int
    investment_completed: Decimal
    version: int


class LedgerIn(Schema):
    project: int
    month: IsoDate
    output_value: Decimal = Field(..., ge=0, max_digits=14, decimal_places=2)
    tax: Decimal = Field(..., ge=0, max_digits=14, decimal_places=2)
    employees: int = Field(..., ge=0, le=1_000_000)
    investment_completed: Decimal = Field(Decimal(0), ge=0, max_digits=14, decimal_places=2)


@dispatch_router.get("/ledger", response=list[LedgerOut], summary="Ledger entries (工作台账)")
@api_permission("dispatch.view_ledgerentry")
@paginate(Pagination, page_size=100)
def list_ledger(request, project: int | None = None, month: IsoDate | None = None):
    from gaoxin.dispatch.models import LedgerEntry

    queryset = LedgerEntry.objects.restrict(request.auth)
    if project is not None:
        queryset = queryset.filter(project_id=project)
    if month is not None:
        queryset = queryset.filter(month=month.replace(day=1))
    return queryset


@dispatch_router.post("/ledger", response={201: LedgerOut}, summary="Enter a ledger month")
@api_permission("dispatch.add_ledgerentry")
def enter_ledger(request, payload: LedgerIn):
    from gaoxin.projects.selectors import project_base

    data = payload.dict()
    project = _found(project_base(request.auth), data.pop("project"), "project")
    month = data.pop("month")
    return Status(
        201, services.ledger_enter(project=project, month=month, by=request.auth, data=data)
    )


class HandoverIn(Schema):
    to_steward: int
    note: str = Field(..., min_length=1)


class HandoverOut(Schema):
    id: int
    project: int = Field(..., alias="project_id")
    from_steward: int | None = Field(None, alias="from_steward_id")
    to_steward: int | None = Field(None, alias="to_steward_id")
    phase: str
    note: str
    at: dt.datetime


class ServiceLogIn(Schema):
    on: IsoDate
    note: str = Field(..., min_length=1)


class ServiceLogOut(Schema):
    id: int
    project: int = Field(..., alias="project_id")
    steward: int = Field(..., alias="steward_id")
    phase: str
    on: dt.date
    note: str


@dispatch_router.post(
    "/projects/{int:pk}/steward",
    response={201: HandoverOut},
    summary="Hand a project over to another steward",
)
@api_permission("dispatch.add_stewardhandover")
def hand_over(request, pk: int, payload: HandoverIn):
    from gaoxin.accounts.models import User

    project = project_get(user=request.auth, pk=pk)
    to_steward = _found(User.objects.all(), payload.to_steward, "to_steward")
    return Status(
        201,
        services.steward_change(
            project=project, to_steward=to_steward, by=request.auth, note=payload.note
        ),
    )


@dispatch_router.get(
    "/projects/{int:pk}/service-log",
    response=list[ServiceLogOut],
    summary="A project's steward service log",
)
@api_permission("dispatch.view_stewardship")
def service_log(request, pk: int):
    return project_get(user=request.auth, pk=pk).service_log.all()[:500]


@dispatch_router.post(
    "/projects/{int:pk}/service-log",
    response={201: ServiceLogOut},
    summary="Write the steward's service log",
)
@api_permission("dispatch.add_servicelogentry")
def add_service_log(request, pk: int, payload: ServiceLogIn):
    project = project_get(user=request.auth, pk=pk)
    return Status(201, services.service_log_add(project=project, by=request.auth, **payload.dict()))
