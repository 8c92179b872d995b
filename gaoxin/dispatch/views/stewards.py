"""The steward page of a project: handovers and the service log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core.editing import (
    apply_service_errors,
)
from gaoxin.core.permissions import permission_required
from gaoxin.dispatch import services
from gaoxin.dispatch.forms import (
    ServiceLogForm,
    StewardChangeForm,
)
from gaoxin.projects.selectors import project_get
from gaoxin.projects.stages import phase_of

__all__ = [
    "stewardship",
]


@permission_required("dispatch.view_stewardship")
def stewardship(request, project_pk: int):
    """A project's steward, the handovers and the service log; hand over, write the log."""

    project = project_get(user=request.user, pk=project_pk)
    handover_form = StewardChangeForm(request.POST if "to_steward" in request.POST else None)
    log_form = ServiceLogForm(
        request.POST if "on" in request.POST else None, initial={"on": timezone.localdate()}
    )
    if request.method == "POST":
        form = handover_form if "to_steward" in request.POST else log_form
        if form.is_valid():
            try:
                if form is handover_form:
                    services.steward_change(project=project, by=request.user, **form.cleaned_data)
                else:
                    services.service_log_add(project=project, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            except PermissionDenied:
                form.add_error(None, _("You may not do this for this project."))
            else:
                messages.success(request, _("Recorded."))
                return redirect("dispatch:stewardship", project_pk=project.pk)
    return render(
        request,
        "dispatch/stewardship.html",
        {
            "project": project,
            "phase": phase_of(project.stage),
            "handovers": project.steward_handovers.select_related(
                "from_steward", "to_steward", "by"
            ).order_by("-at"),
            "log": project.service_log.select_related("steward")[:100],
            "handover_form": handover_form,
            "log_form": log_form,
            "can_hand_over": request.user.has_perm("dispatch.add_stewardhandover", project),
            "can_log": request.user.has_perm("dispatch.add_servicelogentry", project),
        },
        status=400 if handover_form.errors or log_form.errors else 200,
    )
