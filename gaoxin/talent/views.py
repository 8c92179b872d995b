"""Pages of the talent module: the figures for any period, talents (personal data for talent
staff and the talent only, ID numbers masked), and the programme's batches."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.editing import report_refusal
from gaoxin.core.params import (
    int_list,
    int_or_none,
    required_date,
    required_decimal,
)
from gaoxin.core.permissions import AUTHENTICATED, permission_required
from gaoxin.talent import selectors, services
from gaoxin.talent.models import (
    Batch,
    Instalment,
    Talent,
    TalentApplication,
    TalentKind,
    Team,
)


@permission_required("talent.view_figures")
def overview(request):
    from gaoxin.enterprises.models import Enterprise
    from gaoxin.projects.forms import period_from_request

    form, period = period_from_request(request)
    if request.method == "POST":
        try:
            leader = Talent.objects.filter(pk=int_or_none(request.POST.get("leader"))).first()
            services.team_create(
                by=request.user,
                data={
                    "name": request.POST.get("name", "").strip(),
                    "kind": request.POST.get("kind", ""),
                    "enterprise": Enterprise.objects.filter(
                        pk=int_or_none(request.POST.get("enterprise"))
                    ).first(),
                    "leader": leader,
                    "arrived_on": required_date(request.POST.get("arrived_on")),
                },
                members=Talent.objects.filter(pk__in=int_list(request.POST.getlist("members"))),
            )
        except (ValidationError, PermissionDenied) as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("Team registered."))
        return redirect("talent:overview")
    manage = request.user.has_perm("talent.manage_programme")
    return render(
        request,
        "talent/overview.html",
        {
            "form": form,
            "period": period,
            "figures": selectors.figures(period.start, period.end) if period else [],
            "teams": Team.objects.select_related("enterprise").order_by("-arrived_on")[:50],
            "can_manage": manage,
            "talents": Talent.objects.order_by("name") if manage else [],
            "enterprises": Enterprise.objects.order_by("name") if manage else [],
            "team_kinds": [(k, TalentKind(k).label) for k in ("startup_team", "innovation_team")],
        },
        status=200 if period else 400,
    )


@permission_required("talent.change_talent")
def talent_list(request):
    from gaoxin.accounts.models import Role, User
    from gaoxin.enterprises.models import Enterprise

    if request.method == "POST":
        try:
            talent = services.talent_create(
                by=request.user,
                data={
                    "name": request.POST.get("name", ""),
                    "id_number": request.POST.get("id_number", ""),
                    "phone": request.POST.get("phone", ""),
                    "education": request.POST.get("education", ""),
                    "field": request.POST.get("field", ""),
                    "enterprise": Enterprise.objects.filter(
                        pk=int_or_none(request.POST.get("enterprise"))
                    ).first(),
                    "arrived_on": required_date(request.POST.get("arrived_on")),
                    "commissioner": request.user
                    if request.user.role == Role.COMMISSIONER
                    else None,
                },
            )
        except (ValidationError, PermissionDenied) as error:
            report_refusal(request, error)
            return redirect("talent:talents")
        return redirect("talent:talent", pk=talent.pk)
    return render(
        request,
        "talent/talent_list.html",
        {
            "talents": Talent.objects.restrict(request.user).select_related(
                "enterprise", "commissioner"
            )[:300],
            "enterprises": Enterprise.objects.order_by("name"),
            "commissioners": User.objects.filter(role=Role.COMMISSIONER),
        },
    )


@permission_required(AUTHENTICATED)
def talent_detail(request, pk: int):
    """A talent's record: talent staff and the talent; everybody else is told it is not
    there."""
    talent = get_object_or_404(Talent.objects.select_related("enterprise", "commissioner"), pk=pk)
    user = request.user
    if not user.has_perm("talent.view_talent", talent):
        raise Http404
    if request.method == "POST":
        try:
            action = request.POST.get("action")
            if action == "subsidy":
                application = get_object_or_404(
                    TalentApplication.objects.filter(talent=talent),
                    pk=int_or_none(request.POST.get("application")),
                )
                services.benefit_grant(
                    application=application,
                    by=user,
                    kind="subsidy",
                    total=required_decimal(request.POST.get("total")),
                    instalments=[
                        (required_date(day), required_decimal(amount))
                        for day, amount in zip(
                            request.POST.getlist("due_on"),
                            request.POST.getlist("amount"),
                            strict=False,
                        )
                        if day or amount
                    ],
                )
            elif action == "pay":
                instalment = get_object_or_404(
                    Instalment.objects.filter(benefit__application__talent=talent),
                    pk=int_or_none(request.POST.get("instalment")),
                )
                services.instalment_pay(
                    instalment=instalment, on=required_date(request.POST.get("paid_on")), by=user
                )
            else:
                services.service_log_add(
                    talent=talent,
                    by=user,
                    on=required_date(request.POST.get("on")),
                    note=request.POST.get("note", ""),
                )
        except (ValidationError, PermissionDenied) as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("Recorded."))
        return redirect("talent:talent", pk=pk)
    applications = TalentApplication.objects.filter(talent=talent).select_related("batch")
    internal = user.has_perm("talent.view_internal")
    return render(
        request,
        "talent/talent_detail.html",
        {
            "talent": talent,
            "teams": talent.teams.all(),
            "applications": applications.prefetch_related("benefits__instalments"),
            "log": talent.service_log.select_related("commissioner") if internal else [],
            "internal": internal,
            "can_log": user.has_perm("talent.change_talent"),
            # The rule itself, not user.has_perm: an administrator is a superuser, whom
            # has_perm grants everything, and sees the phone masked.
            "full_phone": rules.has_perm("talent.view_phone", user, talent),
            "today": timezone.localdate(),
        },
    )


@permission_required(AUTHENTICATED)
def my_record(request):
    talent = Talent.objects.filter(user=request.user).first()
    if talent is None:
        raise Http404
    return redirect("talent:talent", pk=talent.pk)


def _batches(user):
    batches = Batch.objects.all()
    if not user.has_perm("talent.manage_programme"):
        batches = batches.filter(panel=user)
    return batches


@permission_required("talent.view_batch")
def batch_list(request):
    from gaoxin.accounts.models import User

    user = request.user
    if request.method == "POST":
        try:
            batch = services.batch_create(
                by=user,
                name=request.POST.get("name", ""),
                closes_on=required_date(request.POST.get("closes_on")),
                panel=User.objects.filter(pk__in=int_list(request.POST.getlist("panel"))),
                pass_score=int_or_none(request.POST.get("pass_score")) or 75,
            )
        except (ValidationError, PermissionDenied) as error:
            report_refusal(request, error)
            return redirect("talent:batches")
        return redirect("talent:batch", pk=batch.pk)
    return render(
        request,
        "talent/batch_list.html",
        {
            "batches": _batches(user),
            "can_manage": user.has_perm("talent.manage_programme"),
            "experts": User.objects.filter(is_active=True)
            .exclude(role="enterprise")
            .order_by("username"),
        },
    )


@permission_required("talent.view_batch")
def batch_detail(request, pk: int):
    batch = get_object_or_404(_batches(request.user), pk=pk)
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "close_call":
                services.batch_close_call(batch=batch, by=user)
            elif action == "award":
                services.batch_award(batch=batch, by=user)
            elif action == "score":
                services.score_give(
                    application=get_object_or_404(
                        batch.applications, pk=int_or_none(request.POST.get("application"))
                    ),
                    by=user,
                    score=int_or_none(request.POST.get("score"))
                    if request.POST.get("score", "").isdigit()
                    else -1,
                    opinion=request.POST.get("opinion", ""),
                )
            elif action == "apply":
                kind = request.POST.get("kind", "")
                services.application_submit(
                    batch=batch,
                    by=user,
                    kind=kind,
                    summary=request.POST.get("summary", ""),
                    talent=Talent.objects.filter(pk=int_or_none(request.POST.get("talent"))).first()
                    if kind == TalentKind.INNOVATIVE_TALENT
                    else None,
                    team=Team.objects.filter(pk=int_or_none(request.POST.get("team"))).first()
                    if kind != TalentKind.INNOVATIVE_TALENT
                    else None,
                )
            else:
                raise ValidationError(_("Unknown action."))
        except (ValidationError, PermissionDenied) as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("Recorded."))
        return redirect("talent:batch", pk=pk)
    applications = list(
        batch.applications.select_related("talent", "team").prefetch_related("scores")
    )
    for application in applications:
        application.mine = next(
            (s for s in application.scores.all() if s.reviewer_id == user.pk), None
        )
    manage = user.has_perm("talent.manage_programme")
    return render(
        request,
        "talent/batch_detail.html",
        {
            "batch": batch,
            "applications": applications,
            "panel": batch.panel.all(),
            "on_panel": batch.panel.filter(pk=user.pk).exists(),
            "can_manage": manage,
            "kinds": TalentKind.choices,
            "talents": Talent.objects.order_by("name") if manage else [],
            "teams": Team.objects.order_by("name") if manage else [],
        },
    )
