import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Role, User
from gaoxin.core.workcalendar import FIRST_DAY, LAST_DAY
from gaoxin.enterprises.models import IndustryCode
from gaoxin.projects.models import PROJECT_FIELDS, Engagement, Figure, MoneyKind, Project
from gaoxin.projects.stages import INITIAL, Stage
from gaoxin.projects.stats import Period

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Project
        fields = PROJECT_FIELDS
        widgets = {"planned_start_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry"].queryset = IndustryCode.objects.filter(level="division")
        self.fields["steward"].queryset = User.objects.filter(role=Role.STEWARD, is_active=True)
        self.fields["enterprise"].queryset = self.fields["enterprise"].queryset.order_by("name")
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def validate_unique(self):
        pass  # the service decides

    def _post_clean(self):
        # Field-level cleaning only; the service validates the whole project and reports
        # errors by field, so the rules live in one place.
        pass


class ProjectCreateForm(ProjectForm):
    first_stage = forms.ChoiceField(
        label=_("Starts as"),
        choices=[(s, Stage(s).label) for s in Stage.values if s in INITIAL],
        initial=Stage.NEGOTIATING,
    )
    first_on = forms.DateField(label=_("Since"), widget=DATE, initial=timezone.localdate)


class AdvanceForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    evidence = forms.CharField(
        label=_("Evidence"),
        max_length=200,
        required=False,
        help_text=_("Contract number, licence number …"),
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, allowed=None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed is not None:
            self.fields["to_stage"].choices = [
                (s, Stage(s).label) for s in Stage.values if s in allowed
            ]


class CorrectionForm(forms.Form):
    reason = forms.CharField(label=_("Why is this step wrong?"), max_length=200)


class EngagementForm(forms.ModelForm):
    class Meta:
        model = Engagement
        fields = ["kind", "on", "people", "summary", "next_step"]
        widgets = {"on": DATE, "summary": forms.Textarea(attrs={"rows": 2})}


class MoneyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MoneyKind.choices)
    on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    amount = forms.DecimalField(label=_("Amount (10k CNY)"), max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


PERIOD_CHOICES = [
    ("h1", _("First half")),
    ("h2", _("Second half")),
    ("year", _("Whole year")),
    ("q1", _("Q1")),
    ("q2", _("Q2")),
    ("q3", _("Q3")),
    ("q4", _("Q4")),
    ("custom", _("Custom range")),
]


class PeriodForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    span = forms.ChoiceField(label=_("Period"), choices=PERIOD_CHOICES)
    start = forms.DateField(label=_("From"), widget=DATE, required=False)
    end = forms.DateField(label=_("To"), widget=DATE, required=False)

    def _bounded(self, name):
        day = self.cleaned_data.get(name)
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise forms.ValidationError(
                _("Enter a date between %(first)s and %(last)s.")
                % {"first": FIRST_DAY, "last": LAST_DAY}
            )
        return day

    def clean_start(self):
        return self._bounded("start")

    def clean_end(self):
        return self._bounded("end")

    def period(self):

        data = self.cleaned_data
        year, span = data["year"], data["span"]
        if span == "custom":
            if not data.get("start") or not data.get("end"):
                raise forms.ValidationError(_("Give both dates of a custom range."))
            if data["end"] < data["start"]:
                raise forms.ValidationError(_("The range ends before it starts."))
            return Period(data["start"], data["end"])
        if span in ("h1", "h2"):
            return Period.half_year(year, 1 if span == "h1" else 2)
        if span == "year":
            return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
        q = int(span[1])
        start = dt.date(year, 3 * q - 2, 1)
        end = (
            (dt.date(year, 3 * q + 1, 1) - dt.timedelta(days=1)) if q < 4 else dt.date(year, 12, 31)
        )
        return Period(start, end)


def period_from_request(request):
    """(form, period) from ?year=&span=[&start=&end=]; by default the first half-year until
    June, then the whole year. The period is None when the form is invalid."""
    today = timezone.localdate()
    data = (
        request.GET
        if "year" in request.GET
        else {"year": today.year, "span": "h1" if today.month <= 6 else "year"}
    )
    form = PeriodForm(data)
    period = None
    if form.is_valid():
        try:
            period = form.period()
        except forms.ValidationError as error:
            form.add_error(None, error)
    return form, period


class TargetForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    figure = forms.ChoiceField(label=_("Figure"), choices=Figure.choices)
    value = forms.DecimalField(label=_("Target"), min_value=0, max_digits=14, decimal_places=2)
