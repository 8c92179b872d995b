"""Forms of the window's intake: accept (with missing waivable materials and the signed
commitment, 容缺受理), refuse (不予受理), the one supplement notice (一次性告知)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.affairs.forms.fields import RecordsField
from gaoxin.affairs.forms.filing import NOT_THESE_ITEMS, case_materials
from gaoxin.affairs.models import Application
from gaoxin.core.forms import DayField

__all__ = ["AcceptForm", "IntakeSupplementForm", "RefuseForm"]


class AcceptForm(forms.Form):
    missing = RecordsField(
        label=_("Missing waivable materials"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": NOT_THESE_ITEMS},
    )
    due_on = DayField(label=_("To be supplied by"), required=False)
    signatory = forms.CharField(label=_("Commitment signed by"), max_length=50, required=False)

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["missing"].queryset = case_materials(application)


class RefuseForm(forms.Form):
    reasons = forms.CharField(
        label=_("Reasons for refusing to accept (不予受理)"),
        max_length=4000,
        error_messages={"required": _("Give the reasons.")},
    )


class IntakeSupplementForm(forms.Form):
    what = forms.CharField(
        label=_("Everything missing or wrong, at once (一次性告知)"),
        max_length=4000,
        error_messages={"required": _("List everything that is missing or wrong.")},
    )
