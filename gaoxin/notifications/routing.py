"""Who gets what, where: event types, default channels, choices, quiet hours, group robots.

Services call ``core.notifications.notify(user=, key=, …)``; the event type is given by the
caller (``event=``) or read from the notification key's shape, so call sites that predate
the outbox need no change.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from gaoxin.notifications.models import (
    PERSONAL_CHANNELS,
    Channel,
    EventRule,
    EventType,
    Preference,
    RobotWebhook,
)

# Key shapes used by the services (grep for ``key=`` at ``notify(`` calls), first match wins.
KEY_PATTERNS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^problem-\d+-escalation-"), EventType.ESCALATION),
    (re.compile(r"^escalation[:-]"), EventType.ESCALATION),
    (re.compile(r"^supervision-\d+$"), EventType.SUPERVISION),
    (re.compile(r"^case:\d+:commitment-due"), EventType.COMMITMENT_DUE),
    (re.compile(r"^commitment[:-]"), EventType.COMMITMENT_DUE),
    (re.compile(r"^appointment:\d+:remind"), EventType.APPOINTMENT),
    (re.compile(r"^(light-?list|lights)[:-]"), EventType.LIGHT_LIST),
    (re.compile(r"^(case|review|remediation|authorization|bundle):"), EventType.CASE_STEP),
    (
        re.compile(r"^(milestone|matter|task|report|period|decision|handover|supervision)-"),
        EventType.REMINDER,
    ),
]

# What an event type uses until an admin saves its rule (admin: Event rules).
DEFAULT_RULES: dict[str, dict] = {
    EventType.ESCALATION: {
        "channels": [Channel.EMAIL, Channel.SMS, Channel.WECOM, Channel.DINGTALK],
        "mandatory": True,
        "urgent": True,
    },
    EventType.SUPERVISION: {
        "channels": [Channel.EMAIL, Channel.SMS, Channel.WECOM, Channel.DINGTALK],
        "mandatory": True,
        "urgent": False,
    },
    EventType.REMINDER: {"channels": [Channel.EMAIL, Channel.WECOM, Channel.DINGTALK]},
    EventType.CASE_STEP: {"channels": [Channel.EMAIL, Channel.SMS]},
    EventType.APPOINTMENT: {"channels": [Channel.SMS, Channel.EMAIL]},
    EventType.COMMITMENT_DUE: {"channels": [Channel.SMS, Channel.EMAIL], "mandatory": True},
    EventType.LIGHT_LIST: {"channels": [Channel.EMAIL, Channel.WECOM, Channel.DINGTALK]},
    EventType.OTHER: {"channels": [Channel.EMAIL]},
}


def event_type_for(key: str) -> str:
    for pattern, event in KEY_PATTERNS:
        if pattern.search(key):
            return event
    return EventType.OTHER


@dataclass(frozen=True)
class Rule:
    event_type: str
    channels: tuple[str, ...]
    mandatory: bool = False
    urgent: bool = False
    sms_template: str = ""
    to_robots: bool = True


def rule_for(event_type: str) -> Rule:
    stored = EventRule.objects.filter(event_type=event_type).first()
    if stored is not None:
        return Rule(
            event_type=event_type,
            channels=tuple(stored.channels),
            mandatory=stored.mandatory,
            urgent=stored.urgent,
            sms_template=stored.sms_template,
            to_robots=stored.to_robots,
        )
    default = DEFAULT_RULES.get(event_type, DEFAULT_RULES[EventType.OTHER])
    return Rule(
        event_type=event_type,
        channels=tuple(default["channels"]),
        mandatory=default.get("mandatory", False),
        urgent=default.get("urgent", False),
        sms_template=settings.SMS_TEMPLATES.get(event_type, ""),
    )


def channel_configured(channel: str) -> bool:
    """A channel the deployment has set up (the others are not offered or used)."""
    if channel == Channel.IN_APP:
        return True
    if channel == Channel.EMAIL:
        return settings.NOTIFY_BY_EMAIL
    if channel == Channel.SMS:
        return bool(settings.SMS_PROVIDER)
    if channel == Channel.WECOM:
        return bool(settings.WECOM_CORP_ID and settings.WECOM_AGENT_ID)
    if channel == Channel.DINGTALK:
        return bool(settings.DINGTALK_APP_KEY and settings.DINGTALK_AGENT_ID)
    return channel in (Channel.WECOM_ROBOT, Channel.DINGTALK_ROBOT)


def preference_of(user) -> Preference | None:
    try:
        return user.notification_preference
    except Preference.DoesNotExist:
        return None


def address_of(user, channel: str, preference: Preference | None) -> str:
    """Where the channel reaches the person ("" when the profile lacks it)."""
    if channel == Channel.EMAIL:
        return user.email or ""
    if channel == Channel.SMS:
        return str(user.phone or "")
    if channel == Channel.WECOM:
        return preference.wecom_user_id if preference else ""
    if channel == Channel.DINGTALK:
        return preference.dingtalk_user_id if preference else ""
    return ""


def channels_for(user, rule: Rule, preference: Preference | None) -> list[str]:
    """The personal channels this person gets this event on: the defaults for mandatory
    events (plus anything the person added), otherwise the person's choice if made."""
    chosen = None
    if preference is not None and rule.event_type in (preference.choices or {}):
        chosen = [c for c in preference.choices[rule.event_type] if c in PERSONAL_CHANNELS]
    if rule.mandatory:
        wanted = list(rule.channels) + [c for c in (chosen or []) if c not in rule.channels]
    else:
        wanted = list(rule.channels) if chosen is None else chosen
    return [
        c
        for c in wanted
        if c in PERSONAL_CHANNELS and channel_configured(c) and address_of(user, c, preference)
    ]


def _parse_hhmm(value: str) -> dt.time:
    hours, minutes = value.split(":")
    return dt.time(int(hours), int(minutes))


def quiet_hours(preference: Preference | None) -> tuple[dt.time, dt.time] | None:
    if preference is not None and preference.quiet_start and preference.quiet_end:
        return preference.quiet_start, preference.quiet_end
    if not settings.NOTIFY_QUIET_HOURS:
        return None
    start, end = settings.NOTIFY_QUIET_HOURS
    return _parse_hhmm(start), _parse_hhmm(end)


def quiet_until(now: dt.datetime, hours: tuple[dt.time, dt.time] | None) -> dt.datetime | None:
    """When the quiet period ``now`` falls in ends (local time), or None outside it."""
    if hours is None:
        return None
    start, end = hours
    local = timezone.localtime(now)
    t = local.time()
    inside = (start <= t < end) if start < end else (t >= start or t < end)
    if not inside:
        return None
    day = local.date() if t < end else local.date() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, end), local.tzinfo)


def robots_for(user, event_type: str) -> list[RobotWebhook]:
    """Group robots of the person's department and of the task forces the person is on."""
    hooks = RobotWebhook.objects.filter(is_active=True)
    found = []
    for hook in hooks.filter(department_id=user.department_id) if user.department_id else []:
        found.append(hook)
    for hook in hooks.filter(key_project__task_force__user=user).distinct():
        found.append(hook)
    return [h for h in found if not h.event_types or event_type in h.event_types]
