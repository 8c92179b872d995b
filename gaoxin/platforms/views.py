"""Pages of platforms and events: the platforms with their deals, and events with their
participants and on-site signings (which land in the project register)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gaoxin.core.editing import report_refusal
from gaoxin.core.params import (
    int_list,
    int_or_none,
    required_date,
    required_decimal,
)
from gaoxin.core.permissions import permission_required
from gaoxin.platforms import services
from gaoxin.platforms.models import Event, EventKind, Platform, PlatformKind


@permission_required("platforms.view_platform")
def platform_list(request):
    platforms = Platform.objects.annotate(
        served=Count("enterprises_served", distinct=True),
        deals_n=Count("deals", distinct=True),
        deals_amount=Sum("deals__amount"),
    ).order_by("kind", "name")
    if request.method == "POST":
        if not request.user.has_perm("platforms.change_platform"):
            raise PermissionDenied
        try:
            platform = services.platform_create(
                by=request.user,
                data={
                    "name": request.POST.get("name", ""),
                    "kind": request.POST.get("kind", ""),
                    "partners": request.POST.get("partners", ""),
                    "services": request.POST.get("services", ""),
                    "opened_on": required_date(request.POST.get("opened_on"))
                    if request.POST.get("opened_on")
                    else None,
                },
            )
        except (ValidationError, PermissionDenied) as error:
            report_refusal(request, error)
            return redirect("platforms:list")
        return redirect("platforms:platform", pk=platform.pk)
    return render(
        request,
        "platforms/platform_list.html",
        {
            "platforms": platforms,
            "kinds": PlatformKind.choices,
            "can_change": request.user.has_perm("platforms.change_platform"),
        },
    )


@permission_required("platforms.view_platform")
def platform_detail(request, pk: int):
    from gaoxin.enterprises.models import Enterprise

    platform = get_object_or_404(Platform, pk=pk)
    user = request.user
    if request.method == "POST":
        try:
            services.deal_record(
                platform=platform,
                enterprise=get_object_or_404(
                    Enterprise, pk=int_or_none(request.POST.get("enterprise"))
                ),
                title=request.POST.get("title", ""),
                amount=required_decimal(request.POST.get("amount")),
                signed_on=required_date(request.POST.get("signed_on")),
                by=user,
            )
        except (ValidationError, PermissionDenied) as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("Deal recorded."))
        return redirect("platforms:platform", pk=pk)
    return render(
        request,
        "platforms/platform_detail.html",
        {
            "platform": platform,
            "served": platform.enterprises_served.order_by("name"),
            "deals": platform.deals.select_related("enterprise")
            if user.has_perm("platforms.view_transferdeal")
            else None,
            "can_change": user.has_perm("platforms.change_platform"),
            "enterprises": Enterprise.objects.order_by("name"),
        },
    )


@permission_required("platforms.view_event")
def event_list(request):
    from gaoxin.accounts.models import Department

    user = request.user
    if request.method == "POST":
        try:
            event = services.event_create(
                by=user,
                data={
                    "name": request.POST.get("name", ""),
                    "kind": request.POST.get("kind", ""),
                    "held_on": required_date(request.POST.get("held_on")),
                    "venue": request.POST.get("venue", ""),
                    "organiser": Department.objects.filter(
                        pk=int_or_none(request.POST.get("organiser"))
                    ).first()
                    or user.department,
                },
            )
        except (ValidationError, PermissionDenied) as error:
            report_refusal(request, error)
            return redirect("platforms:events")
        return redirect("platforms:event", pk=event.pk)
    events = Event.objects.select_related("organiser").annotate(
        signed=Count("signings", distinct=True),
        investment=Sum("signings__project__total_investment"),
    )
    return render(
        request,
        "platforms/event_list.html",
        {
            "events": events,
            "kinds": EventKind.choices,
            "departments": Department.objects.filter(is_active=True),
            "can_change": user.has_perm("platforms.change_event"),
        },
    )


@permission_required("platforms.view_event")
def event_detail(request, pk: int):
    """An event: who took part, what was signed on site, and signing another project."""
    from gaoxin.enterprises.models import Enterprise
    from gaoxin.projects.models import Project
    from gaoxin.projects.stages import Stage

    event = get_object_or_404(Event.objects.select_related("organiser"), pk=pk)
    user = request.user
    if request.method == "POST":
        try:
            if request.POST.get("action") == "participants":
                if not user.has_perm("platforms.change_event"):
                    raise PermissionDenied
                event.participants.add(
                    *Enterprise.objects.filter(pk__in=int_list(request.POST.getlist("enterprises")))
                )
            elif request.POST.get("project"):
                project = get_object_or_404(
                    Project.objects.restrict(user), pk=int_or_none(request.POST.get("project"))
                )
                services.signing_record(event=event, by=user, project=project)
            else:
                enterprise = Enterprise.objects.filter(
                    pk=int_or_none(request.POST.get("enterprise"))
                ).first()
                services.signing_record(
                    event=event,
                    by=user,
                    new_project={
                        "name": request.POST.get("name", "").strip(),
                        "enterprise": enterprise,
                        "prospective_investor": request.POST.get("investor", "").strip(),
                        "total_investment": required_decimal(
                            request.POST.get("total_investment") or "0"
                        ),
                    },
                )
        except (ValidationError, PermissionDenied) as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("Recorded."))
        return redirect("platforms:event", pk=pk)
    signings = event.signings.select_related("project__enterprise", "signed_by")
    return render(
        request,
        "platforms/event_detail.html",
        {
            "event": event,
            "participants": event.participants.order_by("name"),
            "signings": signings,
            "total": sum((s.project.total_investment or 0) for s in signings),
            "can_sign": user.has_perm("platforms.add_signing"),
            "can_change": user.has_perm("platforms.change_event"),
            "candidates": Project.objects.restrict(user)
            .filter(stage__in=(Stage.LEAD, Stage.NEGOTIATING), signing__isnull=True)
            .order_by("name")[:300],
            "enterprises": Enterprise.objects.order_by("name"),
        },
    )
