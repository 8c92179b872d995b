"""Forms of windows and appointments: a slot opened outside office hours, a booking, a move
to another slot."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.affairs.forms.fields import RecordField
from gaoxin.affairs.models import Slot

__all__ = ["BookingForm", "RescheduleForm", "SlotOpenForm"]


class SlotOpenForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        error_messages={
            "required": _("Give the start as date and time."),
            "invalid": _("Give the start as date and time."),
        },
    )
    minutes = forms.IntegerField(label=_("Minutes"), required=False)
    capacity = forms.IntegerField(label=_("Places"), required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


CHOOSE_ITEM_AND_TIME = _("Choose the item and a free time.")


class BookingForm(forms.Form):
    item = RecordField(
        label=_("Item"),
        queryset=None,
        error_messages={"required": CHOOSE_ITEM_AND_TIME, "invalid_choice": CHOOSE_ITEM_AND_TIME},
    )
    slot = RecordField(
        label=_("Time"),
        queryset=Slot.objects.all(),
        error_messages={"required": CHOOSE_ITEM_AND_TIME, "invalid_choice": CHOOSE_ITEM_AND_TIME},
    )
    enterprise = RecordField(
        label=_("Enterprise"),
        queryset=None,
        error_messages={
            "required": _("Choose the enterprise."),
            "invalid_choice": _("Choose the enterprise."),
        },
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, items, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["enterprise"].queryset = enterprises


class RescheduleForm(forms.Form):
    slot = RecordField(
        label=_("Time"),
        queryset=Slot.objects.all(),
        error_messages={
            "required": _("Choose a free time."),
            "invalid_choice": _("Choose a free time."),
        },
    )
