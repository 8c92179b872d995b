"""Forms of agency (代办委托): an enterprise authorises one of the zone's agents."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Role, User
from gaoxin.affairs.forms.fields import RecordField, RecordsField
from gaoxin.affairs.models import AuthorizationScope, ServiceItem
from gaoxin.core.forms import DayField
from gaoxin.projects.models import Project

__all__ = ["AuthorizationForm"]

PERIOD = _("Give the period as two dates.")


class AuthorizationForm(forms.Form):
    enterprise = RecordField(
        label=_("Enterprise"),
        queryset=None,
        error_messages={
            "required": _("Choose the enterprise."),
            "invalid_choice": _("Choose the enterprise."),
        },
    )
    agent = RecordField(
        label=_("Agent"),
        queryset=User.objects.filter(role=Role.AGENT),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the zone's agents.")},
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=AuthorizationScope.choices,
        error_messages={"required": _("Unknown scope."), "invalid_choice": _("Unknown scope.")},
    )
    items = RecordsField(
        label=_("Items"),
        queryset=ServiceItem.objects.active(),
        required=False,
        error_messages={"invalid_choice": _("An item is not in the published catalogue.")},
    )
    project = RecordField(
        label=_("Project"),
        queryset=Project.objects.all(),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the enterprise's projects.")},
    )
    valid_from = DayField(
        label=_("Valid from"), error_messages={"required": PERIOD, "invalid": PERIOD}
    )
    valid_until = DayField(
        label=_("Valid until"), error_messages={"required": PERIOD, "invalid": PERIOD}
    )
    signatory = forms.CharField(label=_("Signed by"), max_length=50, required=False)

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises

    def clean(self):
        data = super().clean()
        # A project is one of the chosen enterprise's; another's is as good as none.
        project, enterprise = data.get("project"), data.get("enterprise")
        if project is not None and (enterprise is None or project.enterprise_id != enterprise.pk):
            data["project"] = None
        return data
