"""Writes of the talent module: talents (with a checked ID number), teams, the programme's
batch workflow, benefits and the commissioners' service log; each checked and audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg
from django.utils.translation import gettext as _

from gaoxin.core import audit
from gaoxin.core.models import AuditAction
from gaoxin.spaces.models import BuildingKind
from gaoxin.spaces.services import lease_create
from gaoxin.talent.idnumbers import normalise_id_number
from gaoxin.talent.models import (
    Batch,
    BatchState,
    Benefit,
    BenefitKind,
    Instalment,
    PanelScore,
    ServiceLogEntry,
    Talent,
    TalentApplication,
    TalentApplicationState,
    TalentKind,
    Team,
)

TALENT_FIELDS = (
    "name",
    "id_number",
    "phone",
    "education",
    "title",
    "field",
    "enterprise",
    "arrived_on",
    "commissioner",
    "user",
)


def _snapshot(talent: Talent) -> dict:
    # The ID number and phone are encrypted fields: the snapshot holds them masked.
    return audit.snapshot(talent)


def _check_staff(by) -> None:
    if not by.has_perm("talent.change_talent"):
        raise PermissionDenied


@transaction.atomic
def talent_create(*, by, data: dict[str, Any]) -> Talent:
    _check_staff(by)
    talent = Talent(**{k: v for k, v in data.items() if k in TALENT_FIELDS})
    if not (talent.name or "").strip():
        raise ValidationError({"name": [_("Give the name.")]})
    talent.id_number = normalise_id_number(talent.id_number)
    if Talent.objects.filter(id_number_hash__matches=talent.id_number).exists():
        raise ValidationError({"id_number": [_("A talent with this ID number is registered.")]})
    if talent.commissioner and talent.commissioner.role != "commissioner":
        raise ValidationError({"commissioner": [_("Choose a talent commissioner.")]})
    talent.save()
    audit.record(action=AuditAction.CREATE, obj=talent, by=by, after=_snapshot(talent))
    return talent


@transaction.atomic
def team_create(*, by, data: dict[str, Any], members=()) -> Team:
    _check_staff(by)
    members = list(members)
    team = Team(
        **{
            k: v
            for k, v in data.items()
            if k in ("name", "kind", "enterprise", "leader", "arrived_on")
        }
    )
    if team.kind not in (TalentKind.STARTUP_TEAM, TalentKind.INNOVATION_TEAM):
        raise ValidationError({"kind": [_("A team is a startup or an innovation team.")]})
    if team.leader_id is None:
        raise ValidationError({"leader": [_("Name the team's leader.")]})
    team.save()
    team.members.set({team.leader, *members})
    audit.record(action=AuditAction.CREATE, obj=team, by=by, after=audit.snapshot(team))
    return team


@transaction.atomic
def batch_create(*, by, name: str, closes_on: dt.date, panel, pass_score: int = 75) -> Batch:
    if not by.has_perm("talent.manage_programme"):
        raise PermissionDenied
    panel = list(panel)
    if not name.strip():
        raise ValidationError({"name": [_("Give the batch's name.")]})
    if len(panel) < 3:
        raise ValidationError({"panel": [_("A review panel has at least three experts.")]})
    if not 1 <= pass_score <= 100:
        raise ValidationError({"pass_score": [_("The pass score lies between 1 and 100.")]})
    batch = Batch.objects.create(name=name.strip(), closes_on=closes_on, pass_score=pass_score)
    batch.panel.set(panel)
    audit.record(action=AuditAction.CREATE, obj=batch, by=by, after=audit.snapshot(batch))
    return batch


@transaction.atomic
def application_submit(
    *, batch: Batch, by, kind: str, summary: str, talent=None, team=None
) -> TalentApplication:
    """An application to the batch's call (entered by the talent office)."""
    if not by.has_perm("talent.manage_programme"):
        raise PermissionDenied
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    if batch.state != BatchState.CALL:
        raise ValidationError(_("The call of this batch is closed."))
    if kind not in TalentKind.values:
        raise ValidationError({"kind": [_("Unknown category.")]})
    if (kind == TalentKind.INNOVATIVE_TALENT) != (talent is not None) or (talent is None) == (
        team is None
    ):
        raise ValidationError(_("An innovative talent applies as a person, a team as a team."))
    if team is not None and team.kind != kind:
        raise ValidationError({"kind": [_("The team is of another kind.")]})
    if not summary.strip():
        raise ValidationError({"summary": [_("Say what they bring.")]})
    application = TalentApplication.objects.create(
        batch=batch, kind=kind, talent=talent, team=team, summary=summary.strip()
    )
    audit.record(
        action=AuditAction.CREATE, obj=application, by=by, after=audit.snapshot(application)
    )
    return application


def _move(batch: Batch, to_state: str, by) -> None:
    before = audit.snapshot(batch)
    batch.state = to_state
    batch.version += 1
    batch.save(update_fields=["state", "version", "updated_at"])
    audit.record(
        action=AuditAction.UPDATE, obj=batch, by=by, before=before, after=audit.snapshot(batch)
    )


@transaction.atomic
def batch_close_call(*, batch: Batch, by) -> Batch:
    if not by.has_perm("talent.manage_programme"):
        raise PermissionDenied
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    if batch.state != BatchState.CALL:
        raise ValidationError(_("The call of this batch is closed."))
    if not batch.applications.exists():
        raise ValidationError(_("No application has come in."))
    _move(batch, BatchState.REVIEW, by)
    return batch


