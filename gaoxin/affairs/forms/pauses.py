"""Forms of the clocks standing still and running on: supplements supplied, an exclusion
(hearing, testing …) started and finished, an extension approved."""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gaoxin.affairs.forms.fields import RecordField
from gaoxin.affairs.models import Application, ExclusionKind
from gaoxin.affairs.services import MAX_EXTENSION_DAYS

__all__ = ["ExclusionEndForm", "ExclusionForm", "ExtensionForm", "SupplyForm"]


class SupplyForm(forms.Form):
    request = RecordField(
        label=_("Supplement request"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": _("Nothing has been asked for.")},
    )
    note = forms.CharField(label=_("What you supply"), max_length=500, required=False)

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request"].queryset = application.supplements.filter(supplied_at__isnull=True)


class ExclusionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Stop the clock for"),
        choices=ExclusionKind.choices,
        error_messages={"required": _("Unknown kind."), "invalid_choice": _("Unknown kind.")},
    )
    written_notice = forms.CharField(
        label=_("Written notice to the applicant"),
        max_length=4000,
        error_messages={"required": _("The applicant is told in writing; write the notice.")},
    )


class ExclusionEndForm(forms.Form):
    period = RecordField(
        label=_("Period"),
        queryset=None,
        error_messages={
            "required": _("This period has ended already."),
            "invalid_choice": _("This period has ended already."),
        },
    )

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = application.exclusions.filter(ended_at__isnull=True)


def _extension_range() -> str:
    return gettext("Extend by 1 to %(n)d working days.") % {"n": MAX_EXTENSION_DAYS}


EXTENSION_RANGE = lazy(_extension_range, str)()


class ExtensionForm(forms.Form):
    days = forms.IntegerField(
        label=_("Extend by (working days)"),
        min_value=1,
        max_value=MAX_EXTENSION_DAYS,
        error_messages={
            "required": EXTENSION_RANGE,
            "invalid": EXTENSION_RANGE,
            "min_value": EXTENSION_RANGE,
            "max_value": EXTENSION_RANGE,
        },
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=4000, error_messages={"required": _("Give the reason.")}
    )
