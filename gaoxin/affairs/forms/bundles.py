"""Forms of bundles (一件事): filing a bundle for an enterprise."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.affairs.forms.fields import RecordField

__all__ = ["BundleFileForm"]


class BundleFileForm(forms.Form):
    enterprise = RecordField(
        label=_("Enterprise"),
        queryset=None,
        error_messages={
            "required": _("Choose the enterprise."),
            "invalid_choice": _("Choose the enterprise."),
        },
    )

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
