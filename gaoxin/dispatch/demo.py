"""The demo zone's key-project dispatch: the year's 61 key projects (the article's number) with
their 五个一, plans laid out from the templates and progressed as the register says, service
matters, monthly progress reports, dispatch meetings, stewards' logs and the ledger."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gaoxin.accounts.models import Department, Role, User
from gaoxin.dispatch import lights, selectors, services
from gaoxin.dispatch.models import (
    DecisionTask,
    DispatchMeeting,
    DispatchPeriod,
    KeyProject,
    LedgerEntry,
    MatterPart,
    MatterState,
    Milestone,
    PlanTemplate,
    Problem,
    ProblemState,
    ProblemStep,
    ProgressReport,
    ServiceLogEntry,
    ServiceMatter,
    TaskForceMember,
)
from gaoxin.projects.demo import NAMED
from gaoxin.projects.models import Project, StageEvent
from gaoxin.projects.stages import Stage, phase_of

KEY_PROJECTS_PER_YEAR = 61
LANDED = (Stage.SIGNED, Stage.REGISTERED, Stage.UNDER_CONSTRUCTION, Stage.IN_PRODUCTION)

MATTERS = [
    ("用电增容报装", "escort", ["planning"]),
    ("施工许可并联办理", "joint", ["approval", "construction"]),
    ("进厂道路及管网配套", "supervise", ["construction"]),
    ("人才公寓配租", "escort", ["talent"]),
    ("研发费用加计扣除政策兑现", "joint", ["economy", "finance"]),
    ("消防设计审查", "escort", ["construction"]),
    ("土地证办理", "joint", ["planning", "approval"]),
    ("设备进口通关协调", "supervise", ["economy"]),
]


def _event_dates(projects) -> dict[int, dict[str, dt.date]]:
    dates: dict[int, dict[str, dt.date]] = {}
    for project_id, stage, on in (
        StageEvent.objects.effective()
        .filter(project__in=projects)
        .order_by("on")
        .values_list("project", "stage", "on")
    ):
        dates.setdefault(project_id, {}).setdefault(stage, on)
    return dates


def _plan_start(rng, template_is_expansion, events, today) -> dt.date:
    """A plan start that puts the planned construction start near the register's actual one
    (or, for a project not started yet, a few months back)."""
    started = events.get(Stage.UNDER_CONSTRUCTION)
    if started:
        lead = rng.randint(5, 20) if template_is_expansion else rng.randint(70, 110)
        return started - dt.timedelta(days=lead)
    return today - dt.timedelta(days=rng.randint(5, 60))


def _progress_plan(rng, key_project, events, today) -> None:
    """Actual dates for the milestones, consistent with the register: construction starts and
    production on their event dates, the rest near plan with some running late."""
    started, produced = events.get(Stage.UNDER_CONSTRUCTION), events.get(Stage.IN_PRODUCTION)
    milestones = list(key_project.milestones.order_by("order"))
    start_order = next((m.order for m in milestones if m.marks_start), 0)
    slow = rng.random() < 0.2  # some projects run behind
    for m in milestones:
        if m.marks_start:
            end = started
        elif m.order == milestones[-1].order:
            end = produced
        elif m.order < start_order and started:
            end = min(m.planned_end + dt.timedelta(days=rng.randint(-5, 10)), started)
        elif m.order > start_order and not started:
            end = None
        else:
            late = rng.randint(25, 60) if slow else rng.randint(-5, 8)
            end = m.planned_end + dt.timedelta(days=late)
            if produced:
                end = min(end, produced)
        if end is None or end > today:
            if m.planned_start <= today:
                m.actual_start = min(m.planned_start + dt.timedelta(days=rng.randint(0, 5)), today)
            break
        m.actual_start = min(m.planned_start, end)
        m.actual_end = end
    Milestone.objects.bulk_update(milestones, ["actual_start", "actual_end"])


@transaction.atomic
def seed_dispatch(*, admin, today: dt.date) -> int:
    if KeyProject.objects.exists():
        return 0
    rng = random.Random(61)
    leaders = list(User.objects.filter(role=Role.LEADER).order_by("pk"))
    stewards = list(User.objects.filter(role=Role.STEWARD).order_by("pk"))
    departments = {d.code: d for d in Department.objects.all()}
    staff = list(User.objects.filter(role=Role.STAFF).order_by("pk"))
    if not leaders:
        return 0
    new_build = PlanTemplate.objects.get(name="工业项目标准节点")
    expansion = PlanTemplate.objects.get(name="技改扩建项目节点")
    year = today.year
    candidates = list(
        Project.objects.filter(stage__in=LANDED)
        .select_related("department", "steward")
        .order_by("-total_investment")[: KEY_PROJECTS_PER_YEAR + 10]
    )
    events = _event_dates(candidates)
    key_projects = []
    for i, project in enumerate(candidates[:KEY_PROJECTS_PER_YEAR]):
        dates = events.get(project.pk, {})
        kp = services.key_project_add(
            year=year,
            project=project,
            sponsor=leaders[i % len(leaders)],
            lead_department=project.department or departments["investment"],
            by=admin,
        )
        template = expansion if i % 5 == 4 else new_build
        start = _plan_start(rng, template is expansion, dates, today)
        services.plan_from_template(key_project=kp, template=template, start=start, by=admin)
        _progress_plan(rng, kp, dates, today)
        head = kp.lead_department.head
        members = [(head, "lead")] if head else []
        members += [(project.steward, "liaison")] if project.steward else []
        members += [(rng.choice(staff), "member")] if staff else []
        seen = set()
        for user, role in members:
            if user.pk not in seen:
                seen.add(user.pk)
                TaskForceMember.objects.create(key_project=kp, user=user, role=role)
        key_projects.append(kp)
    # Last year's list: most of this year's landed projects plus a few since finished.
    for kp in key_projects[: KEY_PROJECTS_PER_YEAR - 12]:
        KeyProject.objects.create(
            year=year - 1,
            project=kp.project,
            sponsor=kp.sponsor,
            lead_department=kp.lead_department,
        )
    # Last year's list held 61 as well: the rest were finished or landed before this year.
    finished = list(
        Project.objects.filter(stage=Stage.AT_CAPACITY).exclude(key_listings__year=year - 1)[:6]
    )
    finished += list(
        Project.objects.filter(stage__in=(Stage.IN_PRODUCTION, Stage.UNDER_CONSTRUCTION))
        .exclude(key_listings__year=year - 1)
        .exclude(pk__in=[p.pk for p in finished])
        .order_by("-total_investment")[: 12 - len(finished)]
    )
    for i, project in enumerate(finished):
        KeyProject.objects.create(
            year=year - 1,
            project=project,
            sponsor=leaders[i % len(leaders)],
            lead_department=project.department or departments["investment"],
        )
    _seed_matters(rng, key_projects, departments, admin, today)
    _seed_reports(rng, key_projects, admin, today)
    _seed_meetings(rng, key_projects, leaders, admin, today)
    _seed_stewards(rng, key_projects, stewards, admin, today)
    _seed_ledger(rng, admin, today)
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    if last_month.year == year:
        services.publish_light_list(last_month)
    return len(key_projects)


def _seed_matters(rng, key_projects, departments, admin, today) -> None:
    for i, kp in enumerate(key_projects[:24]):
        title, mode, codes = MATTERS[i % len(MATTERS)]
        opened = today - dt.timedelta(days=rng.randint(10, 90))
        deadline = opened + dt.timedelta(days=rng.choice([30, 60, 90, 120]))
        done = rng.random() < 0.45
        matter = ServiceMatter.objects.create(
            key_project=kp,
            title=title,
            mode=mode,
            description=f"为{kp.project.name}办理{title}。",
            deadline=deadline,
            state=MatterState.DONE if done else MatterState.OPEN,
            done_on=min(deadline, today) if done else None,
        )
        ServiceMatter.objects.filter(pk=matter.pk).update(
            created_at=timezone.make_aware(dt.datetime.combine(opened, dt.time(9)))
        )
        for code in codes:
            part_done = done or rng.random() < 0.3
            MatterPart.objects.create(
                matter=matter,
                department=departments[code],
                done_on=min(deadline, today) if part_done else None,
            )
        matter.actions.create(note="已对接企业，明确办理事项和时限。", by=admin)


def _seed_reports(rng, key_projects, admin, today) -> None:
    month = dt.date(today.year, 1, 1)
    reports = []
    while month <= today:
        period = services.period_open(kind="month", start=month, by=admin)
        # Opened on the month's first day (its reminder to report dated then).
        opened = min(_at(month, 9), timezone.now())
        DispatchPeriod.objects.filter(pk=period.pk).update(opened_at=opened)
        current = period.end >= today
        for kp in key_projects:
            if current and rng.random() < 0.6:
                continue  # the month is not over: many have not reported yet
            if not current and rng.random() < 0.04:
                continue  # a few never reported
            late = rng.random() < 0.12
            filed = period.due + dt.timedelta(days=rng.randint(1, 6)) if late else period.end
            reports.append(
                ProgressReport(
                    period=period,
                    key_project=kp,
                    done="按节点推进，完成本月计划工作。",
                    next="推进下一节点，协调解决要素保障问题。",
                    problems="" if rng.random() < 0.8 else "用地、用电指标需协调。",
                    filed_by=admin,
                    filed_on=min(filed, today),
                )
            )
        month = (period.end + dt.timedelta(days=1)).replace(day=1)
    ProgressReport.objects.bulk_create(reports)


def _seed_meetings(rng, key_projects, leaders, admin, today) -> None:
    attendees = list(User.objects.exclude(role=Role.ENTERPRISE))
    staff = [u for u in attendees if u.role in (Role.STAFF, Role.STEWARD)]
    for months_ago, title in (
        (3, "重点项目季度调度会"),
        (1, "重点项目月度调度会"),
        (0, "挂图作战推进会"),
    ):
        held = today - dt.timedelta(days=30 * months_ago + 3)
        meeting = DispatchMeeting.objects.create(
            title=title,
            held_on=held,
            chaired_by=leaders[0],
            minutes="听取各项目进展汇报，研究解决项目推进中的困难和问题。",
        )
        meeting.attendees.set(attendees)
        for kp in rng.sample(key_projects, 3):
            owner = rng.choice(staff)
            deadline = held + dt.timedelta(days=rng.choice([7, 14, 21, 30]))
            done = deadline < today and rng.random() < 0.6
            DecisionTask.objects.create(
                meeting=meeting,
                key_project=kp,
                decision=f"协调解决{kp.project.name}要素保障问题，按期推进节点。",
                owner=owner,
                department=owner.department,
                deadline=deadline,
                done_on=deadline if done else None,
                result="已协调到位。" if done else "",
            )


def _seed_stewards(rng, key_projects, stewards, admin, today) -> None:
    if not stewards:
        return
    # A key project without a steward gets one when it is listed (the register's generated
    # projects have none): shared between the stewards, dated at the listing.
    listed = min(_at(dt.date(today.year, 1, 10), 9), timezone.now())
    for i, kp in enumerate(key_projects):
        if kp.project.steward_id is None:
            handover = services.steward_change(
                project=kp.project,
                to_steward=stewards[i % len(stewards)],
                by=admin,
                note="列入年度重点项目，指定项目管家跟踪服务。",
            )
            type(handover).objects.filter(pk=handover.pk).update(at=listed)
            kp.project.refresh_from_db(fields=["steward", "version"])
    for kp in key_projects[:40]:
        if kp.project.steward is None:
            continue
        for days in (60, 30, 7):
            ServiceLogEntry.objects.create(
                project=kp.project,
                steward=kp.project.steward,
                phase=phase_of(kp.project.stage),
                on=today - dt.timedelta(days=days),
                note="走访企业，了解建设进度和要素需求，协调相关部门办理。",
            )
    if len(stewards) > 1:
        built = _event_dates([kp.project for kp in key_projects[1::6]])
        for kp in key_projects[1::6]:
            if kp.project.steward_id == stewards[1].pk:
                continue
            handover = services.steward_change(
                project=kp.project,
                to_steward=stewards[1],
                by=admin,
                note="项目进入建设阶段，移交建设期项目管家，已交接企业联系人和在办事项。",
            )
            # Handed over when construction started, or at the latest step before it (its
            # reminder dated then).
            dates = built.get(kp.project.pk, {})
            started = dates.get(Stage.UNDER_CONSTRUCTION) or max(dates.values(), default=None)
            if started and handover is not None:
                type(handover).objects.filter(pk=handover.pk).update(
                    at=min(_at(started, 10), timezone.now())
                )


def _seed_ledger(rng, admin, today) -> None:

    projects = list(Project.objects.filter(stage__in=(Stage.IN_PRODUCTION, Stage.AT_CAPACITY)))
    since = selectors.production_since([p.pk for p in projects])
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    entries = []
    for project in projects:
        month = since.get(project.pk, last_month).replace(day=1)
        scale = Decimal(project.expected_output_value or 1000) / 12
        skip = rng.random() < 0.15  # some have not entered last month yet
        while month <= last_month:
            if not (skip and month == last_month):
                factor = Decimal(rng.randint(60, 120)) / 100
                entries.append(
                    LedgerEntry(
                        project=project,
                        month=month,
                        output_value=(scale * factor).quantize(Decimal("0.01")),
                        tax=(scale * factor * Decimal("0.06")).quantize(Decimal("0.01")),
                        employees=rng.randint(40, 600),
                        investment_completed=Decimal(rng.randint(0, 300)),
                        entered_by=admin,
                    )
                )
            month = lights.add_months(month, 1)
    LedgerEntry.objects.bulk_create(entries)


def seed_problems(*, admin, today: dt.date) -> int:
    """A few problems on the article's projects: one new from the enterprise, one in hand,
    one overdue (red, escalated), one solved and confirmed."""

    if Problem.objects.exists():
        return 0
    projects = {p.name: p for p in Project.objects.filter(name__in=[n[0] for n in NAMED])}
    planning = Department.objects.get(code="planning")
    construction = Department.objects.get(code="construction")
    approval = Department.objects.get(code="approval")
    enterprise_user = User.objects.filter(role=Role.ENTERPRISE).first()
    rows = [
        (
            "硅麦芯片和光电继电器芯片项目",
            "bottleneck",
            "二期厂房用电增容报装慢",
            planning,
            ProblemState.SUBMITTED,
            None,
            enterprise_user or admin,
        ),
        (
            "兴华半导体项目",
            "blockage",
            "施工许可证办理材料反复补正",
            approval,
            ProblemState.IN_PROGRESS,
            today + dt.timedelta(days=6),
            admin,
        ),
        (
            "迈格尼医疗器械项目",
            "hard",
            "洁净厂房消防验收标准不明确",
            construction,
            ProblemState.ACCEPTED,
            today - dt.timedelta(days=9),
            admin,
        ),
        (
            "永而佳5G光通讯项目",
            "blockage",
            "进厂道路未通",
            construction,
            ProblemState.CONFIRMED,
            today - dt.timedelta(days=30),
            admin,
        ),
    ]
    for name, kind, title, dept, state, deadline, raiser in rows:
        if name not in projects:
            continue
        problem = Problem.objects.create(
            project=projects[name],
            kind=kind,
            title=title,
            description=title + "，请协调解决。",
            raised_by=raiser,
            department=dept,
            state=state,
            deadline=deadline,
            limit_days=10 if deadline else None,
            resolution="已协调施工方，道路已贯通" if state == ProblemState.CONFIRMED else "",
        )
        # Each problem and step stamped at its own date: raised two weeks before its deadline
        # (the ten working days' limit), accepted the next day, a solved one confirmed before
        # its deadline; so a problem accepted today is never already overdue.
        raised_on = deadline - dt.timedelta(days=14) if deadline else today - dt.timedelta(days=1)
        decided_on = (
            deadline - dt.timedelta(days=2)
            if state == ProblemState.CONFIRMED
            else raised_on + dt.timedelta(days=1)
        )
        raised_at, decided_at = _at(raised_on, 9), _at(decided_on, 15)
        Problem.objects.filter(pk=problem.pk).update(created_at=raised_at, updated_at=decided_at)
        first = ProblemStep.objects.create(
            problem=problem, to_state=ProblemState.SUBMITTED, by=raiser
        )
        ProblemStep.objects.filter(pk=first.pk).update(at=raised_at)
        if state != ProblemState.SUBMITTED:
            step = ProblemStep.objects.create(
                problem=problem, from_state=ProblemState.SUBMITTED, to_state=state, by=admin
            )
            ProblemStep.objects.filter(pk=step.pk).update(at=decided_at)
    return len(rows)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
