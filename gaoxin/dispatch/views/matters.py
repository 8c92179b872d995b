"""Pages of 1+N service matters: opening one, its detail and log, acting on it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
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
from gaoxin.dispatch import lights, services, visibility
from gaoxin.dispatch.forms import (
    MatterActionForm,
    MatterForm,
)
from gaoxin.dispatch.models import (
    ServiceMatter,
)
from gaoxin.dispatch.views.base import key_projects_for

__all__ = [
    "matter_act",
    "matter_add",
    "matter_detail",
]


def _matters(user, action="view"):

    return ServiceMatter.objects.restrict(user, action).select_related("key_project__project")


@permission_required("dispatch.view_keyproject")
def matter_add(request, pk: int):

    key_project = get_object_or_404(key_projects_for(request.user), pk=pk)
    if not request.user.has_perm("dispatch.change_keyproject", key_project):
        raise PermissionDenied
    form = MatterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        departments = data.pop("departments")
        try:
            matter = services.matter_add(
                key_project=key_project,
                by=request.user,
                parts=[(d, "") for d in departments],
                **data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Service matter opened."))
            return redirect("dispatch:matter", pk=matter.pk)
    return render(
        request,
        "dispatch/simple_form.html",
        {
            "form": form,
            "title": _("New service matter (1+N)"),
            "pretitle": key_project.project.name,
            "back": reverse("dispatch:key_project", args=[pk]),
        },
        status=400 if form.errors else 200,
    )


@permission_required("dispatch.view_servicematter")
def matter_detail(request, pk: int):

    matter = get_object_or_404(_matters(request.user), pk=pk)
    can_act = request.user.has_perm("dispatch.change_servicematter", matter)
    parts = list(matter.parts.select_related("department"))
    for part in parts:
        part.mine = part.department_id == request.user.department_id or request.user.role == "admin"
    return render(
        request,
        "dispatch/matter_detail.html",
        {
            "matter": matter,
            "parts": parts,
            "actions": visibility.matter_log(request.user, matter),
            "internal": visibility.sees_internal(request.user),
            "light": lights.matter_light(matter, timezone.localdate()),
            "can_act": can_act and matter.state == "open",
        },
    )


@require_POST
@permission_required("dispatch.view_servicematter")
def matter_act(request, pk: int):

    matter = get_object_or_404(_matters(request.user), pk=pk)
    form = MatterActionForm(request.POST)
    if form.is_valid():
        part = None
        if form.cleaned_data["part"]:
            part = matter.parts.filter(pk=form.cleaned_data["part"]).first()
        try:
            services.matter_act(
                matter=matter,
                by=request.user,
                note=form.cleaned_data["note"],
                part=part,
                part_done=form.cleaned_data["part_done"],
            )
        except ValidationError as error:
            report_form_errors(request, form, error)
        except PermissionDenied:
            messages.error(request, _("You may not act on this matter."))
        else:
            messages.success(request, _("Recorded."))
    else:
        report_form_errors(request, form)
    return redirect("dispatch:matter", pk=pk)
