"""The appeal pages' forms and list filter (kept apart from forms.py/filters.py while those
are being reworked; move them in once that settles)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Department
from gaoxin.core.filters import FilterSet
from gaoxin.dispatch.models import AppealCategory, AppealChannel, Problem, ProblemState
from gaoxin.dispatch.services.appeals import STAFF_CHANNELS

__all__ = ["AppealFilter", "AppealForm", "EvaluateForm", "StaffAppealForm"]


class AppealForm(forms.Form):
    """An enterprise's appeal, on the portal or the phone."""

    category = forms.ChoiceField(
        label=_("Category"),
        choices=AppealCategory.choices,
        error_messages={"required": _("Choose the category.")},
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("Give the appeal a title.")}
    )
    description = forms.CharField(
        label=_("What do you need?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Describe the appeal.")},
    )
    policy_feedback = forms.BooleanField(label=_("This is feedback on a policy"), required=False)
    department = forms.ModelChoiceField(
        label=_("Department to handle it (if known)"),
        queryset=Department.objects.filter(is_active=True),
        required=False,
    )


class StaffAppealForm(AppealForm):
    """Staff record an appeal that came by phone, a visit or the 12345 hotline."""

    enterprise = forms.IntegerField(widget=forms.HiddenInput)
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(c.value, c.label) for c in STAFF_CHANNELS],
        error_messages={"required": _("Choose how the appeal reached the zone.")},
    )
    hotline_number = forms.CharField(label=_("12345 ticket number"), max_length=30, required=False)

    def clean(self):
        data = super().clean()
        if data.get("channel") == AppealChannel.HOTLINE and not data.get("hotline_number"):
            self.add_error("hotline_number", _("Give the 12345 ticket number."))
        return data


class EvaluateForm(forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_("Are you satisfied with the answer?"),
        choices=[("yes", _("Satisfied")), ("no", _("Not satisfied"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether you are satisfied.")},
    )
    reasons = forms.CharField(
        label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("satisfied") is False and not (data.get("reasons") or "").strip():
            self.add_error("reasons", _("Say why you are not satisfied."))
        return data


class AppealFilter(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    category = django_filters.ChoiceFilter(choices=AppealCategory.choices, label=_("Category"))
    state = django_filters.ChoiceFilter(choices=ProblemState.choices, label=_("State"))
    channel = django_filters.ChoiceFilter(choices=AppealChannel.choices, label=_("Channel"))
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.filter(is_active=True), label=_("Department")
    )
    policy_feedback = django_filters.BooleanFilter(label=_("Policy feedback"))

    class Meta:
        model = Problem
        fields = ["q", "category", "state", "channel", "department", "policy_feedback"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(enterprise__name__icontains=value)
            | Q(hotline_number__icontains=value)
        )
