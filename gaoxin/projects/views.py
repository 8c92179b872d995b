"""Pages of the project register: list, kanban, detail with timeline, forms, statistics."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.core import audit
from gaoxin.core.attachments import attachments_of, download
from gaoxin.core.editing import (
    apply_service_errors,
    form_status,
    report_form_errors,
    submit_versioned,
)
from gaoxin.core.excel import xlsx_response
from gaoxin.core.models import BackgroundJob
from gaoxin.core.permissions import permission_required
from gaoxin.core.uploads import check_spreadsheet, store
from gaoxin.projects import exports, services, stats
from gaoxin.projects.forms import (
    AdvanceForm,
    CorrectionForm,
    EngagementForm,
    MoneyForm,
    ProjectCreateForm,
    ProjectForm,
    TargetForm,
    period_from_request,
)
from gaoxin.projects.importer import template_workbook
from gaoxin.projects.models import Figure, StageEvent, Target
from gaoxin.projects.selectors import (
    kanban,
    project_base,
    project_get,
    project_list,
    project_timeline,
)
from gaoxin.projects.stages import allowed_next
from gaoxin.projects.tasks import import_projects

PAGE_SIZE = 25


def _form_data(form) -> dict:
    return {
        k: v
        for k, v in form.cleaned_data.items()
        if k not in ("version", "first_stage", "first_on")
    }


@permission_required("projects.view_project")
def project_list_view(request):
    filterset, queryset = project_list(user=request.user, params=request.GET)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "can_add": request.user.has_perm("projects.add_project"),
        "can_export": request.user.has_perm("projects.export_project"),
        "can_import": request.user.has_perm("projects.import_project"),
    }
    template = (
        "projects/partials/project_rows.html" if request.htmx else "projects/project_list.html"
    )
    return render(request, template, context)


@permission_required("projects.export_project")
def project_export(request):
    _filterset, queryset = project_list(user=request.user, params=request.GET)
    return xlsx_response(*exports.projects_workbook(queryset))


@permission_required("projects.view_project")
def project_kanban(request):
    filterset, columns = kanban(user=request.user, params=request.GET)
    return render(request, "projects/kanban.html", {"filter": filterset, "columns": columns})


@permission_required("projects.view_project")
def project_detail(request, pk: int):
    project = project_get(user=request.user, pk=pk)
    can_work = request.user.has_perm("projects.advance_project", project)
    allowed = allowed_next(project.stage) if project.events.exists() else set()
    context = {
        "project": project,
        "timeline": project_timeline(project, with_engagements=request.user.is_zone_staff),
        "can_work": can_work,
        "can_change": request.user.has_perm("projects.change_project", project),
        "advance_form": AdvanceForm(allowed=allowed) if can_work and allowed else None,
        "engagement_form": EngagementForm(initial={"on": timezone.localdate()}),
        "money_form": MoneyForm(),
        "attachments": attachments_of(project),
        "latest_event_id": (
            StageEvent.objects.effective()
            .filter(project=project)
            .order_by("-on", "-id")
            .values_list("pk", flat=True)
            .first()
        ),
    }
    return render(request, "projects/project_detail.html", context)


@permission_required("projects.add_project")
def project_create(request):
    form = ProjectCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(
                by=request.user,
                data=_form_data(form),
                stage=form.cleaned_data["first_stage"],
                on=form.cleaned_data["first_on"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Project %(name)s was registered.") % {"name": project.name}
            )
            return redirect("projects:detail", pk=project.pk)
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "creating": True},
        status=400 if form.errors else 200,
    )


@permission_required("projects.change_project")
def project_edit(request, pk: int):
    project = project_get(user=request.user, pk=pk, action="change")
    if not request.user.has_perm("projects.change_project", project):
        return render(request, "403.html", status=403)
    form = ProjectForm(request.POST or None, instance=project)
    current = None
    if request.method == "POST" and form.is_valid():
        saved, current = submit_versioned(
            form,
            lambda version: services.project_update(
                project=project, by=request.user, data=_form_data(form), expected_version=version
            ),
        )
        if saved:
            messages.success(request, _("Changes saved."))
            return redirect("projects:detail", pk=project.pk)
    status = form_status(form, current)
    return render(
        request,
        "projects/project_form.html",
        {"form": form, "project": project, "current": current},
        status=status,
    )


def _back_to(project, anchor: str = ""):
    return redirect(reverse("projects:detail", args=[project.pk]) + anchor)


@require_POST
@permission_required("projects.advance_project")
def project_advance(request, pk: int):
    project = project_get(user=request.user, pk=pk)
    form = AdvanceForm(request.POST)
    if form.is_valid():
        try:
            event = services.project_advance(
                project=project,
                to_stage=form.cleaned_data["to_stage"],
                on=form.cleaned_data["on"],
                by=request.user,
                note=form.cleaned_data["note"],
                evidence=form.cleaned_data["evidence"],
            )
        except ValidationError as error:
            report_form_errors(request, form, error)
        else:
            messages.success(
                request,
                _("Recorded: %(stage)s on %(date)s.")
                % {"stage": event.get_stage_display(), "date": event.on},
            )
    else:
        report_form_errors(request, form)
    return _back_to(project, "#timeline")


@require_POST
@permission_required("projects.correct_stageevent")
def event_correct(request, pk: int, event_pk: int):
    project = project_get(user=request.user, pk=pk)
    event = get_object_or_404(StageEvent, pk=event_pk, project=project)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            services.event_correct(event=event, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            report_form_errors(request, form, error)
        else:
            messages.success(
                request, _("The step was voided; the record keeps it, struck through.")
            )
    else:
        report_form_errors(request, form)
    return _back_to(project, "#timeline")


@require_POST
@permission_required("projects.add_engagement")
def engagement_add(request, pk: int):
    project = project_get(user=request.user, pk=pk)
    form = EngagementForm(request.POST)
    if form.is_valid():
        try:
            services.engagement_add(project=project, by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            report_form_errors(request, form, error)
        else:
            messages.success(request, _("Engagement recorded."))
    else:
        report_form_errors(request, form)
    return _back_to(project, "#timeline")


@require_POST
@permission_required("projects.add_moneyentry")
def money_add(request, pk: int):
    project = project_get(user=request.user, pk=pk)
    form = MoneyForm(request.POST)
    if form.is_valid():
        try:
            services.money_add(project=project, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            report_form_errors(request, form, error)
        else:
            messages.success(request, _("Amount recorded."))
    else:
        report_form_errors(request, form)
    return _back_to(project, "#money")


@permission_required("projects.view_statistics")
def money_list(request):
    """The money entries summed by a figure: 到位资金 of a period (``?kind=funds_in_place&start=
    &end=``) or the investment completed by the landed projects up to a day (``?kind=
    investment_completed&as_of=``), from the engine's own lists, with their total."""
    projects = project_base(request.user)
    kind = request.GET.get("kind")
    try:
        if kind == "investment_completed":
            day = dt.date.fromisoformat(request.GET.get("as_of", ""))
            entries, title = (
                stats.investment_done_entries(day, projects),
                _("Investment completed up to %(day)s by the projects being built or operating")
                % {"day": day},
            )
        else:
            period = stats.Period(
                dt.date.fromisoformat(request.GET.get("start", "")),
                dt.date.fromisoformat(request.GET.get("end", "")),
            )
            entries = stats.funds_entries(period, projects)
            title = _("Funds in place %(period)s") % {"period": period}
    except ValueError:
        return render(
            request,
            "projects/money_list.html",
            {"error": _("Give the figure's dates (YYYY-MM-DD).")},
            status=400,
        )
    rows = list(entries.select_related("project").order_by("-on", "-id"))
    return render(
        request,
        "projects/money_list.html",
        {"title": title, "rows": rows, "total": sum((r.amount for r in rows), Decimal(0))},
    )


