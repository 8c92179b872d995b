"""Every write of key-project dispatch, one module per topic: problems (and supervision
notices), key_projects (五个一), matters (1+N), periods (progress reports), meetings (decision
tasks), lights (settings, the monthly list), assessment (weights), stewards, ledger, reminders.
Keyword-only, atomic, permission-checked and audited; views, API, jobs and commands call these."""

# The portal's home pages read a problem's light from here; new code reads
# gaoxin.dispatch.lights.problem_light (the one definition).
from gaoxin.dispatch.lights import problem_light as signal
from gaoxin.dispatch.services.appeals import (
    STAFF_CHANNELS,
    appeal_evaluate,
    appeal_move,
    appeal_raise,
)
from gaoxin.dispatch.services.assessment import (
    assessment_weights_set,
)
from gaoxin.dispatch.services.key_projects import (
    key_project_add,
    key_project_remove,
    key_project_update,
    milestone_record,
    plan_from_template,
    plan_schedule,
    task_force_add,
    task_force_remove,
)
from gaoxin.dispatch.services.ledger import (
    LEDGER_FIELDS,
    ledger_correct,
    ledger_enter,
)
from gaoxin.dispatch.services.lights import (
    light_settings_update,
    publish_light_list,
)
from gaoxin.dispatch.services.matters import (
    matter_act,
    matter_add,
)
from gaoxin.dispatch.services.meetings import (
    decision_add,
    decision_complete,
    meeting_record,
)
from gaoxin.dispatch.services.periods import (
    period_open,
    report_file,
)
from gaoxin.dispatch.services.problems import (
    MAX_LIMIT_DAYS,
    TRANSITIONS,
    ProblemRefused,
    escalate_overdue,
    problem_hand_back,
    problem_move,
    problem_raise,
    problem_reassign,
    recompute_uncertain_deadlines,
    supervision_issue,
    supervision_reply,
)
from gaoxin.dispatch.services.reminders import (
    send_reminders,
)
from gaoxin.dispatch.services.stewards import (
    service_log_add,
    steward_change,
)

__all__ = [
    "LEDGER_FIELDS",
    "MAX_LIMIT_DAYS",
    "STAFF_CHANNELS",
    "TRANSITIONS",
    "ProblemRefused",
    "appeal_evaluate",
    "appeal_move",
    "appeal_raise",
    "assessment_weights_set",
    "decision_add",
    "decision_complete",
    "escalate_overdue",
    "key_project_add",
    "key_project_remove",
    "key_project_update",
    "ledger_correct",
    "ledger_enter",
    "light_settings_update",
    "matter_act",
    "matter_add",
    "meeting_record",
    "milestone_record",
    "period_open",
    "plan_from_template",
    "plan_schedule",
    "problem_hand_back",
    "problem_move",
    "problem_raise",
    "problem_reassign",
    "publish_light_list",
    "recompute_uncertain_deadlines",
    "report_file",
    "send_reminders",
    "service_log_add",
    "signal",
    "steward_change",
    "supervision_issue",
    "supervision_reply",
    "task_force_add",
    "task_force_remove",
]
