"""Pages of dispatch meetings and their decision tasks."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.core.editing import (
    apply_service_errors,
    report_form_errors,
)
from gaoxin.core.permissions import permission_required
from gaoxin.dispatch import lights, services
from gaoxin.dispatch.forms import (
    DecisionForm,
    MeetingForm,
    TaskDoneForm,
)
from gaoxin.dispatch.models import (
    DecisionTask,
    DispatchMeeting,
)
from gaoxin.dispatch.views.base import key_projects_for

__all__ = [
    "meeting_add",
    "meeting_detail",
    "meeting_list",
    "task_done",
]


@permission_required("dispatch.view_dispatchmeeting")
def meeting_list(request):

    meetings = (
        DispatchMeeting.objects.restrict(request.user)
        .select_related("chaired_by")
        .annotate(
            n_tasks=models.Count("tasks"),
            n_open=models.Count("tasks", filter=models.Q(tasks__done_on__isnull=True)),
        )
        .order_by("-held_on", "-id")
    )
    return render(
        request,
        "dispatch/meeting_list.html",
        {
            "page": Paginator(meetings, 25).get_page(request.GET.get("page")),
            "can_add": request.user.has_perm("dispatch.add_dispatchmeeting"),
        },
    )


@permission_required("dispatch.add_dispatchmeeting")
def meeting_add(request):

    form = MeetingForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_record(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Meeting recorded. Now add its decisions."))
            return redirect("dispatch:meeting", pk=meeting.pk)
    return render(
        request,
        "dispatch/simple_form.html",
        {
            "form": form,
            "title": _("Record a dispatch meeting"),
            "back": reverse("dispatch:meetings"),
        },
        status=400 if form.errors else 200,
    )


@permission_required("dispatch.view_dispatchmeeting")
def meeting_detail(request, pk: int):

    meeting = get_object_or_404(
        DispatchMeeting.objects.restrict(request.user).select_related("chaired_by"), pk=pk
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("dispatch.add_dispatchmeeting"):
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            kp_pk = data.pop("key_project")
            key_project = key_projects_for(request.user).filter(pk=kp_pk).first() if kp_pk else None
            try:
                services.decision_add(
                    meeting=meeting, by=request.user, key_project=key_project, **data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Decision recorded as a task."))
                return redirect("dispatch:meeting", pk=pk)
    today = timezone.localdate()
    tasks = list(meeting.tasks.select_related("owner", "department", "key_project__project"))
    for task in tasks:
        task.light = lights.task_light(task, today)
        task.can_complete = not task.done_on and request.user.has_perm(
            "dispatch.change_decisiontask", task
        )
    return render(
        request,
        "dispatch/meeting_detail.html",
        {
            "meeting": meeting,
            "attendees": meeting.attendees.select_related("department"),
            "tasks": tasks,
            "form": form,
            "done_form": TaskDoneForm(),
            "can_add": request.user.has_perm("dispatch.add_dispatchmeeting"),
            "key_projects": key_projects_for(request.user).filter(year=meeting.held_on.year),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@permission_required("dispatch.view_decisiontask")
def task_done(request, pk: int):

    task = get_object_or_404(DecisionTask.objects.restrict(request.user), pk=pk)
    form = TaskDoneForm(request.POST)
    if form.is_valid():
        try:
            services.decision_complete(task=task, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            report_form_errors(request, form, error)
        except PermissionDenied:
            messages.error(request, _("Only the owner or the owner's department completes a task."))
        else:
            messages.success(request, _("Task done."))
    else:
        report_form_errors(request, form)
    return redirect("dispatch:meeting", pk=task.meeting_id)
