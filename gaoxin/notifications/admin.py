from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from gaoxin.core.admin import AuditedModelAdmin
from gaoxin.notifications.models import (
    PERSONAL_CHANNELS,
    Delivery,
    EventRule,
    EventType,
    Preference,
    RobotWebhook,
)


def _check_list(value, allowed, message):
    if not isinstance(value, list) or any(v not in allowed for v in value):
        raise forms.ValidationError(message % {"allowed": ", ".join(allowed)})
    return value


class EventRuleForm(forms.ModelForm):
    class Meta:
        model = EventRule
        fields = ["event_type", "channels", "mandatory", "urgent", "sms_template", "to_robots"]

    def clean_channels(self):
        return _check_list(
            self.cleaned_data["channels"],
            [str(c) for c in PERSONAL_CHANNELS],
            _('Write a list of channels, e.g. ["email", "sms"]; allowed: %(allowed)s.'),
        )


class RobotWebhookForm(forms.ModelForm):
    class Meta:
        model = RobotWebhook
        fields = [
            "name",
            "kind",
            "department",
            "key_project",
            "url",
            "secret",
            "event_types",
            "is_active",
        ]

    def clean_event_types(self):
        return _check_list(
            self.cleaned_data["event_types"],
            EventType.values,
            _("Write a list of event types (empty: all); allowed: %(allowed)s."),
        )

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not str(url).startswith(("https://", "http://")):
            raise forms.ValidationError(_("Enter the robot's webhook address (https://…)."))
        return url

    def clean(self):
        data = super().clean()
        if not data.get("department") and not data.get("key_project"):
            raise forms.ValidationError(_("Choose the department or the key project's task force."))
        return data


@admin.register(EventRule)
class EventRuleAdmin(AuditedModelAdmin):
    form = EventRuleForm
    list_display = ["event_type", "channels", "mandatory", "urgent", "sms_template", "to_robots"]


@admin.register(RobotWebhook)
class RobotWebhookAdmin(AuditedModelAdmin):
    form = RobotWebhookForm
    list_display = ["name", "kind", "department", "key_project", "is_active"]
    list_filter = ["kind", "is_active"]
    raw_id_fields = ["key_project"]


@admin.register(Preference)
class PreferenceAdmin(AuditedModelAdmin):
    list_display = ["user", "wecom_user_id", "dingtalk_user_id", "quiet_start", "quiet_end"]
    search_fields = ["user__username", "user__full_name", "wecom_user_id", "dingtalk_user_id"]
    raw_id_fields = ["user"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Read-only here: the log with filters and "send again" is /notifications/deliveries/."""

    list_display = ["created_at", "channel", "recipient", "title", "state", "attempts"]
    list_filter = ["channel", "state", "event_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
