"""Pages of the talent module: the figures for any period, talents (personal data for talent
staff and the talent only, ID numbers masked), and the programme's batches.

One URL per action, a small form per action (talent/forms.py): a page's main form comes back
with its errors next to the fields; the small forms on a record post and return to it with
the errors as messages; a refusal is a 403 that says why (core.editing)."""

from __future__ import annotations

import datetime as dt

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Max, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.accounts.models import Role
from gaoxin.core.editing import (
    act_and_return,
    apply_service_errors,
    refusal_page,
    report_form_errors,
    report_refusal,
)
from gaoxin.core.params import int_or_none
from gaoxin.core.permissions import AUTHENTICATED, permission_required
from gaoxin.projects.forms import period_from_request
from gaoxin.talent import selectors, services
from gaoxin.talent.forms import (
    ApplicationForm,
    BatchForm,
    InstalmentPayForm,
    ScoreForm,
    ServiceLogForm,
    SubsidyForm,
    TalentForm,
    TeamForm,
)
from gaoxin.talent.models import (
    Batch,
    BatchState,
    Instalment,
    Talent,
    TalentApplication,
    Team,
)

__all__ = [
    "application_submit",
    "batch_award",
    "batch_close_call",
    "batch_detail",
    "batch_list",
    "instalment_pay",
    "my_record",
    "overview",
    "score_give",
    "service_log_add",
    "subsidy_grant",
    "talent_detail",
    "talent_list",
]


@permission_required("talent.view_figures")
def overview(request):
    """The figures for a period and the teams; talent staff register a team here."""
    manage = request.user.has_perm("talent.manage_programme")
    team_form = TeamForm(request.POST or None) if manage else None
    if request.method == "POST":
        if team_form is None:
            return refusal_page(request, PermissionDenied())
        if team_form.is_valid():
            data = dict(team_form.cleaned_data)
            members = data.pop("members")
            try:
                services.team_create(by=request.user, data=data, members=members)
            except ValidationError as error:
                apply_service_errors(team_form, error)
            except PermissionDenied as error:
                return refusal_page(request, error)
            else:
                messages.success(request, _("Team registered."))
                return redirect("talent:overview")
    form, period = period_from_request(request)
    return render(
        request,
        "talent/overview.html",
        {
            "form": form,
            "period": period,
            "figures": selectors.figures(period.start, period.end) if period else [],
            "teams": Team.objects.select_related("enterprise").order_by("-arrived_on")[:50],
            "can_manage": manage,
            "team_form": team_form,
        },
        status=400 if not period or (team_form is not None and team_form.errors) else 200,
    )


