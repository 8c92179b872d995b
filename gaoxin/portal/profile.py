"""The enterprise's page as one profile (企业画像): its register facts and liaison officer,
qualifications, projects, government-service cases, appeals, visits, leases, the ledger's
figures, the policies it received and those it qualifies for (with why). It reads every
domain, so it stands with the home pages above them; each part is restricted by its own
rules."""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone

from gaoxin.affairs.models import Application
from gaoxin.core.permissions import permission_required
from gaoxin.dispatch import lights
from gaoxin.dispatch.models import LedgerEntry, Problem
from gaoxin.enterprises.forms import LiaisonForm, QualificationForm
from gaoxin.enterprises.selectors import enterprise_get
from gaoxin.policies import selectors as policies
from gaoxin.policies.models import QuickApplication
from gaoxin.projects.models import Project
from gaoxin.spaces.models import Lease
from gaoxin.visits.models import Visit

__all__ = ["enterprise_profile"]


def _ledger(enterprise, today: dt.date) -> dict:
    """The last twelve full months of the enterprise's projects in the work ledger (万元)."""
    end = today.replace(day=1)
    start = end.replace(year=end.year - 1)
    return LedgerEntry.objects.filter(
        project__enterprise=enterprise, month__gte=start, month__lt=end
    ).aggregate(
        output_value=Sum("output_value"), tax=Sum("tax"), rd_spending=Sum("rd_spending")
    ) | {"start": start, "end": end}


@permission_required("enterprises.view_profile")
def enterprise_profile(request, pk: int):
    user = request.user
    enterprise = enterprise_get(user=user, pk=pk)
    today = timezone.localdate()
    appeals = list(
        Problem.objects.restrict(user, "view")
        .filter(enterprise=enterprise, project__isnull=True)
        .select_related("department")[:20]
    )
    for appeal in appeals:
        appeal.light = lights.problem_light(appeal, today)
    context = {
        "enterprise": enterprise,
        "qualifications": enterprise.qualifications.select_related("type").order_by("-valid_to"),
        "projects": Project.objects.restrict(user, "view").filter(enterprise=enterprise)[:20],
        "cases": Application.objects.restrict(user, "view")
        .filter(enterprise=enterprise)
        .order_by("-created_at")[:20],
        "appeals": appeals,
        "visits": Visit.objects.restrict(user, "view")
        .filter(enterprise=enterprise)
        .select_related("visited_by")[:20],
        "leases": Lease.objects.restrict(user, "view")
        .filter(enterprise=enterprise)
        .select_related("unit__building")[:20],
        "ledger": _ledger(enterprise, today),
        "policies": policies.enterprise_policies(enterprise, as_of=today),
        "applications": QuickApplication.objects.filter(enterprise=enterprise).select_related(
            "clause__policy", "case"
        ),
        "can_change_qualifications": user.has_perm("enterprises.change_qualification", enterprise),
        "can_assign_liaison": user.has_perm("enterprises.assign_liaison", enterprise),
        "qualification_form": QualificationForm(),
        "liaison_form": LiaisonForm(initial={"liaison": enterprise.liaison_id}),
        "today": today,
    }
    return render(request, "portal/enterprise_profile.html", context)
