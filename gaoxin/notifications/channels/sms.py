"""What both SMS providers send: the event's approved template and its one variable."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gaoxin.notifications.channels.base import PermanentError
from gaoxin.notifications.routing import rule_for


def sms_template(delivery) -> str:
    template = rule_for(delivery.event_type).sms_template
    if not template:
        raise PermanentError(
            _(
                "no SMS template code for event type %(event)s "
                "(admin: Event rules, or SMS_TEMPLATES)"
            )
            % {"event": delivery.event_type}
        )
    return template


def sms_variables(delivery) -> dict:
    # Providers limit a variable to a few dozen characters; the title is what matters.
    return {"title": delivery.title[:30]}
