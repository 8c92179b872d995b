"""Forms of the decisions on a case: a department's decision in the parallel review, the
committed (容缺) materials handed in and the window's check of them."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.affairs.forms.fields import RecordField
from gaoxin.affairs.models import Application, ReviewState

__all__ = ["CommitmentCheckForm", "CommitmentSupplyForm", "ReviewDecisionForm"]


class ReviewDecisionForm(forms.Form):
    review = RecordField(
        label=_("Review"),
        queryset=None,
        error_messages={
            "required": _("Choose the review."),
            "invalid_choice": _("Choose the review."),
        },
    )
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (s, ReviewState(s).label)
            for s in (ReviewState.APPROVED, ReviewState.REJECTED, ReviewState.SUPPLEMENT)
        ],
        error_messages={
            "required": _("Unknown decision."),
            "invalid_choice": _("Unknown decision."),
        },
    )
    reasons = forms.CharField(label=_("Reasons"), max_length=4000, required=False)

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review"].queryset = application.reviews.all()


class CommitmentSupplyForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class CommitmentCheckForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Verdict"),
        choices=[("accept", _("Accept the materials")), ("return", _("Return with reasons"))],
        error_messages={
            "required": _("Accept the materials or return them with reasons."),
            "invalid_choice": _("Accept the materials or return them with reasons."),
        },
    )
    reasons = forms.CharField(label=_("Reasons for returning"), max_length=2000, required=False)
