import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Department
from gaoxin.core.filters import FilterSet
from gaoxin.dispatch.models import OPEN_STATES, Problem, ProblemKind, ProblemState


class ProblemFilter(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    state = django_filters.ChoiceFilter(choices=ProblemState.choices, label=_("State"))
    kind = django_filters.ChoiceFilter(choices=ProblemKind.choices, label=_("Kind"))
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.filter(is_active=True), label=_("Department")
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    is_open = django_filters.BooleanFilter(method="filter_open", label=_("Still open"))

    class Meta:
        model = Problem
        fields = ["q", "state", "kind", "department", "overdue", "is_open"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(project__name__icontains=value))

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = Q(state__in=OPEN_STATES, deadline__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        still_open = Q(state__in=OPEN_STATES)
        return queryset.filter(still_open) if value else queryset.exclude(still_open)
