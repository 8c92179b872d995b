import copy

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_filters.filters import FilterMethod

from gaoxin.core.models import AuditAction, AuditEntry

__all__ = ["AuditEntryFilter", "FilterSet"]


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet, copying its filters shallowly for each request.

    The stock one deep-copies every declared filter on every request, with the whole query
    tree of each choice's queryset: a tenth of the API project list's time under load
    (docs/performance.md). A filter's per-request state (model, parent, its form field) is
    set on its own copy; the declared arguments are only read, never changed. The form class is
    shared by every request: choices that depend on the request (a callable queryset) are
    refused; narrow a list per user in its selector instead."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: _own_copy(f) for name, f in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self

    def get_form_class(self):
        """The form class, built once per FilterSet and language (a field's generated label is
        translated when it is built); each form still gets its own copies of the fields, and a
        choice's queryset is read afresh by each form."""
        key = (type(self), get_language())
        form_class = _FORM_CLASSES.get(key)
        if form_class is None:
            # Shared by every request, so its choices may not depend on the request.
            for name, filter_ in self.filters.items():
                if callable(getattr(filter_, "queryset", None)):
                    raise ImproperlyConfigured(
                        f"{type(self).__name__}.{name}: choices per request are not supported"
                    )
            form_class = _FORM_CLASSES[key] = super().get_form_class()
        return form_class


_FORM_CLASSES: dict = {}


def _own_copy(declared):
    filter_ = copy.copy(declared)
    if isinstance(filter_.__dict__.get("filter"), FilterMethod):
        # A filter with ``method=`` calls it on its own parent: bind the copy, not the original.
        filter_.filter = FilterMethod(filter_)
    return filter_


class AuditEntryFilter(FilterSet):
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
