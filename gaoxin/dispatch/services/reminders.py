"""Due-soon and overdue reminders for everything dispatch tracks, each told once."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.notifications import notify
from gaoxin.dispatch import lights, selectors
from gaoxin.dispatch.lights import RED, YELLOW
from gaoxin.dispatch.models import (
    DecisionTask,
    DispatchPeriod,
    MatterState,
    Milestone,
    ServiceMatter,
    Supervision,
)

__all__ = [
    "send_reminders",
]


def send_reminders(today: dt.date | None = None) -> int:
    """Due-soon and overdue notices to the people responsible, for milestones, service matters,
    decision tasks, progress reports and supervision replies. Each (item, state, person) is
    told once, however often the job runs. Returns how many notices were created."""

    today = today or timezone.localdate()
    sent = 0

    def tell(users, key, title, body, link):
        nonlocal sent
        # Reminders name internal records: zone staff only, never an enterprise or an agent.
        staff = {
            u
            for u in users
            if u is not None and u.is_active and u.has_perm("dispatch.view_internal")
        }
        for user in staff:
            if notify(user=user, key=key, title=title, body=body, link=link):
                sent += 1

    def state_of(deadline, done):
        light = lights.deadline_light(deadline, done, today)
        return {RED: "overdue", YELLOW: "due-soon"}.get(light)

    def heads(departments):
        return [d.head for d in departments if d is not None]

    milestones = Milestone.objects.filter(
        actual_end__isnull=True, planned_end__lte=today + dt.timedelta(days=31)
    ).select_related("key_project__project__steward", "key_project__lead_department__head")
    for m in milestones:
        state = state_of(m.planned_end, False)
        if state:
            kp = m.key_project
            tell(
                [kp.lead_department.head, kp.project.steward],
                f"milestone-{m.pk}-{state}",
                _("Milestone “%(name)s” of %(project)s is due %(date)s")
                % {"name": m.name, "project": kp.project.name, "date": m.planned_end},
                "",
                f"/dispatch/key-projects/{kp.pk}/",
            )
    for matter in ServiceMatter.objects.filter(state=MatterState.OPEN).prefetch_related(
        "parts__department__head"
    ):
        state = state_of(matter.deadline, False)
        if state:
            tell(
                heads(p.department for p in matter.parts.all() if not p.done_on),
                f"matter-{matter.pk}-{state}",
                _("Service matter “%(title)s” is due %(date)s")
                % {"title": matter.title, "date": matter.deadline},
                "",
                f"/dispatch/matters/{matter.pk}/",
            )
    for task in DecisionTask.objects.open().select_related("owner"):
        state = state_of(task.deadline, False)
        if state:
            tell(
                [task.owner],
                f"task-{task.pk}-{state}",
                _("Task due %(date)s: %(text)s") % {"date": task.deadline, "text": str(task)},
                task.decision,
                f"/dispatch/meetings/{task.meeting_id}/",
            )
    for period in DispatchPeriod.objects.filter(
        due__gte=today - dt.timedelta(days=31), start__lte=today
    ):
        state = state_of(period.due, False)
        if not state:
            continue
        _reports, missing = selectors.reporting_status(period)
        for kp in missing:
            tell(
                [kp.lead_department.head, kp.project.steward],
                f"report-{period.pk}-{kp.pk}-{state}",
                _("Progress report of %(project)s for %(period)s is due %(date)s")
                % {"project": kp.project.name, "period": period, "date": period.due},
                "",
                f"/dispatch/periods/{period.pk}/",
            )
    for notice in Supervision.objects.filter(replied_at__isnull=True).select_related(
        "problem__department__head"
    ):
        state = {RED: "overdue", YELLOW: "due-soon"}.get(lights.supervision_light(notice, today))
        if state and notice.problem.department:
            tell(
                [notice.problem.department.head],
                f"supervision-{notice.pk}-{state}",
                _("Reply to supervision notice %(n)s is due %(date)s")
                % {"n": notice.number, "date": notice.deadline},
                notice.demand,
                f"/dispatch/supervisions/{notice.pk}/",
            )
    return sent