@permission_required("projects.view_statistics")
def statistics(request):
    form, period = period_from_request(request)
    context = {"form": form, "period": period}
    if period is not None:
        projects = project_base(request.user)
        by = request.GET.get("by")
        by = by if by in exports.BREAKDOWNS else "cluster"
        # One engine call: the figures, their base and the breakdown (the period counted to
        # today when it runs past it, against the same span a year earlier).
        summary = stats.summary(period, projects, dimension=by)
        period = summary.period
        base = reverse("projects:list")
        period_q = {"start": period.start.isoformat(), "end": period.end.isoformat()}
        rows = []
        for stage, label, comparison, stock_n in summary.pipeline:
            rows.append(
                {
                    "stage": stage,
                    "label": label,
                    "entries": comparison,
                    "stock": stock_n,
                    "entries_url": f"{base}?{urlencode({'entered': stage, **period_q})}",
                    "stock_url": f"{base}?{urlencode({'stage_on': stage, 'as_of': period.end})}",
                }
            )
        breakdown = summary.breakdown
        if request.GET.get("export") == "xlsx":
            return xlsx_response(*exports.statistics_workbook(summary, by))
        context.update(
            period=period,
            summary=summary,
            rows=rows,
            earlier=period.year_earlier(),
            breakdown_rows=exports.pivot(breakdown, by),
            by=by,
            breakdowns=[(key, label) for key, label in exports.BREAKDOWNS.items()],
            chart=_chart(rows),
        )
    return render(request, "projects/statistics.html", context, status=200 if period else 400)


