"""Field-level visibility of dispatch records: what an outsider (an enterprise user, an agent)
may see of a key project and a problem. The pages and the API both read through these
functions, so the rule lives in one place (the table in docs/security.md).

Zone staff (``dispatch.view_internal``) see everything. An outsider never sees the internal
records: meeting decision tasks, progress reports (and their lateness), supervision notices
(numbers, demands, deadlines, replies), escalations, hand-backs and moves between departments
with their reasons, staff notes (the key project's and milestones' notes, notes on working
steps), the service matters' working log, and the parts of a light that come from them.
"""

from __future__ import annotations

from dataclasses import dataclass

from gaoxin.dispatch import selectors
from gaoxin.dispatch.models import INTERNAL_STEP_KINDS, ProblemState

# Steps whose note is addressed to the enterprise: how it was resolved, why it was reopened.
PUBLIC_NOTE_STATES = (ProblemState.RESOLVED, ProblemState.REOPENED, ProblemState.CONFIRMED)


def sees_internal(user) -> bool:
    return user.has_perm("dispatch.view_internal")


# --- key projects ------------------------------------------------------------------------------


def key_project_lights(user, queryset, today=None):
    """The lights as the user may see them: for an outsider, computed without the internal
    records (an overdue meeting task or an unanswered notice neither colours the light nor
    appears among the reasons)."""
    return selectors.key_project_lights(queryset, today, internal=sees_internal(user))


def milestones(user, key_project):
    rows = list(key_project.milestones.prefetch_related("depends_on"))
    if not sees_internal(user):
        for milestone in rows:
            milestone.note = ""
    return rows


def key_project_note(user, key_project) -> str:
    return key_project.note if sees_internal(user) else ""


def decision_tasks(user, key_project):
    if not sees_internal(user):
        return []
    return list(key_project.tasks.select_related("owner", "meeting"))


def progress_reports(user, key_project, limit: int = 12):
    if not sees_internal(user):
        return []
    return list(
        key_project.reports.select_related("period", "filed_by").order_by("-period__start")[:limit]
    )


def matter_log(user, matter):
    if not sees_internal(user):
        return []
    return list(matter.actions.select_related("by", "part__department"))


def redact_key_project(user, key_project):
    """The key project object for an API answer: staff notes blanked for an outsider."""
    if not sees_internal(user):
        key_project.note = ""
    return key_project


# --- problems ----------------------------------------------------------------------------------


def problem_steps(user, problem):
    """The problem's log: an outsider sees the state changes (with the resolution and the
    reopening reason), not escalations, hand-backs or moves, nor staff notes on working steps."""
    steps = list(problem.steps.select_related("by", "department"))
    if sees_internal(user):
        # Supervision notices are part of the problem's handling (办理过程), for staff only.
        return sorted(steps + supervision_steps(problem), key=lambda s: s.at)
    shown = []
    for step in steps:
        if step.kind in INTERNAL_STEP_KINDS or step.escalation_level:
            continue
        if step.to_state not in PUBLIC_NOTE_STATES:
            step.note = ""
        shown.append(step)
    return shown


@dataclass
class SupervisionStep:
    """A supervision notice issued or answered, as a line of the problem's timeline."""

    at: object
    by: object
    kind: str  # "supervision_issued" | "supervision_replied"
    notice: object
    note: str = ""
    escalation_level: int = 0
    from_state: str = ""


def supervision_steps(problem) -> list[SupervisionStep]:
    steps = []
    for notice in problem.supervisions.select_related("issued_by", "replied_by"):
        steps.append(
            SupervisionStep(
                notice.created_at, notice.issued_by, "supervision_issued", notice, notice.demand
            )
        )
        if notice.replied_at:
            steps.append(
                SupervisionStep(
                    notice.replied_at,
                    notice.replied_by,
                    "supervision_replied",
                    notice,
                    notice.reply,
                )
            )
    return steps


def supervisions(user, problem):
    """Supervision notices of a problem: zone staff only."""
    if not sees_internal(user):
        return []
    return list(problem.supervisions.select_related("issued_by"))
