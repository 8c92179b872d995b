"""The platform's own pages: the audit log, the work calendar, notifications, a long job's
progress and the error pages. (Each role's home page is in gaoxin.portal.)"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gaoxin.core import exports, workcalendar
from gaoxin.core import notifications as notes
from gaoxin.core.excel import xlsx_response
from gaoxin.core.filters import AuditEntryFilter
from gaoxin.core.forms import CalendarYearForm
from gaoxin.core.models import AuditEntry, BackgroundJob, CalendarDay, CalendarYear
from gaoxin.core.permissions import AUTHENTICATED, permission_required, public

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


@permission_required("core.view_auditentry")
def audit_log(request):
    filterset = AuditEntryFilter(
        request.GET, queryset=AuditEntry.objects.select_related("content_type", "user")
    )
    entries = filterset.qs
    if request.GET.get("export") == "xlsx":
        return xlsx_response(*exports.audit_workbook(entries))
    page = paginate(request, entries)
    template = "core/partials/audit_rows.html" if request.htmx else "core/audit_log.html"
    return render(request, template, {"filter": filterset, "page": page})


@permission_required("core.view_calendarday")
def calendar(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    known = CalendarYear.objects.filter(year=year).first()
    days = CalendarDay.objects.filter(date__year=year)
    result = None
    calc_error = None
    calc_start, calc_days = today, 5
    if "start" in request.GET:
        try:
            calc_start = dt.date.fromisoformat(request.GET["start"])
            calc_days = int(request.GET.get("days", "0"))
            result = workcalendar.add_working_days(calc_start, calc_days)
        except ValueError:  # a malformed date, a count out of range, or OutOfRange
            calc_error = _(
                "Enter a date (YYYY-MM-DD) and a number of working days between 0 and 3660."
            )
    form = None
    if request.user.has_perm("core.change_calendarday"):
        initial = {"year": year}
        if known:
            initial["holidays"] = "\n".join(
                f"{d.date} {d.name}" for d in days if d.kind == CalendarDay.Kind.HOLIDAY
            )
            initial["makeup_workdays"] = "\n".join(
                f"{d.date} {d.name}" for d in days if d.kind == CalendarDay.Kind.MAKEUP_WORKDAY
            )
            initial["note"] = known.note
        form = CalendarYearForm(initial=initial)
    return render(
        request,
        "core/calendar.html",
        {
            "year": year,
            "known": known,
            "days": days,
            "years": CalendarYear.objects.all(),
            "result": result,
            "calc_error": calc_error,
            "form": form,
            "today": today,
            "calc_start": calc_start,
            "calc_days": calc_days,
        },
    )


@permission_required("core.change_calendarday")
def calendar_year_edit(request):
    if request.method != "POST":
        return redirect("core:calendar")
    form = CalendarYearForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        workcalendar.calendar_year_set(
            year=data["year"],
            holidays=data["holiday_days"],
            makeup_workdays=data["makeup_days"],
            note=data["note"],
            by=request.user,
        )
        messages.success(request, _("The %(year)d schedule was saved.") % {"year": data["year"]})
        return redirect(f"{reverse('core:calendar')}?year={data['year']}")
    year = form.data.get("year") or timezone.localdate().year
    return render(
        request,
        "core/calendar.html",
        {
            "year": year,
            "form": form,
            "years": CalendarYear.objects.all(),
            "days": CalendarDay.objects.none(),
            "today": timezone.localdate(),
        },
        status=400,
    )


def _error_language(request) -> str:
    """The language of an error page: the user's choice (the cookie), else Chinese.

    Chosen here rather than left to the language middleware, which an error raised before it
    (a bad Host header, a refused request) never reaches; the Accept-Language header is
    ignored, as everywhere (``LanguageMiddleware``).
    """
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) if request else None
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _error_page(request, template: str, status: int, api_message: str):
    """The Chinese (or chosen-language) error page; JSON in the API's shape under /api/.

    Rendered without context processors: the error may be the database, and the page must
    never show more than its message (no URL list, no settings), whoever asks.
    """
    with translation.override(_error_language(request)):
        if request is not None and request.path.startswith("/api/"):
            return JsonResponse({"message": _(api_message), "errors": {}}, status=status)
        body = loader.get_template(template).render({})
    return HttpResponse(body, status=status)


@public
def error_400(request, exception=None):
    return _error_page(request, "400.html", 400, gettext_noop("Bad request."))


@public
def error_403(request, exception=None):
    return _error_page(
        request, "403.html", 403, gettext_noop("You do not have permission to do this.")
    )


@public
def error_404(request, exception=None):
    return _error_page(request, "404.html", 404, gettext_noop("Not found."))


@public
def error_500(request):
    return _error_page(request, "500.html", 500, gettext_noop("Server error."))


@public
def csrf_failure(request, reason=""):
    """A refused form (expired page or missing CSRF token): a Chinese page, not Django's."""
    return _error_page(
        request, "403_csrf.html", 403, gettext_noop("The form expired; reload the page.")
    )


@permission_required(AUTHENTICATED)
def notifications(request):
    if request.method == "POST":
        raw = request.POST.get("id")
        notes.mark_read(
            user=request.user, notification_id=int(raw) if raw and raw.isdigit() else None
        )
        return redirect("core:notifications")
    page = paginate(request, request.user.notifications.all())
    return render(request, "core/notifications.html", {"page": page})


@permission_required(AUTHENTICATED)
def job_detail(request, pk: int):
    """Progress and outcome of one of the user's long jobs; htmx polls the partial."""
    job = get_object_or_404(BackgroundJob, pk=pk, user=request.user)
    template = "core/partials/job_status.html" if request.htmx else "core/job.html"
    return render(request, template, {"job": job})
