"""Writes of investment agreements: signing, amending (a new version), recording the zone's
promises and construction completion as kept, and the alerts of the watch."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.accounts.models import Role, User
from gaoxin.core import audit, workcalendar
from gaoxin.core.locking import save_with_version
from gaoxin.core.models import AuditAction
from gaoxin.core.notifications import notify
from gaoxin.delivery import watch
from gaoxin.delivery.models import (
    AMOUNT_KINDS,
    RECORDED_KINDS,
    YEARLY_KINDS,
    ZONE_KINDS,
    Agreement,
    AgreementTerm,
    AgreementVersion,
    TermKind,
    TermStatus,
)
from gaoxin.notifications.models import EventType

VERSION_FIELDS = (
    "signed_on",
    "total_investment",
    "fixed_asset_investment",
    "land_area_mu",
    "breach_clauses",
)
ALERTED = (TermStatus.DUE_SOON, TermStatus.AT_RISK, TermStatus.BROKEN)


def _check(by, perm: str = "delivery.change_agreement") -> None:
    if not by.has_perm(perm):
        raise PermissionDenied(_("You may not change investment agreements."))


def _decimal(value, field: str, errors: dict, *, positive: bool = False) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        errors[field] = [_("Give a number.")]
        return None
    if not number.is_finite() or number < 0 or (positive and number == 0):
        errors[field] = [_("Must be more than zero.") if positive else _("Cannot be negative.")]
        return None
    if abs(number) >= Decimal("1e12"):
        errors[field] = [_("The number is too large.")]
        return None
    return number.quantize(Decimal("0.01"))


def _date(value, field: str, errors: dict) -> dt.date | None:
    if not isinstance(value, dt.date):
        errors[field] = [_("Give a date.")]
        return None
    try:
        workcalendar.check_range(value, field)
    except ValidationError as error:
        errors.update(error.message_dict)
        return None
    return value


def _clean_version(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {
        "signed_on": _date(data.get("signed_on"), "signed_on", errors),
        "total_investment": _decimal(data.get("total_investment"), "total_investment", errors),
        "fixed_asset_investment": _decimal(
            data.get("fixed_asset_investment"), "fixed_asset_investment", errors
        ),
        "land_area_mu": _decimal(data.get("land_area_mu"), "land_area_mu", errors, positive=True),
        "breach_clauses": str(data.get("breach_clauses") or "")[:5000],
    }
    total, fixed = clean["total_investment"], clean["fixed_asset_investment"]
    if total is not None and fixed is not None and fixed > total:
        errors["fixed_asset_investment"] = [
            _("The fixed-asset investment cannot exceed the total investment.")
        ]
    if errors:
        raise ValidationError(errors)
    return clean


def _clean_terms(terms: list[dict[str, Any]], signed_on: dt.date) -> list[dict[str, Any]]:
    """Each promise once; amounts and yearly figures with a target; a dependency only on a
    promise of the zone in the same version."""
    errors: dict[str, list[str]] = {}
    clean: list[dict[str, Any]] = []
    kinds = [t.get("kind") for t in terms]
    for index, term in enumerate(terms):
        key = f"terms.{index}"
        kind = term.get("kind")
        if kind not in TermKind.values:
            errors[key] = [_("Unknown commitment.")]
            continue
        if kinds.count(kind) > 1:
            errors[key] = [_("%(kind)s is listed twice.") % {"kind": TermKind(kind).label}]
            continue
        term_errors: dict[str, list[str]] = {}
        due = _date(term.get("due_on"), "due_on", term_errors)
        target = None
        if term.get("target") not in (None, ""):
            target = _decimal(term.get("target"), "target", term_errors)
        elif kind in AMOUNT_KINDS | YEARLY_KINDS:
            term_errors["target"] = [_("Give the promised figure.")]
        depends = term.get("depends_on") or ""
        if depends:
            if kind in ZONE_KINDS:
                term_errors["depends_on"] = [_("A promise of the zone depends on nothing.")]
            elif depends not in ZONE_KINDS or depends not in kinds:
                term_errors["depends_on"] = [
                    _("Choose a promise of the zone listed in this agreement.")
                ]
        fulfilled = term.get("fulfilled_on")
        if fulfilled is not None and kind not in RECORDED_KINDS:
            term_errors["fulfilled_on"] = [_("This commitment is measured, not recorded.")]
        if term_errors:
            errors[key] = [
                f"{TermKind(kind).label}: {m}" for ms in term_errors.values() for m in ms
            ]
            continue
        clean.append(
            {
                "kind": kind,
                "due_on": due,
                "target": target,
                "depends_on": depends,
                "note": str(term.get("note") or "")[:300],
                "fulfilled_on": fulfilled,
            }
        )
    if not terms:
        errors["terms"] = [_("List at least one commitment.")]
    if errors:
        raise ValidationError(errors)
    return clean


def _write_version(
    *, agreement: Agreement, number: int, data: dict, terms: list[dict], plots, leases, reason, by
) -> AgreementVersion:
    version = AgreementVersion.objects.create(
        agreement=agreement, number=number, reason=reason, recorded_by=by, **data
    )
    version.plots.set(plots or [])
    version.leases.set(leases or [])
    made: dict[str, AgreementTerm] = {}
    for term in sorted(terms, key=lambda t: t["kind"] not in ZONE_KINDS):
        made[term["kind"]] = AgreementTerm.objects.create(
            version=version,
            kind=term["kind"],
            due_on=term["due_on"],
            target=term["target"],
            depends_on=made.get(term["depends_on"]) if term["depends_on"] else None,
            fulfilled_on=term["fulfilled_on"],
            note=term["note"],
        )
    return version


def _version_snapshot(version: AgreementVersion) -> dict[str, Any]:
    data = audit.snapshot(version)
    data["plots"] = sorted(version.plots.values_list("pk", flat=True))
    data["leases"] = sorted(version.leases.values_list("pk", flat=True))
    data["terms"] = [
        {
            "kind": t.kind,
            "due_on": t.due_on.isoformat(),
            "target": None if t.target is None else str(t.target),
            "depends_on": t.depends_on.kind if t.depends_on_id else "",
            "fulfilled_on": t.fulfilled_on.isoformat() if t.fulfilled_on else None,
        }
        for t in version.terms.select_related("depends_on")
    ]
    return data


@transaction.atomic
def agreement_create(
    *,
    project,
    number: str,
    title: str,
    version: dict[str, Any],
    terms: list[dict[str, Any]],
    plots=(),
    leases=(),
    by,
) -> Agreement:
    _check(by)
    errors: dict[str, list[str]] = {}
    number, title = (number or "").strip(), (title or "").strip()
    if not number:
        errors["number"] = [_("Give the agreement's number.")]
    elif Agreement.objects.filter(number=number).exists():
        errors["number"] = [_("An agreement with this number exists.")]
    if not title:
        errors["title"] = [_("Give the agreement's title.")]
    if project.enterprise_id is None:
        errors["project"] = [_("Register the project's enterprise before its agreement.")]
    try:
        data = _clean_version(version)
    except ValidationError as error:
        errors.update(error.message_dict)
        data = None
    if errors:
        raise ValidationError(errors)
    clean_terms = _clean_terms(terms, data["signed_on"])
    agreement = Agreement.objects.create(project=project, number=number[:50], title=title[:200])
    written = _write_version(
        agreement=agreement,
        number=1,
        data=data,
        terms=clean_terms,
        plots=plots,
        leases=leases,
        reason="",
        by=by,
    )
    after = audit.snapshot(agreement) | {"version": _version_snapshot(written)}
    audit.record(action=AuditAction.CREATE, obj=agreement, by=by, after=after)
    return agreement


@transaction.atomic
def agreement_amend(
    *,
    agreement: Agreement,
    expected_version: int,
    reason: str,
    version: dict[str, Any],
    terms: list[dict[str, Any]],
    plots=(),
    leases=(),
    by,
) -> AgreementVersion:
    """A new version; the earlier ones stay as they were. Dates the zone recorded as kept carry
    over unless the amendment gives them anew."""
    _check(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the agreement is amended.")]})
    data = _clean_version(version)
    previous = agreement.versions.get(number=agreement.current_version)
    kept = {t.kind: t.fulfilled_on for t in previous.terms.all() if t.fulfilled_on}
    terms = [t | {"fulfilled_on": t.get("fulfilled_on") or kept.get(t.get("kind"))} for t in terms]
    clean_terms = _clean_terms(terms, data["signed_on"])
    before = _version_snapshot(previous)
    agreement.current_version = previous.number + 1
    save_with_version(agreement, expected_version=expected_version, fields=["current_version"])
    written = _write_version(
        agreement=agreement,
        number=agreement.current_version,
        data=data,
        terms=clean_terms,
        plots=plots,
        leases=leases,
        reason=reason[:300],
        by=by,
    )
    audit.record(
        action=AuditAction.UPDATE,
        obj=agreement,
        by=by,
        before={"version": before},
        after={"version": _version_snapshot(written), "reason": reason},
    )
    return written


@transaction.atomic
def term_fulfil(*, term: AgreementTerm, on: dt.date, by, note: str = "") -> AgreementTerm:
    """Record the day a promise of the zone (land, utilities, subsidy) or the construction's
    completion was kept."""
    _check(by)
    term = (
        AgreementTerm.objects.select_for_update()
        .select_related("version__agreement")
        .get(pk=term.pk)
    )
    if term.version.number != term.version.agreement.current_version:
        raise ValidationError(_("Only the agreement's current version is recorded against."))
    if term.kind not in RECORDED_KINDS:
        raise ValidationError(_("This commitment is measured from the records, not entered."))
    errors: dict[str, list[str]] = {}
    day = _date(on, "on", errors)
    if errors:
        raise ValidationError(errors)
    if day < term.version.signed_on:
        raise ValidationError({"on": [_("The date cannot be before the agreement was signed.")]})
    if day > timezone.localdate():
        raise ValidationError({"on": [_("The date cannot be in the future.")]})
    before = audit.snapshot(term)
    term.fulfilled_on = day
    if note:
        term.note = note.strip()[:300]
    term.save(update_fields=["fulfilled_on", "note"])
    audit.record(
        action=AuditAction.UPDATE, obj=term, by=by, before=before, after=audit.snapshot(term)
    )
    return term


def _recipients(project) -> list[User]:
    people: dict[int, User] = {}
    if project.steward_id and project.steward.is_active:
        people[project.steward_id] = project.steward
    if project.department_id:
        for user in User.objects.filter(
            department_id=project.department_id, role=Role.STAFF, is_active=True
        ):
            people[user.pk] = user
    return list(people.values())


def send_alerts(*, day: dt.date) -> int:
    """Tell each agreement's steward and the project's lead department of every promise due
    soon, at risk or broken — once per promise and status (the notification key)."""
    sent = 0
    agreements = Agreement.objects.select_related(
        "project__steward", "project__department"
    ).order_by("pk")
    for item in watch.watch(agreements, day):
        project = item.agreement.project
        link = reverse("delivery:agreement", args=[item.agreement.pk])
        for state in item.states:
            if state.status not in ALERTED:
                continue
            who = _("the zone") if state.term.is_zones else project.name
            title = _("Agreement %(number)s: %(term)s — %(status)s") % {
                "number": item.agreement.number,
                "term": state.term.get_kind_display(),
                "status": TermStatus(state.status).label,
            }
            body = _("%(who)s; due %(due)s. %(reason)s") % {
                "who": who,
                "due": state.due.isoformat(),
                "reason": state.reason,
            }
            for user in _recipients(project):
                with transaction.atomic():
                    made = notify(
                        user=user,
                        key=f"agreement-term-{state.term.pk}-{state.status}",
                        title=title,
                        body=body,
                        link=link,
                        event=EventType.REMINDER,
                        urgent=False,
                    )
                sent += made is not None
    return sent
