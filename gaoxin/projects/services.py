"""Writes to the project register. Views, API, the importer and commands all come through here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import Role, User
from gaoxin.core import audit
from gaoxin.core.attachments import attach, detach
from gaoxin.core.locking import save_with_version
from gaoxin.core.models import AuditAction
from gaoxin.core.notifications import notify
from gaoxin.projects.models import (
    PROJECT_FIELDS,
    Engagement,
    MoneyEntry,
    MoneyKind,
    Project,
    StageCorrection,
    StageEvent,
    StewardHandover,
    Target,
)
from gaoxin.projects.stages import INITIAL, Stage, allowed_next, phase_of


def _stage_label(stage: str) -> str:
    return str(Stage(stage).label)


def _check_date(on: dt.date, field: str = "on") -> None:
    if on > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


def _check_fields(data: dict[str, Any]) -> None:
    unknown = set(data) - set(PROJECT_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))})


def _validate_project(project: Project) -> None:
    errors: dict[str, list[str]] = {}
    if not project.enterprise_id and not project.prospective_investor.strip():
        errors["prospective_investor"] = [
            _("Choose the investor from the register or name the prospective investor.")
        ]
    total = project.total_investment or Decimal(0)
    for part in ("fixed_asset_investment", "foreign_investment"):
        if (getattr(project, part) or 0) > total:
            errors[part] = [_("Cannot exceed the total investment.")]
    if errors:
        raise ValidationError(errors)
    project.full_clean(exclude=["stage", "stage_since"])


def latest_event(project: Project) -> StageEvent | None:
    return StageEvent.objects.effective().filter(project=project).order_by("-on", "-id").first()


def _sync_stage(project: Project) -> None:
    """Set the project's current stage from its latest effective event (same transaction)."""
    last = latest_event(project)
    stage, since = (last.stage, last.on) if last else (Stage.LEAD, None)
    Project.objects.filter(pk=project.pk).update(stage=stage, stage_since=since)
    project.stage, project.stage_since = stage, since


def _event_snapshot(event: StageEvent) -> dict[str, Any]:
    return {
        "project": event.project_id,
        "stage": event.stage,
        "from_stage": event.from_stage,
        "on": event.on.isoformat(),
        "note": event.note,
        "evidence": event.evidence,
    }


@transaction.atomic
def project_create(
    *, by, data: dict[str, Any], stage: str = Stage.LEAD, on: dt.date | None = None, note: str = ""
) -> Project:
    """Register a project and its first stage event (a lead or a negotiation)."""
    if not by.has_perm("projects.add_project"):
        raise PermissionDenied
    _check_fields(data)
    on = on or timezone.localdate()
    if stage not in INITIAL:
        raise ValidationError({"stage": _("A new project starts as a lead or in negotiation.")})
    _check_date(on)
    project = Project(**data)
    _validate_project(project)
    project.stage, project.stage_since = stage, on
    project.save()
    audit.record(action=AuditAction.CREATE, obj=project, by=by, after=audit.snapshot(project))
    event = StageEvent.objects.create(
        project=project, stage=stage, on=on, note=note, recorded_by=by
    )
    audit.record(action=AuditAction.CREATE, obj=event, by=by, after=_event_snapshot(event))
    return project


@transaction.atomic
def project_update(*, project: Project, by, data: dict[str, Any], expected_version: int) -> Project:
    """Change a project's particulars (not its stage: that is project_advance)."""
    if not by.has_perm("projects.change_project", project):
        raise PermissionDenied
    _check_fields(data)
    before = audit.snapshot(Project.objects.get(pk=project.pk))
    for field, value in data.items():
        setattr(project, field, value)
    _validate_project(project)
    save_with_version(project, expected_version=expected_version, fields=data.keys())
    after = audit.snapshot(project)
    if after != before:
        audit.record(action=AuditAction.UPDATE, obj=project, by=by, before=before, after=after)
    if after.get("steward") != before.get("steward"):
        # Every change of steward is a handover on record, whichever form made it.
        previous = User.objects.filter(pk=before.get("steward")).first()
        _handover_record(project=project, from_steward=previous, to_steward=project.steward, by=by)
    return project


