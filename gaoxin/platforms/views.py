"""Pages of platforms and events: the platforms with their deals, and events with their
participants and on-site signings (which land in the project register).

One URL per action, a small form per action (platforms/forms.py): a page's form comes back with
its errors next to the fields; a refusal is a 403 that says why (core.editing)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.core.editing import (
    act_and_return,
    apply_service_errors,
    refusal_page,
)
from gaoxin.core.permissions import permission_required
from gaoxin.platforms import services
from gaoxin.platforms.forms import (
    DealForm,
    EventForm,
    ParticipantsForm,
    PlatformForm,
    SignExistingForm,
    SignNewForm,
)
from gaoxin.platforms.models import Event, Platform

__all__ = [
    "deal_record",
    "event_detail",
    "event_list",
    "event_participants",
    "platform_detail",
    "platform_list",
    "sign_existing",
    "sign_new",
]


@permission_required("platforms.view_platform")
def platform_list(request):
    """The platforms; platform staff register one here."""
    can_change = request.user.has_perm("platforms.change_platform")
    form = PlatformForm(request.POST or None) if can_change else None
    if request.method == "POST":
        if form is None:
            return refusal_page(request, PermissionDenied())
        if form.is_valid():
            try:
                platform = services.platform_create(by=request.user, data=form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            except PermissionDenied as error:
                return refusal_page(request, error)
            else:
                return redirect("platforms:platform", pk=platform.pk)
    platforms = Platform.objects.annotate(
        served=Count("enterprises_served", distinct=True),
        deals_n=Count("deals", distinct=True),
        deals_amount=Sum("deals__amount"),
    ).order_by("kind", "name")
    return render(
        request,
        "platforms/platform_list.html",
        {"platforms": platforms, "can_change": can_change, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


def _platform_page(request, platform: Platform, deal_form=None, status: int = 200):
    user = request.user
    can_change = user.has_perm("platforms.change_platform")
    return render(
        request,
        "platforms/platform_detail.html",
        {
            "platform": platform,
            "served": platform.enterprises_served.order_by("name"),
            "deals": platform.deals.select_related("enterprise")
            if user.has_perm("platforms.view_transferdeal")
            else None,
            "can_change": can_change,
            "deal_form": deal_form or (DealForm() if can_change else None),
        },
        status=status,
    )


@permission_required("platforms.view_platform")
def platform_detail(request, pk: int):
    return _platform_page(request, get_object_or_404(Platform, pk=pk))


@require_POST
@permission_required("platforms.change_platform")
def deal_record(request, pk: int):
    platform = get_object_or_404(Platform, pk=pk)
    form = DealForm(request.POST)
    if form.is_valid():
        try:
            services.deal_record(platform=platform, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied as error:
            return refusal_page(request, error)
        else:
            messages.success(request, _("Deal recorded."))
            return redirect("platforms:platform", pk=platform.pk)
    return _platform_page(request, platform, deal_form=form, status=400)


@permission_required("platforms.view_event")
def event_list(request):
    """The events with what was signed at each; event staff register one here."""
    user = request.user
    can_change = user.has_perm("platforms.change_event")
    form = (
        EventForm(request.POST or None, initial={"organiser": user.department_id})
        if can_change
        else None
    )
    if request.method == "POST":
        if form is None:
            return refusal_page(request, PermissionDenied())
        if form.is_valid():
            data = {**form.cleaned_data}
            data["organiser"] = data["organiser"] or user.department
            try:
                event = services.event_create(by=user, data=data)
            except ValidationError as error:
                apply_service_errors(form, error)
            except PermissionDenied as error:
                return refusal_page(request, error)
            else:
                return redirect("platforms:event", pk=event.pk)
    events = Event.objects.select_related("organiser").annotate(
        signed=Count("signings", distinct=True),
        investment=Sum("signings__project__total_investment"),
    )
    return render(
        request,
        "platforms/event_list.html",
        {"events": events, "can_change": can_change, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


def _event_page(request, event: Event, sign_new_form=None, status: int = 200):
    user = request.user
    signings = event.signings.select_related("project__enterprise", "signed_by")
    can_sign = user.has_perm("platforms.add_signing")
    can_change = user.has_perm("platforms.change_event")
    return render(
        request,
        "platforms/event_detail.html",
        {
            "event": event,
            "participants": event.participants.order_by("name"),
            "signings": signings,
            "total": sum((s.project.total_investment or 0) for s in signings),
            "can_sign": can_sign,
            "can_change": can_change,
            "candidates": SignExistingForm.candidates(user) if can_sign else [],
            "participants_form": ParticipantsForm(auto_id="p-%s") if can_change else None,
            "sign_new_form": sign_new_form or (SignNewForm(auto_id="s-%s") if can_sign else None),
        },
        status=status,
    )


@permission_required("platforms.view_event")
def event_detail(request, pk: int):
    """An event: who took part, what was signed on site, and signing another project."""
    return _event_page(request, get_object_or_404(Event.objects.select_related("organiser"), pk=pk))


def _event(pk: int) -> Event:
    return get_object_or_404(Event.objects.select_related("organiser"), pk=pk)


def _back_to_event(request, event: Event, form, act):
    """A small form on the event: check it, act, return to the event with what happened."""
    return act_and_return(
        request, form, act, back=reverse("platforms:event", args=[event.pk]), refusal_as_page=True
    )


@require_POST
@permission_required("platforms.change_event")
def event_participants(request, pk: int):
    event = _event(pk)
    return _back_to_event(
        request,
        event,
        ParticipantsForm(request.POST),
        lambda data: services.participants_add(
            event=event, enterprises=data["enterprises"], by=request.user
        ),
    )


@require_POST
@permission_required("platforms.add_signing")
def sign_existing(request, pk: int):
    """A project in the register signed on site."""
    event = _event(pk)
    return _back_to_event(
        request,
        event,
        SignExistingForm(request.POST, user=request.user),
        lambda data: services.signing_record(event=event, by=request.user, project=data["project"]),
    )


@require_POST
@permission_required("platforms.add_signing")
def sign_new(request, pk: int):
    """A new project registered and signed on the spot."""
    event = _event(pk)
    form = SignNewForm(request.POST, auto_id="s-%s")
    if form.is_valid():
        try:
            services.signing_record(event=event, by=request.user, new_project=form.new_project())
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied as error:
            return refusal_page(request, error)
        else:
            messages.success(request, _("Recorded."))
            return redirect("platforms:event", pk=event.pk)
    return _event_page(request, event, sign_new_form=form, status=400)
