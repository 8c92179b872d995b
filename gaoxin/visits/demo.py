"""Demo visits and appeals: liaison officers' visits this year (one raising an appeal), appeals
from the portal and the 12345 hotline in every state, one rated unsatisfied and reopened."""

from __future__ import annotations

import datetime as dt

from gaoxin.accounts.models import Department, User
from gaoxin.dispatch.models import AppealChannel, Problem, ProblemState
from gaoxin.dispatch.services import appeal_evaluate, appeal_move, appeal_raise
from gaoxin.enterprises.models import Enterprise
from gaoxin.visits.models import Visit
from gaoxin.visits.services import plan_generate, visit_record

__all__ = ["seed_visits"]


def seed_visits(*, admin, today: dt.date) -> int:
    if Visit.objects.exists():
        return 0
    staff = User.objects.get(username="staff")
    steward = User.objects.get(username="steward")
    for liaison in (staff, steward):
        plan_generate(liaison=liaison, year=today.year, by=admin)
    enterprises = list(Enterprise.objects.filter(liaison__isnull=False).order_by("pk"))
    economy = Department.objects.filter(code="economy").first()
    planning = Department.objects.filter(code="planning").first()
    talent = Department.objects.filter(code="talent").first()
    for n, enterprise in enumerate(enterprises[:6]):
        visit_record(
            enterprise=enterprise,
            by=enterprise.liaison,
            visited_on=today - dt.timedelta(days=10 + 25 * n),
            kind="on_site" if n % 2 == 0 else "phone",
            met="总经理",
            notes="了解生产经营情况、扩产计划和用工需求。",
            appeals=[
                {
                    "category": "land",
                    "title": "二期扩产需新增用地约30亩",
                    "description": "二期产线明年投产，需在园区内新增工业用地。",
                    "department": planning,
                }
            ]
            if n == 0
            else [],
        )
    haisheng = Enterprise.objects.filter(name__contains="海声尼克").first()
    ent_user = User.objects.filter(enterprise=haisheng).first()
    officer = User.objects.filter(department=economy, role="staff").first() if economy else None
    if haisheng and ent_user and officer:
        answered = appeal_raise(
            enterprise=haisheng,
            by=ent_user,
            category="utilities",
            title="新厂房需增容至2000千伏安",
            description="二期产线下月试产，现有变压器容量不足。",
            department=economy,
        )
        appeal_move(appeal=answered, to_state=ProblemState.ACCEPTED, by=officer, limit_days=5)
        appeal_move(
            appeal=answered,
            to_state=ProblemState.RESOLVED,
            by=officer,
            note="已协调供电公司，增容工程本月底完工。",
        )
        appeal_evaluate(appeal=answered, by=ent_user, satisfied=True)
        policy = appeal_raise(
            enterprise=haisheng,
            by=ent_user,
            category="policy",
            title="研发费用补助何时兑现",
            description="去年研发投入已报统计，想了解补助拨付时间。",
            policy_feedback=True,
            department=economy,
        )
        appeal_move(appeal=policy, to_state=ProblemState.ACCEPTED, by=officer, limit_days=3)
    if enterprises and talent:
        appeal_raise(
            enterprise=enterprises[-1],
            by=staff,
            category="talent",
            title="博士人才公寓申请进度",
            description="12345热线转办：企业引进的两名博士申请人才公寓。",
            channel=AppealChannel.HOTLINE,
            hotline_number=f"12345-{today:%Y%m%d}-0137",
            department=talent,
        )
    return Problem.objects.filter(project__isnull=True).count()
