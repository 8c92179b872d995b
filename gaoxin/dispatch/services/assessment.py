"""The assessment's weights, set by an administrator."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.core import audit
from gaoxin.dispatch.models import (
    AssessmentWeight,
    Indicator,
)
from gaoxin.dispatch.selectors import assessment_weights
from gaoxin.dispatch.services.base import created, require, updated

__all__ = [
    "assessment_weights_set",
]


@transaction.atomic
def assessment_weights_set(*, by, weights: dict[str, int]) -> dict[str, int]:

    require(by, "dispatch.change_assessmentweight")
    unknown = set(weights) - set(Indicator.values)
    if unknown:
        raise ValidationError(_("Unknown indicator: %(names)s") % {"names": ", ".join(unknown)})
    if any(not 0 <= w <= 100 for w in weights.values()):
        raise ValidationError(_("Each weight lies between 0 and 100."))
    if sum({**assessment_weights(), **weights}.values()) <= 0:
        raise ValidationError(_("At least one weight must be above zero."))
    for indicator, weight in weights.items():
        row = AssessmentWeight.objects.filter(indicator=indicator).first()
        if row is None:
            row = AssessmentWeight.objects.create(indicator=indicator, weight=weight)
            created(row, by)
        elif row.weight != weight:
            before = audit.snapshot(row)
            row.weight, row.version = weight, row.version + 1
            row.save()
            updated(row, by, before)
    return assessment_weights()
