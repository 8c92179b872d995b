"""One FilterSet for the enterprise list, used by the page, the Excel export and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gaoxin.core.filters import FilterSet
from gaoxin.enterprises.models import Cluster, Enterprise, IndustryCode


class EnterpriseFilter(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    cluster = django_filters.ModelChoiceFilter(
        queryset=Cluster.objects.filter(is_active=True), label=_("Industrial cluster")
    )
    section = django_filters.ModelChoiceFilter(
        queryset=IndustryCode.objects.filter(level=IndustryCode.Level.SECTION),
        field_name="industry__parent",
        label=_("Industry section"),
    )
    origin_region = django_filters.CharFilter(lookup_expr="icontains", label=_("Origin region"))
    is_dishonest = django_filters.BooleanFilter(label=_("On the dishonesty list"))
    ordering = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("uscc", "uscc"),
            ("established_on", "established_on"),
            ("created_at", "created_at"),
        ),
        field_labels={
            "name": _("Name"),
            "uscc": _("USCC"),
            "established_on": _("Established on"),
            "created_at": _("Created at"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Enterprise
        fields = ["q", "cluster", "section", "origin_region", "is_dishonest"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(uscc__icontains=value.upper())
            | Q(legal_representative__icontains=value)
        )
