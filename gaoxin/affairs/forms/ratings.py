"""Forms of ratings (好差评): the applicant's rating, the department's reply and the return
visit on a bad one."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.affairs.models import RatingLevel

__all__ = ["RatingForm", "RemediationReplyForm", "RemediationVisitForm"]

CHOOSE_LEVEL = _("Choose how satisfied you are.")


class RatingForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Rating"),
        choices=RatingLevel.choices,
        coerce=int,
        error_messages={"required": CHOOSE_LEVEL, "invalid_choice": CHOOSE_LEVEL},
    )
    reasons = forms.CharField(label=_("Reasons"), max_length=2000, required=False)


class RemediationReplyForm(forms.Form):
    reply = forms.CharField(label=_("Reply"), max_length=4000, required=False)


class RemediationVisitForm(forms.Form):
    return_visit = forms.CharField(label=_("Return visit"), max_length=4000, required=False)
