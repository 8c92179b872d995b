"""Fill the database with a large, reproducible zone for benchmarks and load tests.

    python manage.py generate_data --projects 100000 --seed 1

Bulk inserts in batches, a progress bar on the terminal. The same seed gives the same data.
Synthetic rows are not written to the audit trail: they are test data, not business changes.
Each domain app adds its step here as it lands (see docs/performance.md).
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric
from stdnum.cn import uscc as stdnum_uscc

from gaoxin.accounts.models import Department, Role, User
from gaoxin.affairs.models import (
    Application,
    ApplicationState,
    Appointment,
    AppointmentState,
    Rating,
    Review,
    ServiceItem,
    Slot,
    Window,
)
from gaoxin.affairs.search import pinyin_key
from gaoxin.core import workcalendar
from gaoxin.demo.reference import ensure_reference_data
from gaoxin.dispatch.models import (
    KeyProject,
    LedgerEntry,
    Milestone,
    PlanTemplate,
    Problem,
    ProblemState,
)
from gaoxin.enterprises.models import Cluster, Enterprise, IndustryCode
from gaoxin.projects.models import (
    Channel,
    Engagement,
    EngagementKind,
    MoneyEntry,
    MoneyKind,
    Project,
    StageEvent,
)
from gaoxin.projects.stages import Stage
from gaoxin.spaces.models import Building, Lease, Unit
from gaoxin.talent.models import Talent, Team

BATCH = 5000
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
PROVINCES = ["山东省", "江苏省", "浙江省", "广东省", "北京市", "上海市", "河南省", "河北省"]
FLOW = [
    Stage.LEAD,
    Stage.NEGOTIATING,
    Stage.SIGNED,
    Stage.REGISTERED,
    Stage.UNDER_CONSTRUCTION,
    Stage.IN_PRODUCTION,
    Stage.AT_CAPACITY,
]


class Progress:
    def __init__(self, out, label: str, total: int):
        self.out, self.label, self.total, self.done = out, label, max(total, 1), 0
        self.started = time.monotonic()

    def advance(self, n: int) -> None:
        self.done += n
        share = min(self.done / self.total, 1)
        bar = "#" * int(share * 30)
        self.out.write(f"\r{self.label:<14} [{bar:<30}] {share:6.1%} {self.done:>9}", ending="")
        self.out.flush()

    def close(self) -> None:
        self.out.write(f"  {time.monotonic() - self.started:.1f}s")


class Command(BaseCommand):
    help = "Generate a large, seeded zone (enterprises, projects with multi-year histories …)."

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=10000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--years",
            type=int,
            default=5,
            help="How many years back the histories start (default 5).",
        )
        parser.add_argument("--quiet", action="store_true", help="No progress bars.")

    def handle(self, *args, projects: int, seed: int, years: int, quiet: bool, **options):
        if projects < 1 or projects > 2_000_000:
            raise CommandError("--projects must be between 1 and 2,000,000")
        ensure_reference_data()  # e.g. after `flush`, which empties what migrations loaded
        rng = random.Random(seed)
        out = self.stdout if not quiet and sys.stdout.isatty() else _Silent()
        today = dt.date.today()
        started = time.monotonic()
        with transaction.atomic():
            depts, stewards = self._organisation()
            clusters = self._clusters()
            enterprises = self._enterprises(rng, max(projects // 5, 1), clusters, out)
        counts = self._projects(
            rng, projects, years, today, depts, stewards, clusters, enterprises, out
        )
        counts.update(self._dispatch(rng, today, depts, out))
        counts.update(self._services(rng, today, depts, enterprises, out, cases=projects // 2))
        counts.update(
            self._space_and_talent(rng, today, enterprises, count=max(projects // 50, 10))
        )
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {len(enterprises)} enterprises, {counts['projects']} projects, "
                f"{counts['events']} stage events, {counts['engagements']} engagements and "
                f"{counts['money']} money entries, {counts['key_projects']} key projects with "
                f"{counts['milestones']} milestones, {counts['problems']} problems and "
                f"{counts['ledger']} ledger months, {counts['applications']} service cases "
                f"with {counts['reviews']} reviews and {counts['ratings']} ratings, "
                f"{counts['slots']} slots and {counts['appointments']} appointments, "
                f"{counts['leases']} leases and {counts['talents']} talents "
                f"in {time.monotonic() - started:.0f}s "
                f"(seed {seed})."
            )
        )

    def _organisation(self):
        depts = []
        known = [
            ("investment", "投资促进局"),
            ("economy", "经济发展局"),
            ("science", "科技创新局"),
            ("approval", "行政审批服务局"),
        ]
        for i, (code, name) in enumerate(known):
            dept, _c = Department.objects.get_or_create(
                code=code, defaults={"name": name, "order": i}
            )
            depts.append(dept)
        stewards = list(User.objects.filter(role=Role.STEWARD))
        for i in range(len(stewards), 20):
            user = User(
                username=f"gen_steward_{i:02d}",
                full_name=f"管家{i:02d}",
                role=Role.STEWARD,
                department=depts[0],
            )
            user.set_unusable_password()
            user.save()
            stewards.append(user)
        return depts, stewards

    def _clusters(self):
        for i, (code, name) in enumerate(
            [("equipment", "高端智能装备制造"), ("it", "新一代信息技术"), ("health", "生命大健康")]
        ):
            Cluster.objects.get_or_create(code=code, defaults={"name": name, "order": i})
        return list(Cluster.objects.all())

    def _enterprises(self, rng, count, clusters, out):
        divisions = list(IndustryCode.objects.filter(level="division"))
        existing = set(Enterprise.objects.values_list("uscc", flat=True))
        progress = Progress(out, "enterprises", count)
        batch, created = [], []
        while len(created) + len(batch) < count:
            body = (
                "913711"
                + "".join(rng.choice(USCC_ALPHABET[:10]) for _ in range(2))
                + "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
            )
            code = body + stdnum_uscc.calc_check_digit(body)
            if code in existing:
                continue
            existing.add(code)
            batch.append(
                Enterprise(
                    name=f"生成企业{len(created) + len(batch):07d}有限公司",
                    uscc=code,
                    cluster=rng.choice(clusters),
                    industry=rng.choice(divisions),
                    origin_region=rng.choice(PROVINCES),
                )
            )
            if len(batch) >= BATCH:
                created += Enterprise.objects.bulk_create(batch)
                progress.advance(len(batch))
                batch = []
        if batch:
            created += Enterprise.objects.bulk_create(batch)
            progress.advance(len(batch))
        progress.close()
        return created

    def _projects(self, rng, count, years, today, depts, stewards, clusters, enterprises, out):
        counts = {"projects": 0, "events": 0, "engagements": 0, "money": 0}
        progress = Progress(out, "projects", count)
        first_day = today - dt.timedelta(days=365 * years)
        span = (today - first_day).days
        for start in range(0, count, BATCH):
            size = min(BATCH, count - start)
            plans = []
            for i in range(size):
                steps = self._history(
                    rng, first_day + dt.timedelta(days=rng.randint(0, span)), today
                )
                total = Decimal(rng.choice([1000, 3000, 5000, 10000, 20000, 50000]))
                enterprise = rng.choice(enterprises) if rng.random() < 0.4 else None
                project = Project(
                    name=f"生成项目{start + i:07d}",
                    enterprise=enterprise,
                    prospective_investor="" if enterprise else f"意向投资方{start + i:07d}",
                    cluster=rng.choice(clusters),
                    channel=rng.choice(Channel.values),
                    source_province=rng.choice(PROVINCES),
                    total_investment=total,
                    fixed_asset_investment=(total * Decimal("0.7")).quantize(Decimal(1)),
                    department=rng.choice(depts),
                    steward=rng.choice(stewards),
                    stage=steps[-1][0],
                    stage_since=steps[-1][1],
                    planned_start_on=steps[0][1] + dt.timedelta(days=rng.randint(120, 400)),
                )
                plans.append((project, steps))
            with transaction.atomic():
                Project.objects.bulk_create([p for p, _s in plans])
                events, engagements, money = [], [], []
                for project, steps in plans:
                    previous = ""
                    for stage, on in steps:
                        events.append(
                            StageEvent(project=project, stage=stage, from_stage=previous, on=on)
                        )
                        previous = stage
                    for _k in range(rng.randint(1, 8)):
                        engagements.append(
                            Engagement(
                                project=project,
                                kind=rng.choice(EngagementKind.values),
                                on=min(steps[0][1] + dt.timedelta(days=rng.randint(0, 200)), today),
                                summary="洽谈项目落地条件",
                            )
                        )
                    if any(s == Stage.SIGNED for s, _d in steps):
                        for _k in range(rng.randint(1, 4)):
                            money.append(
                                MoneyEntry(
                                    project=project,
                                    kind=rng.choice(MoneyKind.values),
                                    on=min(
                                        steps[-1][1] + dt.timedelta(days=rng.randint(0, 90)), today
                                    ),
                                    amount=(project.total_investment / 10).quantize(Decimal(1)),
                                )
                            )
                StageEvent.objects.bulk_create(events, batch_size=BATCH)
                Engagement.objects.bulk_create(engagements, batch_size=BATCH)
                MoneyEntry.objects.bulk_create(money, batch_size=BATCH)
            counts["projects"] += size
            counts["events"] += len(events)
            counts["engagements"] += len(engagements)
            counts["money"] += len(money)
            progress.advance(size)
        progress.close()
        return counts

    def _dispatch(self, rng, today, depts, out):
        """This year's key projects (1 in 100 landed projects, at least 61) with plans from the
        standard template, open and closed problems, and twelve ledger months of producing
        projects (capped so a large run stays quick)."""
        leaders = list(User.objects.filter(role=Role.LEADER))
        for i in range(len(leaders), 5):
            user = User(username=f"gen_leader_{i}", full_name=f"领导{i}", role=Role.LEADER)
            user.set_unusable_password()
            user.save()
            leaders.append(user)
        landed = Project.objects.filter(
            stage__in=(Stage.SIGNED, Stage.REGISTERED, Stage.UNDER_CONSTRUCTION)
        ).exclude(key_listings__year=today.year)
        total = landed.count()
        wanted = min(max(total // 100, 61), total, 5000)
        chosen = list(landed.order_by("?")[:wanted]) if wanted else []
        template = PlanTemplate.objects.filter(name="工业项目标准节点").first()
        steps = list(template.steps.order_by("order")) if template else []
        progress = Progress(out, "key projects", max(len(chosen), 1))
        key_projects = KeyProject.objects.bulk_create(
            [
                KeyProject(
                    year=today.year,
                    project=p,
                    sponsor=rng.choice(leaders),
                    lead_department=p.department or depts[0],
                    plan_start=today - dt.timedelta(days=rng.randint(0, 200)),
                )
                for p in chosen
            ],
            batch_size=BATCH,
        )
        milestones = []
        for kp in key_projects:
            day, ends = kp.plan_start, []
            for step in steps:
                start = workcalendar.add_working_days(day, 1 if ends else 0).value
                end = workcalendar.add_working_days(start, step.duration_days - 1).value
                done = end < today and rng.random() < 0.8
                milestones.append(
                    Milestone(
                        key_project=kp,
                        order=step.order,
                        name=step.name,
                        duration_days=step.duration_days,
                        marks_start=step.marks_start,
                        planned_start=start,
                        planned_end=end,
                        actual_start=start if done else None,
                        actual_end=end + dt.timedelta(days=rng.randint(-3, 20)) if done else None,
                    )
                )
                # Serial for speed; the real plans keep the template's parallel steps.
                day, ends = end, [*ends, end]
            progress.advance(1)
        Milestone.objects.bulk_create(milestones, batch_size=BATCH)
        progress.close()
        raiser = User.objects.filter(role=Role.ADMIN).first() or leaders[0]
        problems = []
        for kp in key_projects:
            if rng.random() < 0.5:
                state = rng.choice(ProblemState.values)
                accepted = state != ProblemState.SUBMITTED
                problems.append(
                    Problem(
                        project=kp.project,
                        kind=rng.choice(["blockage", "bottleneck", "hard"]),
                        title="要素保障问题",
                        description="用地、用电、审批等要素需协调",
                        raised_by=raiser,
                        department=rng.choice(depts),
                        state=state,
                        limit_days=10 if accepted else None,
                        deadline=today + dt.timedelta(days=rng.randint(-30, 30))
                        if accepted
                        else None,
                    )
                )
        Problem.objects.bulk_create(problems, batch_size=BATCH)
        producing = Project.objects.filter(stage=Stage.IN_PRODUCTION).order_by("pk")[:2000]
        first = today.replace(day=1)
        months = [(first - dt.timedelta(days=31 * k)).replace(day=1) for k in range(1, 13)]
        ledger = [
            LedgerEntry(
                project=p,
                month=month,
                output_value=Decimal(rng.randint(100, 5000)),
                tax=Decimal(rng.randint(5, 300)),
                employees=rng.randint(20, 800),
                entered_by=raiser,
            )
            for p in producing
            for month in months
            if month >= p.stage_since.replace(day=1)
        ]
        LedgerEntry.objects.bulk_create(ledger, batch_size=BATCH)
        return {
            "key_projects": len(key_projects),
            "milestones": len(milestones),
            "problems": len(problems),
            "ledger": len(ledger),
        }

    def _services(self, rng, today, depts, enterprises, out, *, cases: int):
        """Government services at scale: a catalogue and windows (the demo's when present),
        cases over the past year in every state with their reviews and the window's clock,
        ratings of closed cases, and three months of slots with appointments."""
        clerk = User.objects.filter(role=Role.CLERK).first()
        if clerk is None:
            clerk = User(username="gen_clerk", full_name="窗口", role=Role.CLERK)
            clerk.set_unusable_password()
            clerk.save()
        existing = ServiceItem.objects.count()
        ServiceItem.objects.bulk_create(
            [
                ServiceItem(
                    code=f"GEN{n:05d}",
                    name=f"生成事项{n:03d}",
                    search_key=pinyin_key(f"生成事项{n:03d}"),
                    department=depts[n % len(depts)],
                    legal_limit_days=20,
                    promised_limit=rng.choice([3, 5, 10]),
                )
                for n in range(existing, 60)
            ]
        )
        items = list(ServiceItem.objects.order_by("pk")[:200])
        windows = list(Window.objects.all())
        for n in range(len(windows), 4):
            window = Window.objects.create(
                number=f"G{n:02d}", name=f"综合窗口{n}", department=depts[n % len(depts)]
            )
            window.items.set(items[n::4])
            windows.append(window)
        limit = 5 * 420
        states = [
            (ApplicationState.CLOSED, 0.55),
            (ApplicationState.APPROVED, 0.1),
            (ApplicationState.REJECTED, 0.05),
            (ApplicationState.UNDER_REVIEW, 0.2),
            (ApplicationState.SUBMITTED, 0.1),
        ]
        first = Application.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        progress = Progress(out, "service cases", max(cases, 1))
        applications, picks = [], []
        now = timezone.now()
        for n in range(cases):
            state = rng.choices([s for s, _w in states], [w for _s, w in states])[0]
            submitted = now - dt.timedelta(days=rng.randint(1, 365), minutes=rng.randint(0, 600))
            accepted = None if state == ApplicationState.SUBMITTED else submitted
            deadline = accepted + dt.timedelta(days=7) if accepted else None
            decided = (
                accepted + dt.timedelta(days=rng.randint(1, 9))
                if state
                in (ApplicationState.CLOSED, ApplicationState.APPROVED, ApplicationState.REJECTED)
                else None
            )
            applications.append(
                Application(
                    number=f"GXG{first + n + 1:09d}",
                    enterprise=rng.choice(enterprises),
                    channel=rng.choice(["online", "window", "agent"]),
                    applicant=clerk,
                    state=state,
                    submitted_at=submitted,
                    accepted_at=accepted,
                    limit_minutes=limit if accepted else None,
                    deadline=deadline,
                    decided_at=decided,
                    closed_at=decided if state == ApplicationState.CLOSED else None,
                    window=rng.choice(windows) if accepted else None,
                )
            )
            picks.append(rng.choice(items))
            progress.advance(1)
        Application.objects.bulk_create(applications, batch_size=BATCH)
        progress.close()
        saved = applications  # bulk_create sets the keys on PostgreSQL and SQLite 3.35+
        through = Application.items.through
        through.objects.bulk_create(
            [through(application=a, serviceitem=i) for a, i in zip(saved, picks, strict=True)],
            batch_size=BATCH,
        )
        reviews, ratings = [], []
        for application, item in zip(saved, picks, strict=True):
            if application.accepted_at is None:
                continue
            decided = application.decided_at is not None
            reviews.append(
                Review(
                    application=application,
                    department=item.department,
                    deadline=application.deadline,
                    state=("rejected" if application.state == "rejected" else "approved")
                    if decided
                    else "pending",
                    decided_at=application.decided_at,
                )
            )
            if application.state == ApplicationState.CLOSED and rng.random() < 0.8:
                level = rng.choices([5, 4, 3, 2, 1], [60, 25, 10, 3, 2])[0]
                ratings.append(
                    Rating(
                        application=application,
                        level=level,
                        reasons="办理慢" if level <= 2 else "",
                        defaulted=rng.random() < 0.3,
                        rated_at=application.closed_at + dt.timedelta(days=1),
                    )
                )
        Review.objects.bulk_create(reviews, batch_size=BATCH)
        Rating.objects.bulk_create(ratings, batch_size=BATCH)
        slots = []
        for window in windows:
            day = today - dt.timedelta(days=75)
            while day <= today + dt.timedelta(days=14):
                if day.weekday() < 5:
                    for hour in (9, 10, 11, 14, 15, 16):
                        start = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
                        slots.append(
                            Slot(
                                window=window,
                                starts_at=start,
                                ends_at=start + dt.timedelta(minutes=30),
                                capacity=4,
                                booked=rng.randint(0, 4),
                            )
                        )
                day += dt.timedelta(days=1)
        Slot.objects.bulk_create(slots, batch_size=BATCH, ignore_conflicts=True)
        stored = Slot.objects.filter(window__in=windows, booked__gt=0).select_related("window")
        appointments = []
        for slot in stored.iterator():
            # One place per enterprise in a slot (the booking's unique constraint).
            takers = rng.sample(enterprises, min(slot.booked, len(enterprises)))
            for k, taker in enumerate(takers):
                state = (
                    AppointmentState.BOOKED
                    if slot.starts_at > now
                    else rng.choice([AppointmentState.CHECKED_IN, AppointmentState.NO_SHOW])
                )
                appointments.append(
                    Appointment(
                        number=f"YYG{slot.pk:08d}{k}",
                        slot=slot,
                        enterprise=taker,
                        item=items[slot.pk % len(items)],
                        booked_by=clerk,
                        state=state,
                    )
                )
        Appointment.objects.bulk_create(appointments, batch_size=BATCH, ignore_conflicts=True)
        return {
            "applications": cases,
            "reviews": len(reviews),
            "ratings": len(ratings),
            "slots": len(slots),
            "appointments": len(appointments),
        }

    def _space_and_talent(self, rng, today, enterprises, *, count: int):
        """Buildings with units (about two in three let, without overlaps), and talents with
        valid ID numbers arriving over the past two years, some in teams."""
        kinds = ["factory", "office", "incubator", "talent_apartment"]
        start = Building.objects.count()
        buildings = Building.objects.bulk_create(
            [
                Building(name=f"生成楼宇{start + n:05d}", kind=kinds[n % len(kinds)])
                for n in range(max(count // 20, 4))
            ]
        )
        units = Unit.objects.bulk_create(
            [
                Unit(
                    building=b,
                    number=f"{k:03d}",
                    area_m2=Decimal(rng.choice([80, 300, 1200, 2400])),
                    power_kva=rng.choice([None, 400, 800]),
                )
                for b in buildings
                for k in range(20)
            ],
            batch_size=BATCH,
        )
        leases = [
            Lease(
                unit=u,
                enterprise=rng.choice(enterprises),
                starts_on=today - dt.timedelta(days=rng.randint(30, 900)),
                ends_on=today + dt.timedelta(days=rng.randint(-20, 1000)),
                rent_m2_month=Decimal(rng.randint(0, 40)),
            )
            for u in units
            if rng.random() < 0.66
        ]
        Lease.objects.bulk_create(leases, batch_size=BATCH)
        first = Talent.objects.count()
        talents = []
        for n in range(count):
            body = f"3701{(first + n) % 100:02d}{1970 + n % 30}{1 + n % 12:02d}{1 + n % 28:02d}"
            body += f"{(first + n) // 100 % 1000:03d}"
            talents.append(
                Talent(
                    name=f"人才{first + n:06d}",
                    id_number=body + ric.calc_check_digit(body + "0"),
                    enterprise=rng.choice(enterprises),
                    arrived_on=today - dt.timedelta(days=rng.randint(0, 730)),
                )
            )
        Talent.objects.bulk_create(talents, batch_size=BATCH, ignore_conflicts=True)
        leaders = list(Talent.objects.order_by("-pk")[: max(count // 10, 1)])
        teams = Team.objects.bulk_create(
            [
                Team(
                    name=f"生成团队{t.pk}",
                    kind=rng.choice(["startup_team", "innovation_team"]),
                    enterprise=t.enterprise,
                    leader=t,
                    arrived_on=t.arrived_on,
                )
                for t in leaders
            ]
        )
        Team.members.through.objects.bulk_create(
            [Team.members.through(team=team, talent=team.leader) for team in teams]
        )
        return {"leases": len(leases), "talents": len(talents)}

    @staticmethod
    def _history(rng, on, today):
        """A legal path from lead or negotiation, stopping at today; some are dropped."""
        index = 0 if rng.random() < 0.4 else 1
        steps = [(FLOW[index], on)]
        while index < len(FLOW) - 1:
            on = on + dt.timedelta(days=rng.randint(20, 240))
            if on > today:
                break
            if rng.random() < 0.08:
                steps.append((Stage.DROPPED, on))
                break
            if rng.random() < 0.12:
                break
            index += 1
            if FLOW[index] == Stage.REGISTERED and rng.random() < 0.2:
                index += 1  # an expansion: signed straight to construction
            steps.append((FLOW[index], on))
        return steps


class _Silent:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass
