"""Form fields that choose records by id: the id is read through gaoxin.core.params, so a
tampered value ("abc", "１", a number past any key) is "not one of the choices", never a
database error."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from gaoxin.core.params import int_or_none

__all__ = ["RecordField", "RecordsField"]


class RecordField(forms.ModelChoiceField):
    """One record of the field's queryset, by id."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        pk = int_or_none(value)
        if pk is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(pk)


class RecordsField(forms.ModelMultipleChoiceField):
    """Records of the field's queryset, by id; every one must be among them."""

    def _check_values(self, value):
        ids = []
        for raw in value:
            pk = int_or_none(raw)
            if pk is None:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": raw},
                )
            ids.append(pk)
        return super()._check_values(ids)
