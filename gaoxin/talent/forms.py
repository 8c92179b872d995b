"""One small form per action of the talent pages: the form checks what was typed and says what
is wrong in Chinese next to the field; the services keep the rules (and check again)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Role, User
from gaoxin.core.forms import DayField
from gaoxin.core.params import required_date, required_decimal
from gaoxin.enterprises.models import Enterprise
from gaoxin.talent.idnumbers import is_valid
from gaoxin.talent.models import Talent, TalentKind, Team

__all__ = [
    "ApplicationForm",
    "BatchForm",
    "InstalmentPayForm",
    "ScoreForm",
    "ServiceLogForm",
    "SubsidyForm",
    "TalentForm",
    "TeamForm",
]

TEAM_KINDS = [
    (k, TalentKind(k).label) for k in (TalentKind.STARTUP_TEAM, TalentKind.INNOVATION_TEAM)
]


def _enterprises():
    return Enterprise.objects.order_by("name")


def _talents():
    return Talent.objects.order_by("name")


class TalentChoiceField(forms.ModelChoiceField):
    """A talent is offered by name and masked ID number, never the whole number."""

    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.id_masked}"


class TalentsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.id_masked}"


class TalentForm(forms.Form):
    """Registering a talent (talent staff)."""

    name = forms.CharField(
        label=_("Name"), max_length=50, error_messages={"required": _("Give the name.")}
    )
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        widget=forms.TextInput(attrs={"autocomplete": "off", "maxlength": 18}),
        error_messages={"required": _("Not a valid resident ID number (check the digits).")},
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    education = forms.CharField(label=_("Education"), max_length=30, required=False)
    field = forms.CharField(label=_("Field"), max_length=100, required=False)
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"), queryset=_enterprises(), required=False
    )
    arrived_on = DayField(label=_("Arrived on"))

    def clean_id_number(self):
        value = self.cleaned_data["id_number"]
        if not is_valid(value):
            raise ValidationError(_("Not a valid resident ID number (check the digits)."))
        return value.strip().upper()


class TeamForm(forms.Form):
    """Registering a startup or innovation team with its leader and members."""

    name = forms.CharField(
        label=_("Name"), max_length=100, error_messages={"required": _("Give the name.")}
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=TEAM_KINDS,
        error_messages={"invalid_choice": _("A team is a startup or an innovation team.")},
    )
    enterprise = forms.ModelChoiceField(label=_("Enterprise it joins"), queryset=_enterprises())
    leader = TalentChoiceField(
        label=_("leader"),
        queryset=_talents(),
        error_messages={"required": _("Name the team's leader.")},
    )
    members = TalentsChoiceField(
        label=_("members"),
        queryset=_talents(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    arrived_on = DayField(label=_("Arrived on"))


class BatchForm(forms.Form):
    """Opening a call: a batch with its review panel."""

    name = forms.CharField(
        label=_("Name"), max_length=100, error_messages={"required": _("Give the batch's name.")}
    )
    closes_on = DayField(label=_("applications close on"))
    pass_score = forms.IntegerField(
        label=_("pass score"),
        required=False,
        initial=75,
        min_value=1,
        max_value=100,
        error_messages={
            "invalid": _("The pass score lies between 1 and 100."),
            "min_value": _("The pass score lies between 1 and 100."),
            "max_value": _("The pass score lies between 1 and 100."),
        },
    )
    panel = forms.ModelMultipleChoiceField(
        label=_("review panel"),
        queryset=User.objects.filter(is_active=True)
        .exclude(role=Role.ENTERPRISE)
        .order_by("username"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        error_messages={"required": _("A review panel has at least three experts.")},
    )

    def clean_pass_score(self):
        return self.cleaned_data["pass_score"] or 75


class ApplicationForm(forms.Form):
    """An application to a batch's call: an innovative talent as a person, a team as a team."""

    kind = forms.ChoiceField(label=_("category"), choices=TalentKind.choices)
    talent = forms.ModelChoiceField(label=_("talent"), queryset=_talents(), required=False)
    team = forms.ModelChoiceField(
        label=_("team"), queryset=Team.objects.order_by("name"), required=False
    )
    summary = forms.CharField(
        label=_("what they bring"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say what they bring.")},
    )

    def clean(self):
        data = super().clean()
        # Only the one that fits the category counts; the service checks it was given.
        if data.get("kind") == TalentKind.INNOVATIVE_TALENT:
            data["team"] = None
        else:
            data["talent"] = None
        return data


_SCORE = _("A score lies between 0 and 100.")


class ScoreForm(forms.Form):
    score = forms.IntegerField(
        label=_("score"),
        min_value=0,
        max_value=100,
        error_messages={
            "required": _SCORE,
            "invalid": _SCORE,
            "min_value": _SCORE,
            "max_value": _SCORE,
        },
    )
    opinion = forms.CharField(label=_("opinion"), required=False)


class ServiceLogForm(forms.Form):
    on = DayField(label=_("Date"))
    note = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write what was done.")},
    )


class InstalmentPayForm(forms.Form):
    paid_on = DayField(label=_("paid on"))


class SubsidyForm(forms.Form):
    """A subsidy and its instalments: rows of a due date and an amount (empty rows skipped)."""

    total = forms.DecimalField(
        label=_("total (10k CNY)"),
        max_digits=10,
        decimal_places=2,
        error_messages={
            "required": _("Give the subsidy and its instalments."),
            "invalid": _("Give the amount as a number."),
        },
    )
    # The rows arrive as lists under one name each (due_on, amount).
    due_on = forms.Field(required=False, widget=forms.MultipleHiddenInput)
    amount = forms.Field(required=False, widget=forms.MultipleHiddenInput)

    def clean(self):
        data = super().clean()
        rows = []
        for day, amount in zip(data.get("due_on") or [], data.get("amount") or [], strict=False):
            if not (day or amount):
                continue
            try:
                rows.append((required_date(day), required_decimal(amount)))
            except ValidationError as error:
                self.add_error(None, error)
                return data
        data["instalments"] = rows
        return data