def _handover_record(
    *, project: Project, from_steward, to_steward, by, note: str = ""
) -> StewardHandover:
    """Put a change of steward on record (the steward's history) and tell the successor."""
    handover = StewardHandover.objects.create(
        project=project,
        from_steward=from_steward,
        to_steward=to_steward,
        phase=phase_of(project.stage),
        note=note.strip(),
        by=by,
    )
    audit.record(action=AuditAction.CREATE, obj=handover, by=by, after=audit.snapshot(handover))
    if to_steward is not None:
        notify(
            user=to_steward,
            key=f"handover-{handover.pk}",
            title=_("You now steward %(project)s") % {"project": project.name},
            body=note.strip(),
            link=f"/dispatch/projects/{project.pk}/steward/",
        )
    return handover


@transaction.atomic
def steward_hand_over(*, project: Project, to_steward, by, note: str) -> StewardHandover:
    """Hand a project over to another steward, with a note for the successor: the project's
    steward changes and the handover goes on record."""
    if not by.has_perm("projects.hand_over_steward", project):
        raise PermissionDenied
    project = Project.objects.select_for_update().get(pk=project.pk)
    if to_steward is None or to_steward.role != Role.STEWARD or not to_steward.is_active:
        raise ValidationError({"to_steward": _("Choose an active project steward.")})
    if to_steward.pk == project.steward_id:
        raise ValidationError({"to_steward": _("This steward serves the project already.")})
    if not note.strip():
        raise ValidationError({"note": _("Write the handover note for the successor.")})
    before = audit.snapshot(project)
    from_steward = project.steward
    project.steward = to_steward
    project.version += 1
    project.save(update_fields=["steward", "version", "updated_at"])
    audit.record(
        action=AuditAction.UPDATE, obj=project, by=by, before=before, after=audit.snapshot(project)
    )
    return _handover_record(
        project=project, from_steward=from_steward, to_steward=to_steward, by=by, note=note
    )


@transaction.atomic
def project_advance(
    *, project: Project, to_stage: str, on: dt.date, by, note: str = "", evidence: str = ""
) -> StageEvent:
    """Record that the project entered ``to_stage`` on ``on`` (back-dating allowed)."""
    if not by.has_perm("projects.advance_project", project):
        raise PermissionDenied
    if to_stage not in Stage.values:
        raise ValidationError({"to_stage": _("Unknown stage.")})
    # Serialise concurrent advances of one project (a no-op lock on SQLite, whose
    # IMMEDIATE transactions already serialise writers).
    project = Project.objects.select_for_update().get(pk=project.pk)
    last = latest_event(project)
    current = last.stage if last else None
    allowed = allowed_next(current)
    if to_stage not in allowed:
        names = "、".join(_stage_label(s) for s in sorted(allowed, key=Stage.values.index))
        raise ValidationError(
            {
                "to_stage": _(
                    "A project in “%(current)s” cannot go to “%(target)s”. "
                    "Next possible: %(allowed)s."
                )
                % {
                    "current": _stage_label(current) if current else "—",
                    "target": _stage_label(to_stage),
                    "allowed": names or "—",
                }
            }
        )
    _check_date(on)
    if last and on < last.on:
        raise ValidationError(
            {
                "on": _(
                    "The project entered “%(stage)s” on %(date)s; a later step cannot be dated "
                    "earlier. Correct that event first if its date is wrong."
                )
                % {"stage": _stage_label(last.stage), "date": last.on.isoformat()}
            }
        )
    event = StageEvent.objects.create(
        project=project,
        stage=to_stage,
        from_stage=current or "",
        on=on,
        note=note,
        evidence=evidence,
        recorded_by=by,
    )
    before = {
        "stage": project.stage,
        "stage_since": project.stage_since and project.stage_since.isoformat(),
    }
    # The new event is dated on or after the latest and has the highest id: it is the latest,
    # so the stage, its date and the version change in one UPDATE.
    project.stage, project.stage_since = to_stage, on
    Project.objects.filter(pk=project.pk).update(
        stage=to_stage, stage_since=on, version=project.version + 1, updated_at=timezone.now()
    )
    audit.record(action=AuditAction.CREATE, obj=event, by=by, after=_event_snapshot(event))
    audit.record(
        action=AuditAction.UPDATE,
        obj=project,
        by=by,
        before=before,
        after={"stage": project.stage, "stage_since": project.stage_since.isoformat()},
    )
    return event


