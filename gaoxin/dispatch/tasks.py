"""The scheduler finds each app's periodic jobs in its ``tasks`` module
(``autodiscover_modules("tasks")``); dispatch's are in jobs.py. Importing them here registers
them, and tasks queued under their old path (gaoxin.dispatch.tasks.<name>) still resolve."""

from gaoxin.dispatch.jobs import (
    escalate_overdue_problems,
    publish_last_month_light_list,
    recompute_uncertain_problem_deadlines,
    send_dispatch_reminders,
)

__all__ = [
    "escalate_overdue_problems",
    "publish_last_month_light_list",
    "recompute_uncertain_problem_deadlines",
    "send_dispatch_reminders",
]
