"""Writes of platforms and events: each checked and audited. An on-site signing creates the
project in the register, or advances it, to ``signed`` on the event's day, channel: event."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.core import audit
from gaoxin.core.models import AuditAction
from gaoxin.platforms.models import Event, EventKind, Platform, PlatformKind, Signing, TransferDeal
from gaoxin.projects import services as project_services
from gaoxin.projects.models import Channel
from gaoxin.projects.stages import Stage

PLATFORM_FIELDS = ("name", "kind", "partners", "opened_on", "services", "building")
EVENT_FIELDS = ("name", "kind", "held_on", "venue", "organiser", "guests")


@transaction.atomic
def platform_create(*, by, data: dict[str, Any], enterprises_served=()) -> Platform:
    if not by.has_perm("platforms.change_platform"):
        raise PermissionDenied
    platform = Platform(**{k: v for k, v in data.items() if k in PLATFORM_FIELDS})
    if not (platform.name or "").strip():
        raise ValidationError({"name": [_("Give the platform's name.")]})
    if platform.kind not in PlatformKind.values:
        raise ValidationError({"kind": [_("Unknown kind.")]})
    if Platform.objects.filter(name=platform.name.strip()).exists():
        raise ValidationError({"name": [_("A platform with this name exists.")]})
    platform.name = platform.name.strip()
    platform.save()
    platform.enterprises_served.set(enterprises_served)
    audit.record(action=AuditAction.CREATE, obj=platform, by=by, after=audit.snapshot(platform))
    return platform


@transaction.atomic
def deal_record(
    *, platform: Platform, enterprise, title: str, amount: Decimal, signed_on, by
) -> TransferDeal:
    if not by.has_perm("platforms.change_platform"):
        raise PermissionDenied
    if not title.strip():
        raise ValidationError({"title": [_("Name the technology.")]})
    if amount is None or amount < 0:
        raise ValidationError({"amount": [_("The amount cannot be negative.")]})
    deal = TransferDeal.objects.create(
        platform=platform,
        enterprise=enterprise,
        title=title.strip()[:200],
        amount=amount,
        signed_on=signed_on,
    )
    platform.enterprises_served.add(enterprise)
    audit.record(action=AuditAction.CREATE, obj=deal, by=by, after=audit.snapshot(deal))
    return deal


@transaction.atomic
def event_create(*, by, data: dict[str, Any], participants=()) -> Event:
    if not by.has_perm("platforms.change_event"):
        raise PermissionDenied
    event = Event(**{k: v for k, v in data.items() if k in EVENT_FIELDS})
    if not (event.name or "").strip():
        raise ValidationError({"name": [_("Give the event's name.")]})
    if event.kind not in EventKind.values:
        raise ValidationError({"kind": [_("Unknown kind.")]})
    if event.organiser_id is None:
        raise ValidationError({"organiser": [_("Choose the organising department.")]})
    event.save()
    event.participants.set(participants)
    audit.record(
        action=AuditAction.CREATE,
        obj=event,
        by=by,
        after={**audit.snapshot(event), "participants": sorted(e.pk for e in participants)},
    )
    return event


@transaction.atomic
def participants_add(*, event: Event, enterprises, by) -> Event:
    """Enterprises that took part in the event."""
    if not by.has_perm("platforms.change_event"):
        raise PermissionDenied
    before = sorted(event.participants.values_list("pk", flat=True))
    event.participants.add(*enterprises)
    audit.record(
        action=AuditAction.UPDATE,
        obj=event,
        by=by,
        before={"participants": before},
        after={"participants": sorted(event.participants.values_list("pk", flat=True))},
    )
    return event


@transaction.atomic
def signing_record(*, event: Event, by, project=None, new_project: dict | None = None) -> Signing:
    """A project signed on site: an existing one (a lead or in negotiation) is advanced to
    ``signed`` on the event's day; a new one is registered in negotiation and signed the same
    day. Either way its channel becomes the event and the signing is listed with the event.
    The enterprise joins the event's participants."""
    if not by.has_perm("platforms.add_signing"):
        raise PermissionDenied
    if (project is None) == (new_project is None):
        raise ValidationError(_("Choose a project in the register, or describe a new one."))
    day = event.held_on
    if project is None:
        project = project_services.project_create(
            by=by,
            data={**new_project, "channel": Channel.EVENT},
            stage=Stage.NEGOTIATING,
            on=day,
            note=_("Negotiated for the signing at %(event)s") % {"event": event.name},
        )
    else:
        if hasattr(project, "signing"):
            raise ValidationError(
                _("This project was signed at %(event)s.") % {"event": project.signing.event}
            )
        if project.stage not in (Stage.LEAD, Stage.NEGOTIATING):
            raise ValidationError(
                _("The project is “%(stage)s”; only a lead or a negotiation can be signed.")
                % {"stage": project.get_stage_display()}
            )
        if project.stage == Stage.LEAD:
            project_services.project_advance(
                project=project, to_stage=Stage.NEGOTIATING, on=day, by=by
            )
            project.refresh_from_db()
        if project.channel != Channel.EVENT:
            project = project_services.project_update(
                project=project,
                by=by,
                data={"channel": Channel.EVENT},
                expected_version=project.version,
            )
    project_services.project_advance(
        project=project,
        to_stage=Stage.SIGNED,
        on=day,
        by=by,
        evidence=_("Signed on site at %(event)s") % {"event": event.name},
    )
    signing = Signing.objects.create(event=event, project=project, signed_by=by)
    if project.enterprise_id:
        event.participants.add(project.enterprise_id)
    audit.record(action=AuditAction.CREATE, obj=signing, by=by, after=audit.snapshot(signing))
    return signing
