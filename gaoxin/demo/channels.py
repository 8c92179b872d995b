"""The demo's notification channels (#19): per-event default rules and group robots, so their
admin pages are not empty. The robots are switched off and point at the reserved ``.invalid``
domain: nothing the demo does reaches the internet."""

from __future__ import annotations

from django.db import transaction

from gaoxin.accounts.models import Department
from gaoxin.core import audit
from gaoxin.core.models import AuditAction
from gaoxin.dispatch.models import KeyProject
from gaoxin.notifications.models import Channel, EventRule, EventType, RobotWebhook
from gaoxin.notifications.routing import DEFAULT_RULES

# Saved as an administrator would: the defaults for escalations and the monthly light list,
# the list also announced to the group robots.
RULES = [EventType.ESCALATION, EventType.LIGHT_LIST]
NO_INTERNET = "https://robot.invalid/cgi-bin/webhook/send?key=DEMO-ONLY"


@transaction.atomic
def seed_channels(*, admin) -> int:
    """Create the rules and robots unless there are some; how many were created."""
    if EventRule.objects.exists() or RobotWebhook.objects.exists():
        return 0
    made = []
    for event_type in RULES:
        default = DEFAULT_RULES[event_type]
        made.append(
            EventRule.objects.create(
                event_type=event_type,
                channels=[str(c) for c in default["channels"]],
                mandatory=default.get("mandatory", False),
                urgent=default.get("urgent", False),
                to_robots=True,
            )
        )
    key_project = (
        KeyProject.objects.filter(project__stage="under_construction")
        .select_related("project")
        .order_by("year", "pk")
        .last()
    )
    if key_project is not None:
        made.append(
            RobotWebhook.objects.create(
                name=f"{key_project.project.name}工作专班群机器人",
                kind=Channel.WECOM_ROBOT,
                key_project=key_project,
                url=NO_INTERNET,
                event_types=[EventType.ESCALATION, EventType.LIGHT_LIST, EventType.REMINDER],
                is_active=False,
            )
        )
    investment = Department.objects.filter(code="investment").first()
    if investment is not None:
        made.append(
            RobotWebhook.objects.create(
                name="投资促进局工作群机器人",
                kind=Channel.DINGTALK_ROBOT,
                department=investment,
                url=NO_INTERNET,
                event_types=[EventType.LIGHT_LIST],
                is_active=False,
            )
        )
    for obj in made:
        audit.record(action=AuditAction.CREATE, obj=obj, by=admin, after=audit.snapshot(obj))
    return len(made)
