import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gaoxin.core.filters import FilterSet
from gaoxin.notifications.models import Channel, Delivery, DeliveryState, EventType


class DeliveryFilter(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("Delivery channel"))
    state = django_filters.ChoiceFilter(choices=DeliveryState.choices, label=_("State"))
    event_type = django_filters.ChoiceFilter(choices=EventType.choices, label=_("Event type"))
    since = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("From")
    )
    until = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label=_("To")
    )

    class Meta:
        model = Delivery
        fields = ["q", "channel", "state", "event_type", "since", "until"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(recipient__icontains=value)
            | Q(user__username__icontains=value)
            | Q(user__full_name__icontains=value)
            | Q(last_error__icontains=value)
        )
