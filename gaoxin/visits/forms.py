from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Department
from gaoxin.dispatch.models import AppealCategory
from gaoxin.visits.models import VisitKind

__all__ = ["PlanForm", "VisitForm"]


class VisitForm(forms.Form):
    """A visit's record; an appeal it raised is filled in below (optional)."""

    enterprise = forms.IntegerField(widget=forms.HiddenInput)
    visited_on = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Give the date."), "invalid": _("Give a date.")},
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=VisitKind.choices)
    met = forms.CharField(label=_("People met"), max_length=200, required=False)
    notes = forms.CharField(
        label=_("What was discussed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write what was discussed.")},
    )
    appeal_title = forms.CharField(label=_("Appeal raised (title)"), max_length=200, required=False)
    appeal_category = forms.ChoiceField(
        label=_("Appeal category"), choices=[("", "—"), *AppealCategory.choices], required=False
    )
    appeal_description = forms.CharField(
        label=_("Appeal details"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    appeal_department = forms.ModelChoiceField(
        label=_("Assign the appeal to"),
        queryset=Department.objects.filter(is_active=True),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("appeal_title"):
            if not data.get("appeal_category"):
                self.add_error("appeal_category", _("Choose the category."))
            if not data.get("appeal_description"):
                self.add_error("appeal_description", _("Describe the appeal."))
        return data

    def appeals(self) -> list[dict]:
        data = self.cleaned_data
        if not data.get("appeal_title"):
            return []
        return [
            {
                "category": data["appeal_category"],
                "title": data["appeal_title"],
                "description": data["appeal_description"],
                "department": data.get("appeal_department"),
            }
        ]


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