@permission_required("talent.change_talent")
def talent_list(request):
    """Talents (talent staff only); a talent is registered here."""
    form = TalentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        data = {
            **form.cleaned_data,
            "commissioner": user if user.role == Role.COMMISSIONER else None,
        }
        try:
            talent = services.talent_create(by=user, data=data)
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied as error:
            return refusal_page(request, error)
        else:
            return redirect("talent:talent", pk=talent.pk)
    talents = Talent.objects.restrict(request.user).select_related("enterprise", "commissioner")
    # The commissioner's home counts open this list filtered: ?mine=1 (the talents it serves),
    # ?silent=N (no service logged for N days, never-served first).
    mine = request.GET.get("mine") == "1"
    if mine:
        talents = talents.filter(commissioner=request.user)
    silent = int_or_none(request.GET.get("silent"))
    if silent and 1 <= silent <= 3650:
        since = timezone.localdate() - dt.timedelta(days=silent)
        talents = (
            talents.annotate(last_visit=Max("service_log__on"))
            .filter(Q(last_visit__isnull=True) | Q(last_visit__lt=since))
            .order_by(F("last_visit").asc(nulls_first=True), "name")
        )
    return render(
        request,
        "talent/talent_list.html",
        {
            "talents": talents[:300],
            "mine": mine,
            "silent": silent,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def _talent(request, pk: int) -> Talent:
    """The talent, for talent staff and the talent; everybody else is told it is not there."""
    talent = get_object_or_404(Talent.objects.select_related("enterprise", "commissioner"), pk=pk)
    if not request.user.has_perm("talent.view_talent", talent):
        raise Http404
    return talent


@permission_required(AUTHENTICATED)
def talent_detail(request, pk: int):
    """A talent's record: talent staff and the talent; everybody else is told it is not
    there."""
    talent = _talent(request, pk)
    user = request.user
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


def _act_on_talent(request, talent: Talent, form, act):
    """A small form on the talent's record: check it, call the service, return to the record
    with what happened (or a 403 that says why)."""
    return act_and_return(
        request, form, act, back=reverse("talent:talent", args=[talent.pk]), refusal_as_page=True
    )


@require_POST
@permission_required("talent.change_talent")
def service_log_add(request, pk: int):
    talent = _talent(request, pk)
    return _act_on_talent(
        request,
        talent,
        ServiceLogForm(request.POST),
        lambda data: services.service_log_add(
            talent=talent, by=request.user, on=data["on"], note=data["note"]
        ),
    )


@require_POST
@permission_required("talent.manage_programme")
def subsidy_grant(request, pk: int, application_pk: int):
    talent = _talent(request, pk)
    application = get_object_or_404(
        TalentApplication.objects.filter(talent=talent), pk=application_pk
    )
    return _act_on_talent(
        request,
        talent,
        SubsidyForm(request.POST),
        lambda data: services.benefit_grant(
            application=application,
            by=request.user,
            kind="subsidy",
            total=data["total"],
            instalments=data["instalments"],
        ),
    )


@require_POST
@permission_required("talent.manage_programme")
def instalment_pay(request, pk: int, instalment_pk: int):
    talent = _talent(request, pk)
    instalment = get_object_or_404(
        Instalment.objects.filter(benefit__application__talent=talent), pk=instalment_pk
    )
    return _act_on_talent(
        request,
        talent,
        InstalmentPayForm(request.POST),
        lambda data: services.instalment_pay(
            instalment=instalment, on=data["paid_on"], by=request.user
        ),
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
    """The batches one may see; talent staff open a call here."""
    user = request.user
    manage = user.has_perm("talent.manage_programme")
    form = BatchForm(request.POST or None) if manage else None
    if request.method == "POST":
        if form is None:
            return refusal_page(request, PermissionDenied())
        if form.is_valid():
            try:
                batch = services.batch_create(by=user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            except PermissionDenied as error:
                return refusal_page(request, error)
            else:
                return redirect("talent:batch", pk=batch.pk)
    return render(
        request,
        "talent/batch_list.html",
        {
            # ?open=1: the batches still open (calling or under review), as the home counts.
            "batches": _batches(user).filter(state__in=(BatchState.CALL, BatchState.REVIEW))
            if request.GET.get("open") == "1"
            else _batches(user),
            "can_manage": manage,
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )


def _batch_page(request, batch: Batch, application_form=None, status: int = 200):
    user = request.user
    applications = list(
        batch.applications.select_related("talent", "team").prefetch_related("scores")
    )
    for application in applications:
        application.mine = next(
            (s for s in application.scores.all() if s.reviewer_id == user.pk), None
        )
    manage = user.has_perm("talent.manage_programme")
    if application_form is None and manage:
        application_form = ApplicationForm()
    return render(
        request,
        "talent/batch_detail.html",
        {
            "batch": batch,
            "applications": applications,
            "panel": batch.panel.all(),
            "on_panel": batch.panel.filter(pk=user.pk).exists(),
            "can_manage": manage,
            "application_form": application_form,
        },
        status=status,
    )


@permission_required("talent.view_batch")
def batch_detail(request, pk: int):
    return _batch_page(request, get_object_or_404(_batches(request.user), pk=pk))


@require_POST
@permission_required("talent.manage_programme")
def application_submit(request, pk: int):
    """Talent staff enter an application to the batch's call."""
    batch = get_object_or_404(_batches(request.user), pk=pk)
    form = ApplicationForm(request.POST)
    if form.is_valid():
        try:
            services.application_submit(batch=batch, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied as error:
            return refusal_page(request, error)
        else:
            messages.success(request, _("Recorded."))
            return redirect("talent:batch", pk=batch.pk)
    return _batch_page(request, batch, application_form=form, status=400)


def _act_on_batch(request, batch: Batch, act, form=None):
    """A button or small form on the batch: call the service, return to the batch with what
    happened (or a 403 that says why)."""
    if form is not None and not form.is_valid():
        report_form_errors(request, form)
        return redirect("talent:batch", pk=batch.pk)
    try:
        act(form.cleaned_data if form is not None else {})
    except ValidationError as error:
        if form is not None:
            report_form_errors(request, form, error)
        else:
            report_refusal(request, error)
    except PermissionDenied as error:
        return refusal_page(request, error)
    else:
        messages.success(request, _("Recorded."))
    return redirect("talent:batch", pk=batch.pk)


@require_POST
@permission_required("talent.manage_programme")
def batch_close_call(request, pk: int):
    batch = get_object_or_404(_batches(request.user), pk=pk)
    return _act_on_batch(
        request, batch, lambda _data: services.batch_close_call(batch=batch, by=request.user)
    )


@require_POST
@permission_required("talent.manage_programme")
def batch_award(request, pk: int):
    batch = get_object_or_404(_batches(request.user), pk=pk)
    return _act_on_batch(
        request, batch, lambda _data: services.batch_award(batch=batch, by=request.user)
    )


@require_POST
@permission_required("talent.view_batch")
def score_give(request, pk: int, application_pk: int):
    """An expert on the batch's panel scores an application."""
    batch = get_object_or_404(_batches(request.user), pk=pk)
    application = get_object_or_404(batch.applications, pk=application_pk)
    return _act_on_batch(
        request,
        batch,
        lambda data: services.score_give(
            application=application, by=request.user, score=data["score"], opinion=data["opinion"]
        ),
        form=ScoreForm(request.POST),
    )
