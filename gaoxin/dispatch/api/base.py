"""What the dispatch API shares: a referenced record the caller may see, the key projects a
user may see."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gaoxin.dispatch.models import KeyProject

__all__ = ["found", "key_projects_for"]


def found(queryset, pk, field):
    """A referenced record the caller may see, or a 400 naming the field."""
    record = queryset.filter(pk=pk).first() if pk is not None else None
    if record is None:
        raise ValidationError({field: [_("Not found.")]})
    return record


def key_projects_for(user, action: str = "view"):
    return KeyProject.objects.restrict(user, action).select_related(
        "project", "sponsor", "lead_department"
    )
