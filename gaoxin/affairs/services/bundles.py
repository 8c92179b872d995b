"""Bundles (一件事): one filing opens a bundle's first steps, each a case of the core workflow;
a step opens when the steps it follows are approved; the run is measured end to end against
the bundle's promise on the work calendar."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.affairs.clocks import limit_minutes
from gaoxin.affairs.models import (
    Application,
    ApplicationChannel,
    ApplicationState,
    Bundle,
    BundleCase,
    BundleCaseState,
)
from gaoxin.affairs.services.agency import authority
from gaoxin.affairs.services.filing import application_create, submit_unchecked
from gaoxin.core import audit, workcalendar
from gaoxin.core.models import AuditAction
from gaoxin.core.numbering import create_numbered

__all__ = ["bundle_advance", "bundle_file", "bundle_step_decided"]


def _channel(by) -> str:
    return {"enterprise": ApplicationChannel.ONLINE, "agent": ApplicationChannel.AGENT}.get(
        by.role, ApplicationChannel.WINDOW
    )


@transaction.atomic
def bundle_file(*, bundle: Bundle, enterprise, by) -> BundleCase:
    """File a bundle for an enterprise: its clock starts now and the steps that follow no
    other open at once (company setup: the business licence first)."""
    if not by.has_perm("affairs.add_application", enterprise):
        raise PermissionDenied
    if not bundle.is_active:
        raise ValidationError(_("This bundle is not offered."))
    steps = list(bundle.steps.select_related("item").prefetch_related("after"))
    if not steps:
        raise ValidationError(_("This bundle has no steps."))
    authorization = authority(by=by, enterprise=enterprise, items=[s.item for s in steps])
    now = timezone.now()
    limit = limit_minutes(bundle.promised_limit, bundle.promised_unit)
    run = create_numbered(
        BundleCase,
        pattern=f"YJS{timezone.localdate().year}{{pk:06d}}",
        bundle=bundle,
        enterprise=enterprise,
        applicant=by,
        authorization=authorization,
        submitted_at=now,
        limit_minutes=limit,
        deadline=workcalendar.add_working_minutes(now, limit).value,
    )
    audit.record(action=AuditAction.CREATE, obj=run, by=by, after=audit.snapshot(run))
    _open_ready_steps(run, steps, by)
    return run


def _open_ready_steps(run: BundleCase, steps, by) -> None:
    opened = {a.bundle_step_id: a for a in run.cases.all()}
    for step in steps:
        if step.pk in opened:
            continue
        before = [opened.get(s.pk) for s in step.after.all()]
        if all(a is not None and _approved(a) for a in before):
            application = application_create(
                enterprise=run.enterprise,
                items=[step.item],
                by=run.applicant if by is None else by,
                channel=_channel(run.applicant),
                bundle_case=run,
                bundle_step=step,
                # Authority was checked for every step when the bundle was filed.
                authorization=run.authorization,
            )
            submit_unchecked(application, application.applicant)
            opened[step.pk] = application


def _approved(application) -> bool:
    if application.state == ApplicationState.APPROVED:
        return True
    return application.state == ApplicationState.CLOSED and _was_approved(application)


def bundle_advance(*, run: BundleCase, by) -> BundleCase:
    """After one of the run's cases is decided: a rejection stops the run; an approval opens
    the steps now ready; the last approval finishes it."""
    run = BundleCase.objects.select_for_update().get(pk=run.pk)
    if run.state != BundleCaseState.OPEN:
        return run
    applications = list(run.cases.all())
    before = audit.snapshot(run)
    if any(
        a.state == ApplicationState.REJECTED
        or (a.state == ApplicationState.CLOSED and not _was_approved(a))
        for a in applications
    ):
        run.state = BundleCaseState.STOPPED
        run.finished_at = timezone.now()
    else:
        steps = list(run.bundle.steps.select_related("item").prefetch_related("after"))
        # The step's acts are the applicant's own, whoever approved the last case.
        _open_ready_steps(run, steps, None)
        applications = list(run.cases.all())
        if len(applications) == len(steps) and all(_approved(a) for a in applications):
            run.state = BundleCaseState.DONE
            run.finished_at = max(a.decided_at for a in applications)
    if run.state != BundleCaseState.OPEN:
        run.save(update_fields=["state", "finished_at", "updated_at"])
        audit.record(
            action=AuditAction.UPDATE, obj=run, by=by, before=before, after=audit.snapshot(run)
        )
    return run


def bundle_step_decided(*, application: Application, by) -> None:
    """A case was decided: when it is a step of a bundle run, the run moves on (the next
    steps open, or the run ends)."""
    if application.bundle_case_id:
        bundle_advance(run=application.bundle_case, by=by)


def _was_approved(application) -> bool:
    return application.steps.filter(to_state=ApplicationState.APPROVED).exists()
