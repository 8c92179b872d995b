import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Department
from gaoxin.affairs.models import ServiceItem


class ServiceItemFilter(django_filters.FilterSet):
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
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))
