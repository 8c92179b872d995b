"""The pages of key-project dispatch, one module per topic (the names of services/ and
selectors/): problems, key_projects, matters, periods, meetings, lights, assessment, stewards,
ledger, and work (my work, a leader's and a department's page)."""

from gaoxin.dispatch.views.appeals import (
    appeal_evaluate,
    appeal_export,
    appeal_figures,
    appeal_list,
    appeal_raise,
)
from gaoxin.dispatch.views.assessment import (
    assessment,
    assessment_records,
    assessment_weights,
)
from gaoxin.dispatch.views.key_projects import (
    key_project_detail,
    key_project_edit,
    key_project_list,
    key_project_remove,
    milestone_record,
    plan_from_template,
    reconcile,
    task_force_add,
    task_force_remove,
)
from gaoxin.dispatch.views.ledger import (
    ledger,
    ledger_project,
)
from gaoxin.dispatch.views.lights import (
    light_board,
    light_settings,
    lights_monthly,
)
from gaoxin.dispatch.views.matters import (
    matter_act,
    matter_add,
    matter_detail,
)
from gaoxin.dispatch.views.meetings import (
    meeting_add,
    meeting_detail,
    meeting_list,
    task_done,
)
from gaoxin.dispatch.views.periods import (
    period_detail,
    period_list,
    report_file,
)
from gaoxin.dispatch.views.problems import (
    ACTIONS,
    problem_detail,
    problem_hand_back,
    problem_list,
    problem_move,
    problem_raise,
    problem_reassign,
    supervision_detail,
    supervision_issue,
    supervision_reply,
)
from gaoxin.dispatch.views.stewards import (
    stewardship,
)
from gaoxin.dispatch.views.work import (
    department_page,
    leader_page,
    my_work,
)

__all__ = [
    "ACTIONS",
    "appeal_evaluate",
    "appeal_export",
    "appeal_figures",
    "appeal_list",
    "appeal_raise",
    "assessment",
    "assessment_records",
    "assessment_weights",
    "department_page",
    "key_project_detail",
    "key_project_edit",
    "key_project_list",
    "key_project_remove",
    "leader_page",
    "ledger",
    "ledger_project",
    "light_board",
    "light_settings",
    "lights_monthly",
    "matter_act",
    "matter_add",
    "matter_detail",
    "meeting_add",
    "meeting_detail",
    "meeting_list",
    "milestone_record",
    "my_work",
    "period_detail",
    "period_list",
    "plan_from_template",
    "problem_detail",
    "problem_hand_back",
    "problem_list",
    "problem_move",
    "problem_raise",
    "problem_reassign",
    "reconcile",
    "report_file",
    "stewardship",
    "supervision_detail",
    "supervision_issue",
    "supervision_reply",
    "task_done",
    "task_force_add",
    "task_force_remove",
]
