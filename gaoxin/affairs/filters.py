import datetime as dt

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Department
from gaoxin.affairs.models import (
    Application,
    ApplicationState,
    Commitment,
    ServiceItem,
    Window,
)
from gaoxin.affairs.search import normalise_query
from gaoxin.core.filters import FilterSet
from gaoxin.enterprises.models import Enterprise


class ServiceItemFilter(FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.filter(is_active=True), label=_("Department")
    )
    one_go = django_filters.BooleanFilter(label=_("Done in one go"))
    online_allowed = django_filters.BooleanFilter(label=_("Online"))
    appointment_allowed = django_filters.BooleanFilter(label=_("Appointments"))

    class Meta:
        model = ServiceItem
        fields = ["q", "department", "one_go", "online_allowed", "appointment_allowed"]

    def filter_q(self, queryset, name, value):
        """By name, code, department or the name's pinyin ("qysl" finds 企业设立登记)."""
        value = value.strip()
        match = (
            Q(name__icontains=value)
            | Q(code__icontains=value)
            | Q(department__name__icontains=value)
            | Q(department__short_name__icontains=value)
        )
        key = normalise_query(value)
        if key:
            match |= Q(search_key__contains=key)
        return queryset.filter(match)


# A case "in progress" on the home pages: handed in and not yet decided.
IN_PROGRESS_STATES = (
    ApplicationState.SUBMITTED,
    ApplicationState.ACCEPTED,
    ApplicationState.ACCEPTED_WITH_DEFICIENCY,
    ApplicationState.UNDER_REVIEW,
)


# A commitment (容缺) whose date falls within this many days is "due" on the clerk's home.
COMMITMENT_SOON_DAYS = 3


def commitments_due(commitments, today):
    """Open commitments not yet handed in, due within COMMITMENT_SOON_DAYS (or past)."""
    return commitments.filter(
        fulfilled_at__isnull=True,
        unmet_at__isnull=True,
        supplied_at__isnull=True,
        due_on__lte=today + dt.timedelta(days=COMMITMENT_SOON_DAYS),
    )


def commitments_to_check(commitments):
    """Open commitments whose materials were handed in and not yet checked (or handed in
    again after being returned)."""
    return commitments.filter(
        fulfilled_at__isnull=True, unmet_at__isnull=True, supplied_at__isnull=False
    ).filter(Q(returned_at__isnull=True) | Q(returned_at__lt=F("supplied_at")))


class ApplicationFilter(FilterSet):
    """The case list's filters, the same for the page and the API."""

    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    state = django_filters.ChoiceFilter(choices=ApplicationState.choices, label=_("State"))
    # Thousands of enterprises and items: found by the search box on the page, named by id in
    # links and the API (a hidden field, never a select of every row).
    enterprise = django_filters.ModelChoiceFilter(
        queryset=Enterprise.objects.all(), label=_("Enterprise"), widget=forms.HiddenInput
    )
    item = django_filters.ModelChoiceFilter(
        field_name="items",
        queryset=ServiceItem.objects.all(),
        label=_("Item"),
        widget=forms.HiddenInput,
    )
    department = django_filters.ModelChoiceFilter(
        field_name="items__department",
        queryset=Department.objects.filter(is_active=True),
        label=_("Department"),
    )
    window = django_filters.ModelChoiceFilter(queryset=Window.objects.all(), label=_("Window"))
    submitted_from = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__gte", label=_("Submitted from")
    )
    submitted_to = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__lte", label=_("Submitted until")
    )
    in_progress = django_filters.BooleanFilter(method="filter_in_progress", label=_("In progress"))
    unrated = django_filters.BooleanFilter(method="filter_unrated", label=_("Closed, not rated"))
    commitment = django_filters.ChoiceFilter(
        choices=[("due", _("Commitments due")), ("to_check", _("Committed materials to check"))],
        method="filter_commitment",
        label=_("Commitment (容缺)"),
    )

    class Meta:
        model = Application
        fields = [
            "q",
            "state",
            "enterprise",
            "item",
            "department",
            "window",
            "submitted_from",
            "submitted_to",
            "in_progress",
            "unrated",
            "commitment",
        ]

    def filter_commitment(self, queryset, name, value):
        commitments = Commitment.objects.filter(application__in=queryset)
        if value == "due":
            commitments = commitments_due(commitments, timezone.localdate())
        elif value == "to_check":
            commitments = commitments_to_check(commitments)
        else:
            return queryset
        return queryset.filter(pk__in=commitments.values("application_id"))

    def filter_in_progress(self, queryset, name, value):
        match = Q(state__in=IN_PROGRESS_STATES)
        return queryset.filter(match) if value else queryset.exclude(match)

    def filter_unrated(self, queryset, name, value):
        match = Q(state=ApplicationState.CLOSED, rating__isnull=True)
        return queryset.filter(match) if value else queryset.exclude(match)

    def filter_q(self, queryset, name, value):
        """By case number, enterprise or item name."""
        value = value.strip()
        return queryset.filter(
            Q(number__icontains=value)
            | Q(enterprise__name__icontains=value)
            | Q(items__name__icontains=value)
        )

    def filter_queryset(self, queryset):
        # Filtering across the items (many to many) can repeat a case.
        return super().filter_queryset(queryset).distinct()
