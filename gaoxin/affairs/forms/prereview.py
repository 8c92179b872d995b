"""Forms of pre-review (预审): the request, a department's opinion, the lead's conclusion."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.affairs.forms.fields import RecordField, RecordsField

__all__ = ["ConclusionForm", "OpinionForm", "PreReviewForm"]


class PreReviewForm(forms.Form):
    enterprise = RecordField(
        label=_("Enterprise"),
        queryset=None,
        error_messages={
            "required": _("Choose the enterprise."),
            "invalid_choice": _("Choose the enterprise."),
        },
    )
    items = RecordsField(
        label=_("Items"),
        queryset=None,
        error_messages={
            "required": _("Choose at least one service item."),
            "invalid_choice": _("An item is not in the published catalogue."),
        },
    )
    departments = RecordsField(label=_("Consulted departments"), queryset=None, required=False)
    question = forms.CharField(
        label=_("The plan and the question"),
        max_length=4000,
        error_messages={"required": _("Describe the plan and the question.")},
    )

    def __init__(self, *args, enterprises, items, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.fields["items"].queryset = items
        self.fields["departments"].queryset = departments


class OpinionForm(forms.Form):
    opinion = forms.CharField(
        label=_("Opinion"), max_length=4000, error_messages={"required": _("Write the opinion.")}
    )


class ConclusionForm(forms.Form):
    conclusion = forms.CharField(
        label=_("Conclusion"),
        max_length=4000,
        error_messages={"required": _("Write the conclusion.")},
    )
