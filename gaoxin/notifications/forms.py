from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import User
from gaoxin.notifications import routing
from gaoxin.notifications.models import (
    PERSONAL_CHANNELS,
    ROBOT_CHANNELS,
    Channel,
    EventType,
    RobotWebhook,
)

MOBILE = re.compile(r"^1[3-9]\d{9}$")


def offered_channels() -> list[tuple[str, str]]:
    return [
        (c.value, c.label)
        for c in Channel
        if c in PERSONAL_CHANNELS and routing.channel_configured(c)
    ]


class PreferenceForm(forms.Form):
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    wecom_user_id = forms.CharField(label=_("WeCom user id"), max_length=64, required=False)
    dingtalk_user_id = forms.CharField(label=_("DingTalk user id"), max_length=64, required=False)
    quiet_start = forms.TimeField(label=_("Quiet hours from"), required=False)
    quiet_end = forms.TimeField(label=_("Quiet hours until"), required=False)

    def __init__(self, *args, rules: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = rules
        offered = offered_channels()
        for rule in rules:
            if rule.mandatory:
                continue
            self.fields[f"event_{rule.event_type}"] = forms.MultipleChoiceField(
                label=EventType(rule.event_type).label,
                choices=offered,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    def event_fields(self):
        return [self[name] for name in self.fields if name.startswith("event_")]

    def clean_phone(self):
        phone = re.sub(r"[\s-]", "", self.cleaned_data["phone"])
        if phone and not MOBILE.match(phone):
            raise forms.ValidationError(_("Enter an 11-digit mainland mobile number."))
        return phone

    def clean(self):
        data = super().clean()
        if bool(data.get("quiet_start")) != bool(data.get("quiet_end")):
            raise forms.ValidationError(
                _("Give both ends of the quiet hours, or neither (the platform's default).")
            )
        data["choices"] = {
            name.removeprefix("event_"): value
            for name, value in data.items()
            if name.startswith("event_")
        }
        return data


class TestSendForm(forms.Form):
    channel = forms.ChoiceField(label=_("Delivery channel"))
    user = forms.ModelChoiceField(
        label=_("Recipient"),
        queryset=User.objects.filter(is_active=True).order_by("username"),
        required=False,
        help_text=_("For a person's channel; yourself when left empty."),
    )
    webhook = forms.ModelChoiceField(
        label=_("Group robot"),
        queryset=RobotWebhook.objects.filter(is_active=True),
        required=False,
    )

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.by = by
        self.fields["channel"].choices = [
            (c.value, c.label) for c in Channel if c != Channel.IN_APP
        ]

    def clean(self):
        data = super().clean()
        channel = data.get("channel")
        if not channel:
            return data
        if channel in ROBOT_CHANNELS:
            hook = data.get("webhook")
            if hook is None:
                self.add_error("webhook", _("Choose the group robot to test."))
            elif hook.kind != channel:
                self.add_error("webhook", _("This robot belongs to another chat platform."))
            return data
        if not routing.channel_configured(channel):
            self.add_error(
                "channel",
                _("This channel is not set up on this server (see docs/deployment.md)."),
            )
            return data
        user = data.get("user") or self.by
        preference = routing.preference_of(user)
        if not routing.address_of(user, channel, preference):
            self.add_error(
                "user",
                _("%(user)s has no address for this channel on their profile.") % {"user": user},
            )
        data["user"] = user
        return data