@transaction.atomic
def event_correct(*, event: StageEvent, by, reason: str) -> StageCorrection:
    """Void a mistaken stage event. Only the latest step can be voided, one at a time, so the
    remaining history is always a legal path; the voided event stays in the record."""
    project = Project.objects.select_for_update().get(pk=event.project_id)
    if not by.has_perm("projects.correct_stageevent", project):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the event is wrong.")})
    if hasattr(event, "correction"):
        raise ValidationError(_("This event has already been corrected."))
    last = latest_event(project)
    if last is None or last.pk != event.pk:
        raise ValidationError(
            _("Only the latest step can be corrected; correct the later steps first.")
        )
    if not StageEvent.objects.effective().filter(project=project).exclude(pk=event.pk).exists():
        raise ValidationError(
            _(
                "The first event of a project cannot be voided; drop the "
                "project instead if it should not be in the register."
            )
        )
    correction = StageCorrection.objects.create(event=event, reason=reason[:200], by=by)
    before = {"stage": project.stage}
    _sync_stage(project)
    Project.objects.filter(pk=project.pk).update(
        version=project.version + 1, updated_at=timezone.now()
    )
    audit.record(
        action=AuditAction.CREATE,
        obj=correction,
        by=by,
        after={"event": event.pk, "voided": _event_snapshot(event), "reason": reason},
    )
    audit.record(
        action=AuditAction.UPDATE, obj=project, by=by, before=before, after={"stage": project.stage}
    )
    return correction


@transaction.atomic
def engagement_add(*, project: Project, by, data: dict[str, Any]) -> Engagement:
    if not by.has_perm("projects.add_engagement", project):
        raise PermissionDenied
    engagement = Engagement(project=project, recorded_by=by, **data)
    # The project and the person are the records just read: no query to check they exist.
    engagement.full_clean(exclude=["project", "recorded_by"])
    _check_date(engagement.on)
    engagement.save()
    audit.record(action=AuditAction.CREATE, obj=engagement, by=by, after=audit.snapshot(engagement))
    return engagement


@transaction.atomic
def money_add(
    *, project: Project, by, kind: str, on: dt.date, amount: Decimal, note: str = ""
) -> MoneyEntry:
    """Record funds in place or investment completed; a negative amount corrects an entry."""
    if not by.has_perm("projects.add_moneyentry", project):
        raise PermissionDenied
    if kind not in MoneyKind.values:
        raise ValidationError({"kind": _("Unknown kind.")})
    if amount == 0:
        raise ValidationError({"amount": _("Enter a non-zero amount.")})
    _check_date(on)
    entry = MoneyEntry(project=project, kind=kind, on=on, amount=amount, note=note, recorded_by=by)
    entry.full_clean()
    entry.save()
    audit.record(action=AuditAction.CREATE, obj=entry, by=by, after=audit.snapshot(entry))
    return entry


@transaction.atomic
def target_set(*, by, year: int, figure: str, value: Decimal) -> Target:
    if not by.has_perm("projects.change_target"):
        raise PermissionDenied
    if value <= 0:
        raise ValidationError({"value": _("A target must be greater than zero.")})
    existing = Target.objects.filter(year=year, figure=figure).first()
    before = audit.snapshot(existing) if existing else None
    target = existing or Target(year=year, figure=figure)
    target.value = value
    target.full_clean(validate_unique=False)
    if existing:
        target.version += 1
    target.save()
    audit.record(
        action=AuditAction.UPDATE if existing else AuditAction.CREATE,
        obj=target,
        by=by,
        before=before,
        after=audit.snapshot(target),
    )
    return target


def project_attach(*, project: Project, upload, by, description: str = ""):
    """Attach a document (contract, licence scan …) to a project."""

    if not by.has_perm("projects.change_project", project):
        raise PermissionDenied
    return attach(obj=project, upload=upload, by=by, description=description)


def project_detach(*, project: Project, attachment, by) -> None:

    if not by.has_perm("projects.change_project", project):
        raise PermissionDenied
    detach(attachment=attachment, by=by)
