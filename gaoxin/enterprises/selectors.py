"""Reads of the enterprise register, always narrowed to what the user may see."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from gaoxin.enterprises.filters import EnterpriseFilter
from gaoxin.enterprises.models import Enterprise


def enterprise_list(*, user, params=None) -> tuple[EnterpriseFilter, QuerySet[Enterprise]]:
    base = (
        Enterprise.objects.restrict(user, "view")
        .select_related("cluster", "industry", "industry__parent")
        .order_by("name", "pk")
    )
    filterset = EnterpriseFilter(params, queryset=base)
    return filterset, filterset.qs


def enterprise_get(*, user, pk: int, action: str = "view") -> Enterprise:
    return get_object_or_404(
        Enterprise.objects.restrict(user, action).select_related("cluster", "industry"), pk=pk
    )