@transaction.atomic
def score_give(*, application: TalentApplication, by, score: int, opinion: str = "") -> PanelScore:
    application = TalentApplication.objects.select_related("batch").get(pk=application.pk)
    if not by.has_perm("talent.score_application", application):
        raise PermissionDenied
    if application.batch.state != BatchState.REVIEW:
        raise ValidationError(_("The panel scores while the batch is under review."))
    if not 0 <= score <= 100:
        raise ValidationError({"score": [_("A score lies between 0 and 100.")]})
    if PanelScore.objects.filter(application=application, reviewer=by).exists():
        raise ValidationError(_("You have scored this application."))
    entry = PanelScore.objects.create(
        application=application, reviewer=by, score=score, opinion=opinion.strip()
    )
    audit.record(action=AuditAction.CREATE, obj=entry, by=by, after=audit.snapshot(entry))
    return entry


@transaction.atomic
def batch_award(*, batch: Batch, by) -> Batch:
    """Once every expert has scored every application: those whose mean reaches the pass
    score are awarded, the others not."""
    if not by.has_perm("talent.manage_programme"):
        raise PermissionDenied
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    if batch.state != BatchState.REVIEW:
        raise ValidationError(_("Only a batch under review can be awarded."))
    panel = batch.panel.count()
    missing = [
        str(a) for a in batch.applications.prefetch_related("scores") if a.scores.count() < panel
    ]
    if missing:
        raise ValidationError(
            _("Not every expert has scored: %(names)s") % {"names": "、".join(missing)}
        )
    for application in batch.applications.annotate(mean=Avg("scores__score")):
        application.mean_score = Decimal(str(round(application.mean, 2)))
        application.state = (
            TalentApplicationState.AWARDED
            if application.mean >= batch.pass_score
            else TalentApplicationState.NOT_AWARDED
        )
        application.save(update_fields=["mean_score", "state", "updated_at"])
    _move(batch, BatchState.AWARDED, by)
    return batch


@transaction.atomic
def benefit_grant(
    *,
    application: TalentApplication,
    by,
    kind: str,
    total: Decimal | None = None,
    instalments=(),
    unit=None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> Benefit:
    """A subsidy in instalments that add up to its total, or a talent apartment let from the
    space module to the talent's enterprise for the talent."""
    if not by.has_perm("talent.manage_programme"):
        raise PermissionDenied
    if application.state != TalentApplicationState.AWARDED:
        raise ValidationError(_("Benefits follow an award."))
    if kind == BenefitKind.SUBSIDY:
        instalments = list(instalments)
        if total is None or total <= 0 or not instalments:
            raise ValidationError({"total": [_("Give the subsidy and its instalments.")]})
        if sum(amount for _day, amount in instalments) != total:
            raise ValidationError({"instalments": [_("The instalments must add up to the total.")]})
        benefit = Benefit.objects.create(application=application, kind=kind, total=total)
        Instalment.objects.bulk_create(
            [Instalment(benefit=benefit, due_on=day, amount=amount) for day, amount in instalments]
        )
    elif kind == BenefitKind.APARTMENT:
        if unit is None or unit.building.kind != BuildingKind.TALENT_APARTMENT:
            raise ValidationError({"unit": [_("Choose a unit in a talent apartment.")]})
        holder = application.talent or application.team.leader
        if holder.enterprise is None:
            raise ValidationError(_("The talent joins no enterprise to hold the lease."))
        lease = lease_create(
            unit=unit,
            enterprise=holder.enterprise,
            starts_on=starts_on,
            ends_on=ends_on,
            rent_m2_month=Decimal(0),
            notes=_("Talent apartment for %(name)s") % {"name": holder.name},
            by=by,
        )
        benefit = Benefit.objects.create(application=application, kind=kind, lease=lease)
    else:
        raise ValidationError({"kind": [_("Unknown kind.")]})
    audit.record(action=AuditAction.CREATE, obj=benefit, by=by, after=audit.snapshot(benefit))
    return benefit


@transaction.atomic
def instalment_pay(*, instalment: Instalment, on: dt.date, by) -> Instalment:
    if not by.has_perm("talent.manage_programme"):
        raise PermissionDenied
    instalment = Instalment.objects.select_for_update().get(pk=instalment.pk)
    if instalment.paid_on:
        raise ValidationError(_("This instalment is paid."))
    instalment.paid_on = on
    instalment.save(update_fields=["paid_on"])
    audit.record(
        action=AuditAction.UPDATE,
        obj=instalment.benefit,
        by=by,
        after={"instalment": instalment.pk, "paid_on": on.isoformat()},
    )
    return instalment


@transaction.atomic
def service_log_add(*, talent: Talent, by, on: dt.date, note: str) -> ServiceLogEntry:
    if not by.has_perm("talent.change_talent"):
        raise PermissionDenied
    if not note.strip():
        raise ValidationError({"note": [_("Write what was done.")]})
    entry = ServiceLogEntry.objects.create(talent=talent, commissioner=by, on=on, note=note.strip())
    audit.record(action=AuditAction.CREATE, obj=entry, by=by, after=audit.snapshot(entry))
    return entry
