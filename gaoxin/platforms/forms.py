"""One small form per action of the platform and event pages: the form checks what was typed
and says what is wrong in Chinese next to the field; the services keep the rules."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Department
from gaoxin.core.forms import DayField
from gaoxin.enterprises.models import Enterprise
from gaoxin.platforms.models import EventKind, PlatformKind
from gaoxin.projects.models import Project
from gaoxin.projects.stages import Stage

__all__ = [
    "DealForm",
    "EventForm",
    "ParticipantsForm",
    "PlatformForm",
    "SignExistingForm",
    "SignNewForm",
]

_AMOUNT = _("Give the amount as a number.")


def _enterprises():
    return Enterprise.objects.order_by("name")


class PlatformForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        error_messages={"required": _("Give the platform's name.")},
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=PlatformKind.choices)
    partners = forms.CharField(label=_("Partners"), max_length=300, required=False)
    opened_on = DayField(label=_("Opened on"), required=False)
    services = forms.CharField(
        label=_("Services"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DealForm(forms.Form):
    """A technology transfer deal of the platform with an enterprise."""

    title = forms.CharField(
        label=_("Technology"),
        max_length=200,
        error_messages={"required": _("Name the technology.")},
    )
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=_enterprises())
    amount = forms.DecimalField(
        label=_("amount (10k CNY)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "required": _AMOUNT,
            "invalid": _AMOUNT,
            "min_value": _("The amount cannot be negative."),
        },
    )
    signed_on = DayField(label=_("signed on"))


class EventForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=150, error_messages={"required": _("Give the event's name.")}
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    held_on = DayField(label=_("Held on"))
    venue = forms.CharField(label=_("Venue"), max_length=150, required=False)
    organiser = forms.ModelChoiceField(
        label=_("Organiser"),
        queryset=Department.objects.filter(is_active=True),
        required=False,
        empty_label=None,
    )


class ParticipantsForm(forms.Form):
    enterprises = forms.ModelMultipleChoiceField(
        label=_("Participating enterprises"),
        queryset=_enterprises(),
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )


class SignExistingForm(forms.Form):
    """A project in the register signed on site: a lead or a negotiation the user may see."""

    project = forms.ModelChoiceField(
        label=_("A project in the register (a lead or in negotiation)"), queryset=None
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.restrict(user).order_by("name")

    @staticmethod
    def candidates(user):
        """What the page offers: leads and negotiations not yet signed."""
        return (
            Project.objects.restrict(user)
            .filter(stage__in=(Stage.LEAD, Stage.NEGOTIATING), signing__isnull=True)
            .order_by("name")[:300]
        )


class SignNewForm(forms.Form):
    """A new project registered and signed on the spot."""

    name = forms.CharField(label=_("Project name"), max_length=200, required=False)
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"), queryset=_enterprises(), required=False
    )
    investor = forms.CharField(label=_("Prospective investor"), max_length=200, required=False)
    total_investment = forms.DecimalField(
        label=_("Total investment (10k CNY)"),
        required=False,
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"invalid": _AMOUNT},
    )

    def new_project(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "enterprise": data["enterprise"],
            "prospective_investor": data["investor"],
            "total_investment": data["total_investment"] or Decimal(0),
        }
