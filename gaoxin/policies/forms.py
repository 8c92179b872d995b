from django import forms
from django.utils.translation import gettext_lazy as _

__all__ = ["PayForm"]


class PayForm(forms.Form):
    paid_on = forms.DateField(
        label=_("Paid on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Give the payment date."), "invalid": _("Give a date.")},
    )
