"""One FilterSet for the project register, used by the page, the export, the kanban and the API.

Besides the usual fields it can select the projects behind any statistic: ``entered`` (a stage)
with ``start``/``end`` (a period), or ``stage_on`` (a stage) with ``as_of`` (a date).
"""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Department, Role, User
from gaoxin.core.filters import FilterSet
from gaoxin.core.workcalendar import FIRST_DAY, LAST_DAY
from gaoxin.enterprises.models import Cluster
from gaoxin.projects import stats
from gaoxin.projects.models import Channel, Project
from gaoxin.projects.stages import Stage

DATE = forms.DateInput(attrs={"type": "date"})


class ProjectFilter(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    # A column of the project itself: no join, so no DISTINCT (django-filter adds one by default,
    # which made the list sort and count every matching row twice under load).
    stage = django_filters.MultipleChoiceFilter(
        choices=Stage.choices, label=_("Stage"), distinct=False
    )
    cluster = django_filters.ModelChoiceFilter(
        queryset=Cluster.objects.filter(is_active=True), label=_("Industrial cluster")
    )
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("Attraction channel"))
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.filter(is_active=True), label=_("Responsible department")
    )
    steward = django_filters.ModelChoiceFilter(
        queryset=User.objects.filter(role=Role.STEWARD, is_active=True), label=_("Steward")
    )
    source_province = django_filters.CharFilter(lookup_expr="icontains", label=_("Source province"))
    entered = django_filters.ChoiceFilter(
        choices=Stage.choices, method="filter_entered", label=_("Entered stage")
    )
    start = django_filters.DateFilter(method="noop", label=_("From"), widget=DATE)
    end = django_filters.DateFilter(method="noop", label=_("To"), widget=DATE)
    stage_on = django_filters.ChoiceFilter(
        choices=Stage.choices, method="filter_stage_on", label=_("Stage on date")
    )
    as_of = django_filters.DateFilter(method="noop", label=_("On date"), widget=DATE)
    basis = django_filters.ChoiceFilter(
        choices=[
            ("register", _("In the register on the date")),
            ("start_due", _("Planned to start construction in the period")),
            ("start_kept", _("Started construction on time in the period")),
            ("landed", _("Being built or operating on the date")),
            ("producing", _("In production or at capacity on the date")),
        ],
        method="filter_basis",
        label=_("Behind the figure"),
    )
    # The steward's home counts its projects whose service log has been silent this long.
    service_silent = django_filters.NumberFilter(
        method="filter_service_silent",
        label=_("No service logged for (days)"),
        min_value=1,
        max_value=3650,
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("total_investment", "total_investment"),
            ("stage_since", "stage_since"),
            ("created_at", "created_at"),
        ),
        field_labels={
            "name": _("Name"),
            "total_investment": _("Total investment"),
            "stage_since": _("In stage since"),
            "created_at": _("Created at"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Project
        fields = ["q", "stage", "cluster", "channel", "department", "steward", "source_province"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(prospective_investor__icontains=value)
            | Q(enterprise__name__icontains=value)
            | Q(contact_name__icontains=value)
        )

    def filter_service_silent(self, queryset, name, value):
        if not value:
            return queryset
        since = timezone.localdate() - dt.timedelta(days=int(value))
        return queryset.annotate(last_service=Max("service_log__on")).filter(
            Q(last_service__isnull=True) | Q(last_service__lt=since)
        )

    def noop(self, queryset, name, value):
        return queryset  # read by filter_entered / filter_stage_on

    def _period(self) -> stats.Period:
        data = self.form.cleaned_data
        today = timezone.localdate()
        start = data.get("start") or dt.date(today.year, 1, 1)
        end = data.get("end") or today
        if end < start:
            start, end = end, start
        # A drill-down link never needs more than the dates the platform works with.
        return stats.Period(max(start, FIRST_DAY), min(end, LAST_DAY))

    def filter_entered(self, queryset, name, value):
        if not value:
            return queryset
        return stats.entered_projects(value, self._period(), queryset)

    def filter_basis(self, queryset, name, value):
        """The records behind a cockpit or statistics figure (the engine's own lists)."""
        if not value:
            return queryset
        day = self.form.cleaned_data.get("as_of") or timezone.localdate()
        if value == "register":
            return stats.register_projects(day, queryset)
        if value == "landed":
            return stats.landed_projects(day, queryset)
        if value == "producing":
            return stats.producing_projects(day, queryset)
        if value == "start_kept":
            return stats.start_kept_projects(self._period(), queryset)
        return stats.start_due_projects(self._period(), queryset)

    def filter_stage_on(self, queryset, name, value):
        if not value:
            return queryset
        day = self.form.cleaned_data.get("as_of") or timezone.localdate()
        return stats.stock_projects(value, day, queryset)