def _chart(rows: list[dict]) -> dict:
    labels = [str(r["label"]) for r in rows]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [_("This period"), _("Same period last year")]},
        "grid": {"left": 40, "right": 10, "top": 40, "bottom": 30},
        "xAxis": {"type": "category", "data": labels, "axisLabel": {"interval": 0}},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {"name": _("This period"), "type": "bar", "data": [r["entries"].value for r in rows]},
            {
                "name": _("Same period last year"),
                "type": "bar",
                "data": [r["entries"].base for r in rows],
            },
        ],
    }


@permission_required("projects.view_target")
def targets(request):
    raw_year = request.GET.get("year", "")
    year = (
        int(raw_year)
        if raw_year.isdigit() and 2000 <= int(raw_year) <= 2100
        else (timezone.localdate().year)
    )
    form = TargetForm(request.POST or None, initial={"year": year})
    if request.method == "POST":
        if not request.user.has_perm("projects.change_target"):
            return render(request, "403.html", status=403)
        if form.is_valid():
            try:
                services.target_set(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Target saved."))
                return redirect(f"{reverse('projects:targets')}?year={form.cleaned_data['year']}")
    as_of = min(timezone.localdate(), dt.date(year, 12, 31))
    progress = stats.target_progress(year, as_of, project_base(request.user))
    return render(
        request,
        "projects/targets.html",
        {
            "form": form,
            "year": year,
            "progress": progress,
            "as_of": as_of,
            "can_change": request.user.has_perm("projects.change_target"),
            "years": sorted(set(Target.objects.values_list("year", flat=True)) | {year}),
            "figures": Figure,
        },
        status=400 if form.errors else 200,
    )


@permission_required("projects.import_project")
def project_import(request):

    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ValidationError(_("Choose the ledger file to import."))
            check_spreadsheet(upload)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            job = BackgroundJob.objects.create(
                kind="projects.import",
                user=request.user,
                file_name=upload.name[:200],
                file_path=store(upload, "imports"),
            )
            import_projects.enqueue(job.pk)
            return redirect("core:job", pk=job.pk)
    jobs = BackgroundJob.objects.filter(user=request.user, kind="projects.import")[:10]
    return render(
        request,
        "projects/import.html",
        {"error": error, "jobs": jobs},
        status=400 if error else 200,
    )


@permission_required("projects.import_project")
def project_import_template(request):

    return xlsx_response(_("project-ledger-template"), template_workbook())


def _project_attachment(project, attachment_pk: int):

    return get_object_or_404(attachments_of(project), pk=attachment_pk)


@require_POST
@permission_required("projects.change_project")
def attachment_add(request, pk: int):
    project = project_get(user=request.user, pk=pk, action="change")
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationError(_("Choose a file to attach."))
        services.project_attach(
            project=project,
            upload=upload,
            by=request.user,
            description=request.POST.get("description", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("File attached."))
    return _back_to(project, "#attachments")


@permission_required("projects.view_project")
def attachment_download(request, pk: int, attachment_pk: int):

    project = project_get(user=request.user, pk=pk)
    return download(_project_attachment(project, attachment_pk))


@require_POST
@permission_required("projects.change_project")
def attachment_remove(request, pk: int, attachment_pk: int):
    project = project_get(user=request.user, pk=pk, action="change")
    services.project_detach(
        project=project, attachment=_project_attachment(project, attachment_pk), by=request.user
    )
    messages.success(request, _("File removed."))
    return _back_to(project, "#attachments")


@permission_required("projects.view_project")
def project_history(request, pk: int):

    project = project_get(user=request.user, pk=pk)
    if not request.user.is_zone_staff:
        return render(request, "403.html", status=403)
    return audit.history_page(
        request, project, back_url=reverse("projects:detail", args=[project.pk])
    )
