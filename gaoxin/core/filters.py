import django_filters
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models import AuditAction, AuditEntry


class AuditEntryFilter(django_filters.FilterSet):
    user = django_filters.CharFilter(
        field_name="user_repr", lookup_expr="icontains", label=_("User")
    )
    action = django_filters.ChoiceFilter(choices=AuditAction.choices, label=_("Action"))
    content_type = django_filters.ModelChoiceFilter(
        queryset=ContentType.objects.filter(
            app_label__in=["accounts", "enterprises", "core"]
        ).order_by("app_label", "model"),
        label=_("Object type"),
    )
    object = django_filters.CharFilter(
        field_name="object_repr", lookup_expr="icontains", label=_("Object")
    )
    since = django_filters.DateFilter(
        field_name="timestamp", lookup_expr="date__gte", label=_("From")
    )
    until = django_filters.DateFilter(
        field_name="timestamp", lookup_expr="date__lte", label=_("To")
    )
    request_id = django_filters.CharFilter(label=_("Request id"))

    class Meta:
        model = AuditEntry
        fields = ["user", "action", "content_type", "object", "since", "until", "request_id"]
