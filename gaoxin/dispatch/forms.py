from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Department
from gaoxin.dispatch.models import Problem


class ProblemForm(forms.ModelForm):
    class Meta:
        model = Problem
        fields = ["kind", "title", "description", "department"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        labels = {"department": _("Department that should handle it (if known)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(is_active=True)


class MoveForm(forms.Form):
    to_state = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    department = forms.ModelChoiceField(
        label=_("Department"), required=False, queryset=Department.objects.filter(is_active=True)
    )
    limit_days = forms.IntegerField(
        label=_("Time limit (working days)"), required=False, min_value=1, max_value=120
    )
