"""Filing a case (办件): the draft for one or more published items, the materials handed in
(each a file for a listed material), and the submission — checked for the essential materials
when filed online or by an agent; at the window the clerk has the papers in hand."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.affairs.models import (
    Application,
    ApplicationChannel,
    ApplicationState,
    ApplicationStep,
    CaseMaterial,
    Material,
)
from gaoxin.affairs.services.agency import authority
from gaoxin.affairs.services.notices import quoted_names, tell_window_of_filing
from gaoxin.affairs.services.prereview import attach_pre_review
from gaoxin.affairs.services.workflow import locked, move, save
from gaoxin.core import audit
from gaoxin.core.attachments import attach
from gaoxin.core.models import AuditAction
from gaoxin.core.numbering import create_numbered

__all__ = [
    "application_create",
    "application_submit",
    "material_upload",
    "materials_handed_in",
    "missing_materials",
    "submit_unchecked",
]

A = ApplicationState


@transaction.atomic
def application_create(
    *,
    enterprise,
    items,
    by,
    channel: str,
    pre_review=None,
    project=None,
    authorization=None,
    bundle_case=None,
    bundle_step=None,
) -> Application:
    """A draft application of an enterprise for one or more published items (with the
    outcome of its pre-review, if one was held). An agent files only inside an authorisation
    in force, and the case carries it."""
    items = list(items)
    if not by.has_perm("affairs.add_application", enterprise):
        raise PermissionDenied
    if not items:
        raise ValidationError({"items": [_("Choose at least one service item.")]})
    if any(not i.is_active for i in items):
        raise ValidationError({"items": [_("An item is not in the published catalogue.")]})
    if project is not None and project.enterprise_id != enterprise.pk:
        raise ValidationError({"project": [_("The project is another enterprise's.")]})
    if authorization is None:
        authorization = authority(by=by, enterprise=enterprise, items=items, project=project)
    if authorization is not None:
        channel = ApplicationChannel.AGENT
        project = project or authorization.project
    # Readable and unique without a race: the year and the row's own id.
    application = create_numbered(
        Application,
        pattern=f"GX{timezone.localdate().year}{{pk:07d}}",
        enterprise=enterprise,
        channel=channel,
        applicant=by,
        project=project,
        authorization=authorization,
        bundle_case=bundle_case,
        bundle_step=bundle_step,
    )
    application.items.set(items)
    if pre_review is not None:
        attach_pre_review(application=application, pre_review=pre_review)
    ApplicationStep.objects.create(application=application, to_state=A.DRAFT, by=by)
    audit.record(
        action=AuditAction.CREATE, obj=application, by=by, after=audit.snapshot(application)
    )
    return application


def materials_handed_in(application: Application) -> set[int]:
    """The listed materials the applicant has uploaded a file for."""
    return set(application.case_materials.values_list("material_id", flat=True))


def missing_materials(application: Application) -> tuple[list[Material], list[Material]]:
    """The essential and the waivable materials of the case's items with no file yet."""
    handed_in = materials_handed_in(application)
    essential, waivable = [], []
    for item in application.items.prefetch_related("materials"):
        for material in item.materials.all():
            if material.pk not in handed_in:
                (essential if material.essential else waivable).append(material)
    return essential, waivable


@transaction.atomic
def application_submit(*, application, by, deficiency=()) -> Application:
    """Submit a draft. Filed online or by an agent, every essential material must be handed in;
    a waivable one may be left out only when the applicant asks to bring it later (容缺) — the
    window decides on that at acceptance. At the window the clerk has the papers in hand."""
    application = locked(application)
    if not by.has_perm("affairs.submit_application", application):
        raise PermissionDenied
    if application.state != A.DRAFT:
        raise ValidationError(_("This application has been submitted already."))
    deficiency = list(deficiency)
    if application.channel != ApplicationChannel.WINDOW:
        essential, waivable = missing_materials(application)
        if essential:
            raise ValidationError(
                {
                    "materials": [
                        _("Upload the essential materials before submitting: %(names)s.")
                        % {"names": quoted_names(essential)}
                    ]
                }
            )
        asked = {m.pk for m in deficiency}
        if any(m.pk not in {w.pk for w in waivable} for m in deficiency):
            raise ValidationError(
                {"deficiency": [_("Only waivable materials not yet uploaded may follow later.")]}
            )
        unanswered = [m for m in waivable if m.pk not in asked]
        if unanswered:
            raise ValidationError(
                {
                    "materials": [
                        _(
                            "Upload %(names)s, or ask to bring them later (容缺); the window "
                            "decides on that at acceptance."
                        )
                        % {"names": quoted_names(unanswered)}
                    ]
                }
            )
        application.deficiency_requested.set(deficiency)
    application = submit_unchecked(application, by)
    if application.channel != ApplicationChannel.WINDOW:
        tell_window_of_filing(application)
    return application


def submit_unchecked(application: Application, by) -> Application:
    """Submit without asking who may: for the steps a bundle opens by itself, filed (and
    checked) with the bundle."""
    before = audit.snapshot(application)
    move(application, A.SUBMITTED, by=by)
    application.submitted_at = timezone.now()
    save(application, by, before)
    return application


@transaction.atomic
def material_upload(*, application, upload, by, material=None):
    """Attach a material's file to a case, a draft included (type, content and size checked by
    core.attachments; stored under a random name; served only through the case's access
    check). A file for one of the listed materials counts as handing that material in."""
    if not by.has_perm("affairs.supply_application", application):
        raise PermissionDenied
    if application.state in (ApplicationState.REJECTED, ApplicationState.CLOSED):
        raise ValidationError(_("This case is decided; nothing more can be added."))
    if material is not None and not application.items.filter(materials=material).exists():
        raise ValidationError(_("This material does not belong to the case's items."))
    attachment = attach(
        obj=application, upload=upload, by=by, description=material.name if material else ""
    )
    if material is not None:
        CaseMaterial.objects.create(
            application=application, material=material, attachment=attachment
        )
    ApplicationStep.objects.create(
        application=application,
        note=(
            _("Material uploaded: %(material)s (%(name)s)")
            % {"material": material.name, "name": attachment.original_name}
            if material is not None
            else _("Material uploaded: %(name)s") % {"name": attachment.original_name}
        ),
        by=by,
    )
    return attachment
