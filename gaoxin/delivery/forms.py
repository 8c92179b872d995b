"""Forms of 投产达效: one per action, carrying the Chinese messages; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.core.forms import DayField
from gaoxin.delivery.models import (
    AMOUNT_KINDS,
    YEARLY_KINDS,
    ZONE_KINDS,
    Figure,
    Klass,
    LandShare,
    TermKind,
    TermStatus,
)
from gaoxin.enterprises.models import Enterprise
from gaoxin.projects.models import Project
from gaoxin.spaces.models import Lease

__all__ = [
    "AgreementForm",
    "AmendForm",
    "ComputeForm",
    "FulfilForm",
    "IndicatorFormSet",
    "ScoreFilterForm",
    "SharesForm",
    "TermsForm",
    "WatchFilterForm",
    "YearForm",
]

MONEY = {"min_value": 0, "max_digits": 14, "decimal_places": 2}


def plot_model():
    # The battle map's Plot, reached through the share's foreign key: the cockpit app stands
    # above this one (it reads the classes), so its modules are not imported here.
    return LandShare._meta.get_field("plot").related_model


class VersionFields(forms.Form):
    signed_on = DayField(label=_("Signed on"))
    total_investment = forms.DecimalField(label=_("Total investment (10k CNY)"), **MONEY)
    fixed_asset_investment = forms.DecimalField(
        label=_("Fixed-asset investment (10k CNY)"), **MONEY
    )
    land_area_mu = forms.DecimalField(
        label=_("Land (mu)"), min_value=0.01, max_digits=10, decimal_places=2
    )
    plots = forms.ModelMultipleChoiceField(label=_("Plots"), queryset=None, required=False)
    leases = forms.ModelMultipleChoiceField(label=_("Leases"), queryset=None, required=False)
    breach_clauses = forms.CharField(
        label=_("What follows a breach"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plots"].queryset = plot_model().objects.order_by("code")
        self.fields["leases"].queryset = Lease.objects.restrict(user).select_related(
            "unit__building", "enterprise"
        )

    def version_data(self) -> dict:
        d = self.cleaned_data
        return {
            k: d[k]
            for k in (
                "signed_on",
                "total_investment",
                "fixed_asset_investment",
                "land_area_mu",
                "breach_clauses",
            )
        }


class AgreementForm(VersionFields):
    project = forms.ModelChoiceField(label=_("Project"), queryset=None)
    number = forms.CharField(label=_("Agreement number"), max_length=50)
    title = forms.CharField(label=_("Title"), max_length=200)
    field_order = ["project", "number", "title"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["project"].queryset = (
            Project.objects.restrict(user)
            .filter(enterprise__isnull=False)
            .select_related("enterprise")
            .order_by("name")
        )


class AmendForm(VersionFields):
    reason = forms.CharField(label=_("Reason for the amendment"), max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    field_order = ["reason"]


class TermsForm(forms.Form):
    """One row per kind of promise: its date, its figure where it has one, and for the
    enterprise's dates whether they wait for the zone's land delivery."""

    DEPENDENT = (TermKind.START, TermKind.COMPLETION, TermKind.PRODUCTION)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in TermKind:
            self.fields[f"{kind}_due"] = DayField(label=kind.label, required=False)
            if kind in AMOUNT_KINDS | YEARLY_KINDS or kind == TermKind.SUBSIDY:
                self.fields[f"{kind}_target"] = forms.DecimalField(
                    label=_("Target"), required=False, **MONEY
                )
            if kind in self.DEPENDENT:
                self.fields[f"{kind}_after_land"] = forms.BooleanField(
                    label=_("Waits for the land"), required=False
                )

    def rows(self):
        for kind in TermKind:
            yield {
                "kind": kind,
                "zone": kind in ZONE_KINDS,
                "due": self[f"{kind}_due"],
                "target": self[f"{kind}_target"] if f"{kind}_target" in self.fields else None,
                "after_land": self[f"{kind}_after_land"] if kind in self.DEPENDENT else None,
            }

    def terms(self) -> list[dict]:
        d = self.cleaned_data
        result = []
        for kind in TermKind:
            if not d.get(f"{kind}_due"):
                continue
            result.append(
                {
                    "kind": kind.value,
                    "due_on": d[f"{kind}_due"],
                    "target": d.get(f"{kind}_target"),
                    "depends_on": TermKind.LAND_DELIVERY.value
                    if d.get(f"{kind}_after_land")
                    else "",
                }
            )
        return result

    @classmethod
    def initial_from(cls, version) -> dict:
        initial = {}
        for term in version.terms.select_related("depends_on"):
            initial[f"{term.kind}_due"] = term.due_on
            initial[f"{term.kind}_target"] = term.target
            initial[f"{term.kind}_after_land"] = bool(term.depends_on_id)
        return initial


class FulfilForm(forms.Form):
    on = DayField(label=_("Kept on"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class WatchFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *TermStatus.choices, ("zone_late", _("The zone is late"))],
    )
    on = DayField(label=_("As of"), required=False)


class ComputeForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    reason = forms.CharField(label=_("Reason for the correction"), max_length=300, required=False)


class ScoreFilterForm(forms.Form):
    klass = forms.ChoiceField(label=_("Class"), required=False, choices=[("", _("All"))])
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["klass"].choices = [("", _("All")), *Klass.choices]


class YearForm(forms.Form):
    cut_a = forms.DecimalField(label=_("Class A from score"), max_digits=6, decimal_places=2)
    cut_b = forms.DecimalField(label=_("Class B from score"), max_digits=6, decimal_places=2)
    cut_c = forms.DecimalField(label=_("Class C from score"), max_digits=6, decimal_places=2)
    cap = forms.DecimalField(
        label=_("Score cap (times the weight)"), max_digits=4, decimal_places=2, initial=2
    )
    min_years = forms.IntegerField(
        label=_("Years in production before evaluation"), min_value=0, max_value=10, initial=2
    )
    source = forms.CharField(
        label=_("Source of the indicator set"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class IndicatorForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=30)
    name = forms.CharField(label=_("Name"), max_length=60)
    numerator = forms.ChoiceField(
        label=_("Numerator"), choices=[c for c in Figure.choices if c[0] != Figure.ONE]
    )
    denominator = forms.ChoiceField(label=_("Denominator"), choices=Figure.choices)
    scale = forms.DecimalField(label=_("Scale"), max_digits=8, decimal_places=2, initial=1)
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    weight = forms.DecimalField(label=_("Weight (%)"), max_digits=5, decimal_places=2)
    benchmark = forms.DecimalField(label=_("Benchmark"), max_digits=14, decimal_places=4)


IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=1, can_delete=True, max_num=30)


class SharesForm(forms.Form):
    """Up to six holders of one plot with their shares."""

    ROWS = 6

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        enterprises = Enterprise.objects.order_by("name")
        for i in range(self.ROWS):
            self.fields[f"enterprise_{i}"] = forms.ModelChoiceField(
                label=_("Enterprise"), queryset=enterprises, required=False
            )
            self.fields[f"percent_{i}"] = forms.DecimalField(
                label=_("Share (%)"), required=False, max_digits=5, decimal_places=2
            )

    def rows(self):
        for i in range(self.ROWS):
            yield self[f"enterprise_{i}"], self[f"percent_{i}"]

    def shares(self) -> dict:
        d = self.cleaned_data
        return {
            d[f"enterprise_{i}"]: d[f"percent_{i}"]
            for i in range(self.ROWS)
            if d.get(f"enterprise_{i}") and d.get(f"percent_{i}") is not None
        }
