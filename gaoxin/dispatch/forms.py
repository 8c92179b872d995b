from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Department, Role, User
from gaoxin.dispatch.models import (
    Indicator,
    MatterMode,
    PeriodKind,
    PlanTemplate,
    Problem,
    TaskForceRole,
)
from gaoxin.dispatch.services.problems import MAX_LIMIT_DAYS
from gaoxin.projects.forms import DATE


def _limit_message() -> str:
    return gettext("Give a time limit between 1 and %(n)d working days.") % {"n": MAX_LIMIT_DAYS}


LIMIT_MESSAGE = lazy(_limit_message, str)()


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
    limit_days = forms.IntegerField(
        label=_("Time limit (working days)"), required=False, min_value=1, max_value=120
    )


class SupervisionForm(forms.Form):
    """A leader's supervision notice (督办单): what the department must do, and by when."""

    demand = forms.CharField(
        label=_("Demand"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what the department must do.")},
    )
    limit_days = forms.IntegerField(
        label=_("Time limit (working days)"),
        min_value=1,
        max_value=MAX_LIMIT_DAYS,
        error_messages={
            "required": LIMIT_MESSAGE,
            "invalid": LIMIT_MESSAGE,
            "min_value": LIMIT_MESSAGE,
            "max_value": LIMIT_MESSAGE,
        },
    )


class SupervisionReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Reply"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the reply.")},
    )


class ReasonForm(forms.Form):
    """Handing a problem back: the reason is required."""

    note = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ReassignForm(ReasonForm):
    """The coordinating office moves a problem to another department, with the reason."""

    department = forms.ModelChoiceField(
        label=_("Move to department"), queryset=Department.objects.filter(is_active=True)
    )
    field_order = ["department", "note"]


# --- key projects ----------------------------------------------------------------------------

MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


def _leaders():

    return User.objects.filter(role=Role.LEADER, is_active=True).order_by("full_name")


def _zone_staff():

    return (
        User.objects.filter(is_active=True)
        .exclude(role=Role.ENTERPRISE)
        .order_by("department__order", "full_name")
    )


def _departments():
    return Department.objects.filter(is_active=True)


class KeyProjectAddForm(forms.Form):
    project = forms.IntegerField(widget=forms.HiddenInput)
    sponsor = forms.ModelChoiceField(label=_("Sponsor leader"), queryset=_leaders())
    lead_department = forms.ModelChoiceField(label=_("Lead department"), queryset=_departments())


class KeyProjectForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    sponsor = forms.ModelChoiceField(label=_("Sponsor leader"), queryset=_leaders())
    lead_department = forms.ModelChoiceField(label=_("Lead department"), queryset=_departments())
    plan_start = forms.DateField(label=_("Plan starts on"), required=False, widget=DATE)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class TaskForceForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Member"), queryset=_zone_staff())
    role = forms.ChoiceField(label=_("Role"), choices=TaskForceRole.choices)
    duty = forms.CharField(label=_("Duty"), required=False, max_length=200)


class PlanTemplateForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Template"), queryset=PlanTemplate.objects.all())
    start = forms.DateField(label=_("Plan starts on"), widget=DATE)


class MilestoneForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    actual_start = forms.DateField(label=_("Actual start"), required=False, widget=DATE)
    actual_end = forms.DateField(label=_("Actual end"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class MatterForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    mode = forms.ChoiceField(label=_("Mode"), choices=MatterMode.choices)
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments involved"),
        queryset=_departments(),
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)
    description = forms.CharField(
        label=_("Matter details"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class MatterActionForm(forms.Form):
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}))
    part = forms.IntegerField(required=False, widget=forms.HiddenInput)
    part_done = forms.BooleanField(label=_("Our part is done"), required=False)


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PeriodKind.choices)
    start = forms.DateField(
        label=_("From"), widget=DATE, help_text=_("A Monday for a week, the 1st for a month.")
    )
    due = forms.DateField(
        label=_("Reports due"),
        required=False,
        widget=DATE,
        help_text=_("Empty: the first working day after the period."),
    )


class ReportForm(forms.Form):
    done = forms.CharField(label=_("Done this period"), widget=forms.Textarea(attrs={"rows": 3}))
    next = forms.CharField(label=_("Planned next"), widget=forms.Textarea(attrs={"rows": 3}))
    problems = forms.CharField(
        label=_("Problems"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    chaired_by = forms.ModelChoiceField(label=_("Chaired by"), queryset=_leaders())
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendees"), queryset=_zone_staff(), widget=forms.SelectMultiple(attrs={"size": 8})
    )
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class DecisionForm(forms.Form):
    decision = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=_zone_staff())
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)
    key_project = forms.IntegerField(label=_("Key project"), required=False)


class TaskDoneForm(forms.Form):
    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 2}))


class LightSettingsForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    yellow_within_days = forms.IntegerField(
        label=_("Yellow within (working days of a deadline)"), min_value=0, max_value=60
    )
    lag_yellow_points = forms.IntegerField(
        label=_("Schedule lag for yellow (points)"), min_value=1, max_value=100
    )
    lag_red_points = forms.IntegerField(
        label=_("Schedule lag for red (points)"), min_value=1, max_value=100
    )
    not_started_red_months = forms.IntegerField(
        label=_("Red when not started this many months after the planned start"),
        min_value=1,
        max_value=36,
    )
    overdue_problem_light = forms.ChoiceField(
        label=_("A key project with an overdue problem is at least"),
        choices=[("yellow", _("Yellow")), ("red", _("Red"))],
    )
    open_supervision_light = forms.ChoiceField(
        label=_("A key project with an open supervision notice is at least"),
        choices=[("yellow", _("Yellow")), ("red", _("Red"))],
    )


class WeightsForm(forms.Form):
    def __init__(self, *args, **kwargs):

        super().__init__(*args, **kwargs)
        for value, label in Indicator.choices:
            self.fields[value] = forms.IntegerField(label=label, min_value=0, max_value=100)


class StewardChangeForm(forms.Form):
    to_steward = forms.ModelChoiceField(label=_("New steward"), queryset=None)
    note = forms.CharField(label=_("Handover note"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["to_steward"].queryset = User.objects.filter(
            role=Role.STEWARD, is_active=True
        ).order_by("full_name")


class ServiceLogForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DATE)
    note = forms.CharField(label=_("Service given"), widget=forms.Textarea(attrs={"rows": 2}))


class LedgerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    month = forms.DateField(label=_("Month"), input_formats=["%Y-%m", "%Y-%m-%d"], widget=MONTH)
    output_value = forms.DecimalField(
        label=_("Output value (10k CNY)"), min_value=0, max_digits=14, decimal_places=2
    )
    tax = forms.DecimalField(
        label=_("Tax paid (10k CNY)"), min_value=0, max_digits=14, decimal_places=2
    )
    employees = forms.IntegerField(label=_("Employees"), min_value=0, max_value=1_000_000)
    investment_completed = forms.DecimalField(
        label=_("Investment completed (10k CNY)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        initial=0,
    )
    # For the per-mu evaluation (亩均效益): empty means not reported.
    energy_tce = forms.DecimalField(
        label=_("Energy used (tce)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
    )
    rd_spending = forms.DecimalField(
        label=_("R&D spending (10k CNY)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
    )
