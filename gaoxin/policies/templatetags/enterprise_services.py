"""The enterprise portal's block of issue 20 (appeals, visits, the policies it qualifies for
with why), as one inclusion tag so the home page needs one line and no view change."""

from django import template
from django.utils import timezone

from gaoxin.dispatch import lights
from gaoxin.dispatch.models import Problem
from gaoxin.policies.selectors import enterprise_policies
from gaoxin.visits.models import Visit

register = template.Library()


@register.inclusion_tag("policies/partials/portal_block.html")
def enterprise_services(user):
    enterprise = getattr(user, "enterprise", None)
    if enterprise is None:
        return {"enterprise": None}
    today = timezone.localdate()
    appeals = list(
        Problem.objects.restrict(user, "view")
        .filter(enterprise=enterprise, project__isnull=True)
        .order_by("-created_at")[:5]
    )
    for appeal in appeals:
        appeal.light = lights.problem_light(appeal, today)
    return {
        "enterprise": enterprise,
        "appeals": appeals,
        "visits": Visit.objects.filter(enterprise=enterprise).select_related("visited_by")[:3],
        "policies": enterprise_policies(enterprise, as_of=today),
    }
