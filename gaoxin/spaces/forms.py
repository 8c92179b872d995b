from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.core.forms import DayField
from gaoxin.core.workcalendar import check_range
from gaoxin.enterprises.models import Enterprise
from gaoxin.projects.forms import DATE
from gaoxin.spaces.models import Building, BuildingKind, Unit

__all__ = ["BuildingForm", "LeaseEndForm", "LeaseForm", "MatchForm", "UnitForm"]


class BuildingForm(forms.ModelForm):
    class Meta:
        model = Building
        fields = ["name", "kind", "address", "plot", "operator", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def validate_unique(self):
        pass  # the service decides


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = [
            "number",
            "floor",
            "area_m2",
            "floor_load_kn_m2",
            "power_kva",
            "clear_height_m",
            "features",
        ]

    def validate_unique(self):
        pass

    def _post_clean(self):
        pass  # the service checks the unit


class LeaseForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=None)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    rent_m2_month = forms.DecimalField(
        label=_("Rent (CNY per m² per month)"), min_value=0, max_digits=8, decimal_places=2
    )
    notes = forms.CharField(label=_("Notes"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.order_by("name")


class MatchForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=BuildingKind.choices)
    area_m2 = forms.DecimalField(label=_("Area needed (m²)"), min_value=1, max_digits=10)
    floor_load_kn_m2 = forms.DecimalField(
        label=_("Floor load at least (kN/m²)"), required=False, min_value=0, max_digits=6
    )
    power_kva = forms.IntegerField(label=_("Power at least (kVA)"), required=False, min_value=0)
    clear_height_m = forms.DecimalField(
        label=_("Clear height at least (m)"), required=False, min_value=0, max_digits=5
    )
    features = forms.CharField(label=_("Features (words)"), required=False, max_length=100)
    on = forms.DateField(label=_("Needed from"), widget=DATE, required=False)

    def clean_on(self):
        day = self.cleaned_data["on"]
        if day is not None:
            check_range(day)
        return day


class LeaseEndForm(forms.Form):
    """Ending a lease early (an incubator tenant may graduate)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    on = DayField(
        label=_("Last day"),
        error_messages={
            "required": _("Give the last day as a date."),
            "invalid": _("Give the last day as a date."),
        },
    )
    graduated = forms.BooleanField(label=_("graduated"), required=False)
