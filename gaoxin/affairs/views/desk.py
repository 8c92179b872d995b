"""Pages of the enterprise service desk: windows and appointments, bundles, agency, ratings."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.affairs import services
from gaoxin.affairs.models import (
    Application,
    Appointment,
    AppointmentState,
    Authorization,
    AuthorizationScope,
    Bundle,
    BundleCase,
    RatingLevel,
    Remediation,
    ServiceItem,
    Slot,
    Window,
)
from gaoxin.core import workcalendar
from gaoxin.core.editing import report_refusal
from gaoxin.core.params import (
    date_or_none,
    int_list,
    int_or_none,
)
from gaoxin.core.permissions import permission_required
from gaoxin.enterprises.models import Enterprise

BOOKING_DAYS = 14


def _acting_for(user):
    """The enterprises a user may act for: its own, those that authorised the agent, any
    for the window."""
    if user.role == "enterprise":
        return Enterprise.objects.filter(pk=user.enterprise_id)
    if user.role == "agent":
        today = timezone.localdate()
        return Enterprise.objects.filter(
            authorizations__in=Authorization.objects.filter(agent=user).active_on(today)
        ).distinct()
    return Enterprise.objects.order_by("name")


@permission_required("affairs.view_window")
def window_list(request):
    windows = Window.objects.filter(is_active=True).select_related("department")
    return render(
        request,
        "affairs/window_list.html",
        {"windows": windows.prefetch_related("items")},
    )


@permission_required("affairs.view_window")
def window_detail(request, pk: int):
    """A window's day: its slots with their places; the window checks people in and opens
    slots outside office hours on request."""
    window = get_object_or_404(Window.objects.select_related("department"), pk=pk)
    day = date_or_none(request.GET.get("day")) or timezone.localdate()
    manage = request.user.has_perm("affairs.manage_appointments")
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        try:
            starts = dt.datetime.fromisoformat(request.POST.get("starts_at", ""))
            starts = timezone.make_aware(starts) if timezone.is_naive(starts) else starts
        except ValueError:
            messages.error(request, _("Give the start as date and time."))
        else:
            try:
                services.slot_open_off_hours(
                    window=window,
                    starts_at=starts,
                    minutes=int_or_none(request.POST.get("minutes")) or 0,
                    capacity=int_or_none(request.POST.get("capacity")) or 0,
                    note=request.POST.get("note", ""),
                    by=request.user,
                )
            except (ValidationError, PermissionDenied) as error:
                report_refusal(request, error)
            else:
                messages.success(request, _("Slot opened."))
                day = timezone.localtime(starts).date()
        return redirect(f"{request.path}?day={day.isoformat()}")
    slots = list(
        Slot.objects.filter(window=window, starts_at__date=day).prefetch_related(
            "appointments__enterprise", "appointments__item"
        )
    )
    for slot in slots:
        slot.bookings = [
            a for a in slot.appointments.all() if a.state != AppointmentState.CANCELLED
        ]
    return render(
        request,
        "affairs/window_detail.html",
        {
            "window": window,
            "day": day,
            "today": timezone.localdate(),
            # Slots open only on days the work calendar knows: say so rather than look empty.
            "year_unknown": not workcalendar.is_working_day(day).certain,
            "previous": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1),
            "slots": slots,
            "manage": manage,
            "items": window.items.all(),
        },
    )


# --- appointments -----------------------------------------------------------------------------


def _appointments(user):
    return Appointment.objects.restrict(user).select_related(
        "slot__window", "item", "enterprise", "booked_by"
    )


@permission_required("affairs.view_appointment")
def appointment_list(request):
    appointments = _appointments(request.user)
    show = request.GET.get("show", "upcoming")
    if show == "upcoming":
        appointments = appointments.filter(
            slot__ends_at__gte=timezone.now(), state=AppointmentState.BOOKED
        )
    else:
        appointments = appointments.order_by("-slot__starts_at")
    page = Paginator(appointments, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "affairs/appointment_list.html",
        {
            "page": page,
            "show": show,
            "can_book": request.user.has_perm("affairs.book_appointment"),
        },
    )


def _free_slots(item, *, exclude=None):
    now = timezone.now()
    slots = (
        Slot.objects.filter(
            window__items=item,
            window__is_active=True,
            starts_at__gt=now,
            starts_at__lt=now + dt.timedelta(days=BOOKING_DAYS),
        )
        .select_related("window")
        .order_by("starts_at", "window__number")
    )
    if exclude is not None:
        slots = slots.exclude(pk=exclude)
    days: dict[dt.date, list[Slot]] = {}
    for slot in slots:
        if slot.free > 0:
            days.setdefault(timezone.localtime(slot.starts_at).date(), []).append(slot)
    return days


@permission_required("affairs.book_appointment")
def appointment_new(request):
    """Book: choose the item, then a free place in the next two weeks."""
    user = request.user
    items = ServiceItem.objects.active().filter(appointment_allowed=True, windows__is_active=True)
    items = items.distinct().order_by("code")
    item = items.filter(pk=int_or_none(request.GET.get("item") or request.POST.get("item"))).first()
    enterprises = _acting_for(user)
    if request.method == "POST":
        slot = Slot.objects.filter(pk=int_or_none(request.POST.get("slot"))).first()
        enterprise = enterprises.filter(pk=int_or_none(request.POST.get("enterprise"))).first()
        try:
            if item is None or slot is None:
                raise ValidationError(_("Choose the item and a free time."))
            if enterprise is None:
                raise ValidationError(_("Choose the enterprise."))
            appointment = services.appointment_book(
                slot=slot,
                enterprise=enterprise,
                item=item,
                by=user,
                note=request.POST.get("note", ""),
            )
        except (ValidationError, PermissionDenied) as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("Booked: %(number)s") % {"number": appointment.number})
            return redirect("affairs:appointment", pk=appointment.pk)
    return render(
        request,
        "affairs/appointment_new.html",
        {
            "items": items,
            "item": item,
            "days": _free_slots(item) if item else {},
            "enterprises": enterprises,
        },
    )


@permission_required("affairs.view_appointment")
def appointment_detail(request, pk: int):
    appointment = get_object_or_404(_appointments(request.user), pk=pk)
    user = request.user
    changeable = appointment.state == AppointmentState.BOOKED and user.has_perm(
        "affairs.book_appointment", appointment.enterprise
    )
    return render(
        request,
        "affairs/appointment_detail.html",
        {
            "a": appointment,
            "changeable": changeable,
            "cancel_deadline": services.cancel_deadline(appointment),
            "on_the_day": timezone.localtime(appointment.slot.starts_at).date()
            == timezone.localdate(),
            "manage": user.has_perm("affairs.manage_appointments"),
            "days": _free_slots(appointment.item, exclude=appointment.slot_id)
            if changeable
            else {},
        },
    )


@require_POST
@permission_required("affairs.view_appointment")
def appointment_act(request, pk: int):
    appointment = get_object_or_404(_appointments(request.user), pk=pk)
    action = request.POST.get("action")
    target = appointment
    try:
        if action == "cancel":
            services.appointment_cancel(appointment=appointment, by=request.user)
        elif action == "reschedule":
            slot = get_object_or_404(Slot, pk=int_or_none(request.POST.get("slot")))
            target = services.appointment_reschedule(
                appointment=appointment, slot=slot, by=request.user
            )
        elif action == "check_in":
            services.appointment_check_in(appointment=appointment, by=request.user)
        else:
            raise ValidationError(_("Unknown action."))
    except (ValidationError, PermissionDenied) as error:
        report_refusal(request, error)
    else:
        messages.success(request, _("Recorded."))
    return redirect("affairs:appointment", pk=target.pk)


def _ics(appointments, name: str) -> HttpResponse:
    response = HttpResponse(
        services.calendar_file(appointments), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    return response


@permission_required("affairs.view_appointment")
def appointment_ics(request, pk: int):
    appointment = get_object_or_404(_appointments(request.user), pk=pk)
    return _ics([appointment], appointment.number)


@permission_required("affairs.view_appointment")
def appointments_ics(request):
    """Every upcoming booking the user can see, for a calendar program."""
    upcoming = _appointments(request.user).filter(
        slot__ends_at__gte=timezone.now(), state=AppointmentState.BOOKED
    )[:500]
    return _ics(list(upcoming), "appointments")


# --- bundles ----------------------------------------------------------------------------------


@permission_required("affairs.view_bundle")
def bundle_list(request):
    user = request.user
    runs = BundleCase.objects.restrict(user).select_related("bundle", "enterprise")
    runs = list(runs[:50]) if user.has_perm("affairs.view_bundlecase") else []
    for run in runs:
        run.timing = services.bundle_clock(run)
    return render(
        request,
        "affairs/bundle_list.html",
        {
            "bundles": Bundle.objects.filter(is_active=True).prefetch_related("steps__item"),
            "runs": runs,
        },
    )


@permission_required("affairs.view_bundle")
def bundle_detail(request, pk: int):
    bundle = get_object_or_404(Bundle.objects.filter(is_active=True), pk=pk)
    user = request.user
    enterprises = _acting_for(user)
    if request.method == "POST":
        enterprise = enterprises.filter(pk=int_or_none(request.POST.get("enterprise"))).first()
        try:
            if enterprise is None:
                raise ValidationError(_("Choose the enterprise."))
            run = services.bundle_file(bundle=bundle, enterprise=enterprise, by=user)
        except (ValidationError, PermissionDenied) as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("Filed: %(number)s") % {"number": run.number})
            return redirect("affairs:bundle_case", pk=run.pk)
        return redirect("affairs:bundle", pk=pk)
    steps = list(bundle.steps.select_related("item__department").prefetch_related("after"))
    return render(
        request,
        "affairs/bundle_detail.html",
        {
            "bundle": bundle,
            "steps": steps,
            "can_file": user.has_perm("affairs.add_application"),
            "enterprises": enterprises,
        },
    )


@permission_required("affairs.view_bundlecase")
def bundle_case_detail(request, pk: int):
    run = get_object_or_404(
        BundleCase.objects.restrict(request.user).select_related("bundle", "enterprise"), pk=pk
    )
    cases = {a.bundle_step_id: a for a in run.cases.all()}
    steps = list(run.bundle.steps.select_related("item").prefetch_related("after"))
    for step in steps:
        step.case = cases.get(step.pk)
        step.clock = services.clock(step.case) if step.case else None
    return render(
        request,
        "affairs/bundle_case_detail.html",
        {"run": run, "steps": steps, "timing": services.bundle_clock(run)},
    )


# --- agency -----------------------------------------------------------------------------------


def _authorizations(user):
    return Authorization.objects.restrict(user).select_related(
        "enterprise", "agent", "project", "granted_by"
    )


@permission_required("affairs.view_authorization")
def authorization_list(request):
    """The enterprise's authorisations (and the form to grant one), or the agent's."""
    from gaoxin.accounts.models import Role, User
    from gaoxin.projects.models import Project

    user = request.user
    can_grant = user.has_perm("affairs.add_authorization")
    enterprises = (
        _acting_for(user) if can_grant and user.role != "agent" else Enterprise.objects.none()
    )
    error = None
    if request.method == "POST":
        enterprise = enterprises.filter(pk=int_or_none(request.POST.get("enterprise"))).first()
        try:
            if enterprise is None:
                raise ValidationError(_("Choose the enterprise."))
            valid_from = date_or_none(request.POST.get("valid_from"))
            valid_until = date_or_none(request.POST.get("valid_until"))
            if valid_from is None or valid_until is None:
                raise ValidationError(_("Give the period as two dates."))
            authorization = services.authorization_grant(
                enterprise=enterprise,
                agent=User.objects.filter(
                    pk=int_or_none(request.POST.get("agent")), role=Role.AGENT
                ).first(),
                scope=request.POST.get("scope", ""),
                items=ServiceItem.objects.active().filter(
                    pk__in=int_list(request.POST.getlist("items"))
                ),
                project=Project.objects.filter(
                    pk=int_or_none(request.POST.get("project")), enterprise=enterprise
                ).first(),
                valid_from=valid_from,
                valid_until=valid_until,
                signatory=request.POST.get("signatory", ""),
                by=user,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        except PermissionDenied:
            error = _("You may not authorise for this enterprise.")
        else:
            messages.success(
                request, _("Authorisation %(number)s granted.") % {"number": authorization.number}
            )
            return redirect("affairs:authorization", pk=authorization.pk)
    today = timezone.localdate()
    return render(
        request,
        "affairs/authorization_list.html",
        {
            "authorizations": _authorizations(user)[:100],
            "today": today,
            "can_grant": can_grant and user.role != "agent",
            "enterprises": enterprises,
            "agents": User.objects.filter(role=Role.AGENT, is_active=True).order_by("full_name"),
            "items": ServiceItem.objects.active().order_by("code"),
            "projects": Project.objects.filter(enterprise__in=enterprises).order_by("name")
            if user.role == "enterprise"
            else Project.objects.none(),
            "scopes": AuthorizationScope.choices,
            "error": error,
            "default_until": today + dt.timedelta(days=90),
        },
        status=400 if error else 200,
    )


@permission_required("affairs.view_authorization")
def authorization_detail(request, pk: int):
    """The printable authorisation (代办委托书), its revocation, and everything the agent did
    under it — the enterprise sees it all."""
    from gaoxin.affairs.models import ApplicationStep

    authorization = get_object_or_404(_authorizations(request.user), pk=pk)
    user = request.user
    if request.method == "POST":
        try:
            services.authorization_revoke(authorization=authorization, by=user)
        except (ValidationError, PermissionDenied) as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("Authorisation revoked."))
        return redirect("affairs:authorization", pk=pk)
    acts = (
        ApplicationStep.objects.filter(
            application__authorization=authorization, by=authorization.agent
        )
        .select_related("application")
        .order_by("at")
    )
    return render(
        request,
        "affairs/authorization_detail.html",
        {
            "auth": authorization,
            "items": authorization.items.all(),
            "acts": acts,
            "cases": Application.objects.filter(authorization=authorization),
            "appointments": Appointment.objects.filter(authorization=authorization).select_related(
                "slot__window", "item"
            ),
            "runs": BundleCase.objects.filter(authorization=authorization).select_related("bundle"),
            "in_force": authorization.active_on(timezone.localdate()),
            "can_revoke": authorization.revoked_at is None
            and user.has_perm("affairs.add_authorization", authorization.enterprise),
        },
    )


# --- ratings ----------------------------------------------------------------------------------


@require_POST
@permission_required("affairs.rate_application")
def application_rate(request, pk: int):
    application = get_object_or_404(Application.objects.restrict(request.user), pk=pk)
    level = int_or_none(request.POST.get("level"))
    reasons = request.POST.get("reasons", "")
    try:
        if level is None:
            raise ValidationError({"level": [_("Choose how satisfied you are.")]})
        services.rating_give(application=application, by=request.user, level=level, reasons=reasons)
    except ValidationError as error:
        # Shown again with what the rater chose and wrote, so nothing has to be redone.
        # (cases' page imports this module's rating_context: deferred to break the cycle.)
        from gaoxin.affairs.views.cases import render_case

        report_refusal(request, error)
        return render_case(
            request, application, rating_form={"level": level, "reasons": reasons}, status=400
        )
    except PermissionDenied as error:
        report_refusal(request, error)
    else:
        messages.success(request, _("Thank you for your rating."))
    return redirect("affairs:application", pk=pk)


@permission_required("affairs.view_rating")
def rating_list(request):
    from gaoxin.affairs.models import Rating

    ratings = Rating.objects.select_related("application__enterprise", "remediation__department")
    if request.user.role == "enterprise":
        ratings = ratings.filter(application__enterprise_id=request.user.enterprise_id)
    if request.GET.get("bad"):
        ratings = ratings.filter(level__lte=2)
    page = Paginator(ratings, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "affairs/rating_list.html",
        {"page": page, "bad": bool(request.GET.get("bad")), "today": timezone.localdate()},
    )


@permission_required("affairs.view_remediation")
def remediation_detail(request, pk: int):
    remediation = get_object_or_404(
        Remediation.objects.restrict(request.user).select_related(
            "rating__application__enterprise", "department", "replied_by", "visited_by"
        ),
        pk=pk,
    )
    user = request.user
    if request.method == "POST":
        try:
            if request.POST.get("action") == "visit":
                services.remediation_visit(
                    remediation=remediation, by=user, notes=request.POST.get("return_visit", "")
                )
            else:
                services.remediation_reply(
                    remediation=remediation, by=user, reply=request.POST.get("reply", "")
                )
        except (ValidationError, PermissionDenied) as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("Recorded."))
        return redirect("affairs:remediation", pk=pk)
    return render(
        request,
        "affairs/remediation_detail.html",
        {
            "r": remediation,
            "can_act": user.has_perm("affairs.remedy_rating", remediation),
            "today": timezone.localdate(),
        },
    )


RATING_LEVELS = RatingLevel.choices


def rating_context(application, user) -> dict:
    """What the case page needs for rating: the rating, or the form while it may be given."""
    rating = getattr(application, "rating", None)
    return {
        "rating": rating,
        "can_rate": rating is None
        and application.state == "closed"
        and user.has_perm("affairs.rate_application", application),
        "rating_due": services.rating_due(application),
        "rating_levels": RATING_LEVELS,
    }
