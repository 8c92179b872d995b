"""The catalogue and the case workflow (办件) with its clocks, notices and pre-reviews."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.affairs import clocks
from gaoxin.affairs.clocks import Clock, limit_minutes
from gaoxin.affairs.models import (
    Application,
    ApplicationChannel,
    ApplicationState,
    ApplicationStep,
    Commitment,
    LimitUnit,
    Material,
    Review,
    ReviewState,
    ServiceItem,
    SupplementRequest,
)
from gaoxin.affairs.search import pinyin_key
from gaoxin.core import audit, workcalendar
from gaoxin.core.locking import save_with_version
from gaoxin.core.models import AuditAction
from gaoxin.core.notifications import notify

ITEM_FIELDS = (
    "code",
    "name",
    "department",
    "legal_limit_days",
    "promised_limit",
    "promised_unit",
    "fee",
    "fee_note",
    "one_go",
    "appointment_allowed",
    "online_allowed",
    "is_active",
    "notes",
)


def check_item(item: ServiceItem) -> None:
    errors: dict[str, list[str]] = {}
    if not item.code.strip():
        errors["code"] = [_("Give the item's code.")]
    if not item.name.strip():
        errors["name"] = [_("Give the item's name.")]
    if item.promised_unit not in LimitUnit.values:
        errors["promised_unit"] = [_("Unknown unit.")]
    elif (item.legal_limit_days or 0) < 1 or (item.promised_limit or 0) < 1:
        errors["promised_limit"] = [_("Limits are at least 1.")]
    elif limit_minutes(item.promised_limit, item.promised_unit) > limit_minutes(
        item.legal_limit_days, LimitUnit.WORKING_DAYS
    ):
        errors["promised_limit"] = [_("The promised limit cannot exceed the legal limit.")]
    if item.fee is not None and item.fee < 0:
        errors["fee"] = [_("The fee cannot be negative.")]
    if errors:
        raise ValidationError(errors)


def _materials(item: ServiceItem, materials: list[dict[str, Any]]) -> None:
    """Set the item's materials in the order given. A material keeps its row (and so its blank
    form and the commitments that name it) while its name stays; one named in a case's
    commitment cannot be removed."""
    names = [(m.get("name") or "").strip()[:200] for m in materials]
    if any(not n for n in names):
        raise ValidationError({"materials": [_("Every material needs a name.")]})
    if len(set(names)) != len(names):
        raise ValidationError({"materials": [_("A material is listed twice.")]})
    existing = {m.name: m for m in item.materials.all()}
    removed = [m for name, m in existing.items() if name not in names]
    held = [m.name for m in removed if m.commitment_set.exists()]
    if held:
        raise ValidationError(
            {
                "materials": [
                    _("%(names)s is named in a case's commitment and cannot be removed.")
                    % {"names": "、".join(held)}
                ]
            }
        )
    Material.objects.filter(pk__in=[m.pk for m in removed]).delete()
    # Orders are unique per item: move the kept rows out of the way before renumbering.
    kept = [existing[n] for n in names if n in existing]
    for material in kept:
        material.order += 10000
    Material.objects.bulk_update(kept, ["order"])
    for order, (name, data) in enumerate(zip(names, materials, strict=True), start=1):
        material = existing.get(name) or Material(item=item, name=name)
        material.order = order
        material.essential = bool(data.get("essential", True))
        material.notes = (data.get("notes") or "")[:300]
        material.save()


def _snapshot(item: ServiceItem) -> dict:
    data = audit.snapshot(item)
    data["reviewing_departments"] = sorted(d.pk for d in item.reviewing_departments.all())
    data["materials"] = [[m.name, m.essential] for m in item.materials.order_by("order")]
    return data


@transaction.atomic
def item_create(*, by, data: dict[str, Any], reviewing_departments=(), materials=()) -> ServiceItem:
    item = ServiceItem(**{k: v for k, v in data.items() if k in ITEM_FIELDS})
    if not by.has_perm("affairs.change_serviceitem") or (
        item.department_id and not by.has_perm("affairs.change_serviceitem", item)
    ):
        raise PermissionDenied
    check_item(item)
    if ServiceItem.objects.filter(code=item.code).exists():
        raise ValidationError({"code": [_("An item with this code exists.")]})
    item.save()
    item.reviewing_departments.set(reviewing_departments)
    _materials(item, list(materials))
    audit.record(action=AuditAction.CREATE, obj=item, by=by, after=_snapshot(item))
    return item


@transaction.atomic
def item_update(
    *,
    item: ServiceItem,
    by,
    data: dict[str, Any],
    expected_version: int,
    reviewing_departments=None,
    materials=None,
) -> ServiceItem:
    if not by.has_perm("affairs.change_serviceitem", item):
        raise PermissionDenied
    before = _snapshot(item)
    fields = [k for k in data if k in ITEM_FIELDS and k != "code"]
    for field in fields:
        setattr(item, field, data[field])
    if "name" in fields:
        item.search_key = pinyin_key(item.name)
        fields.append("search_key")
    check_item(item)
    save_with_version(item, expected_version=expected_version, fields=fields)
    if reviewing_departments is not None:
        item.reviewing_departments.set(reviewing_departments)
    if materials is not None:
        _materials(item, list(materials))
    after = _snapshot(item)
    if after != before:
        audit.record(action=AuditAction.UPDATE, obj=item, by=by, before=before, after=after)
    return item


# --- applications: the workflow, defined in one place -----------------------------------------

A = ApplicationState
# state -> states it may move to by a person's act (the reviews move a case to approved or
# rejected; closing follows a decision).
TRANSITIONS: dict[str, set[str]] = {
    A.DRAFT: {A.SUBMITTED},
    A.SUBMITTED: {A.ACCEPTED, A.ACCEPTED_WITH_DEFICIENCY, A.REJECTED},
    A.ACCEPTED: {A.UNDER_REVIEW},
    A.ACCEPTED_WITH_DEFICIENCY: {A.UNDER_REVIEW},
    A.UNDER_REVIEW: {A.APPROVED, A.REJECTED},
    A.APPROVED: {A.CLOSED},
    A.REJECTED: {A.CLOSED},
    A.CLOSED: set(),
}


def _move(application: Application, to_state: str, *, by, note: str = "") -> None:
    if to_state not in TRANSITIONS[application.state]:
        allowed = "、".join(str(A(s).label) for s in TRANSITIONS[application.state]) or "—"
        raise ValidationError(
            _("A case that is “%(current)s” cannot become “%(target)s”. Possible: %(allowed)s.")
            % {
                "current": A(application.state).label,
                "target": A(to_state).label if to_state in A.values else to_state,
                "allowed": allowed,
            }
        )
    ApplicationStep.objects.create(
        application=application,
        from_state=application.state,
        to_state=to_state,
        note=note,
        by=by if getattr(by, "pk", None) else None,
    )
    application.state = to_state


def _save(application: Application, by, before: dict) -> None:
    application.version += 1
    application.save()
    audit.record(
        action=AuditAction.UPDATE,
        obj=application,
        by=by,
        before=before,
        after=audit.snapshot(application),
    )


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


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
    import uuid

    from gaoxin.affairs.services.agency import authority

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
    application = Application.objects.create(
        number=uuid.uuid4().hex[:30],
        enterprise=enterprise,
        channel=channel,
        applicant=by,
        project=project,
        authorization=authorization,
        bundle_case=bundle_case,
        bundle_step=bundle_step,
    )
    # Readable and unique without a race: the year and the row's own id.
    application.number = f"GX{timezone.localdate().year}{application.pk:07d}"
    application.save(update_fields=["number"])
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


def _names(materials) -> str:
    return "、".join(f"“{m.name}”" for m in materials)


@transaction.atomic
def application_submit(*, application, by, deficiency=()) -> Application:
    """Submit a draft. Filed online or by an agent, every essential material must be handed in;
    a waivable one may be left out only when the applicant asks to bring it later (容缺) — the
    window decides on that at acceptance. At the window the clerk has the papers in hand."""
    application = _locked(application)
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
                        % {"names": _names(essential)}
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
                        % {"names": _names(unanswered)}
                    ]
                }
            )
        application.deficiency_requested.set(deficiency)
    application = submit_unchecked(application, by)
    if application.channel != ApplicationChannel.WINDOW:
        _tell_window(application)
    return application


def submit_unchecked(application: Application, by) -> Application:
    """Submit without asking who may: for the steps a bundle opens by itself, filed (and
    checked) with the bundle."""
    before = audit.snapshot(application)
    _move(application, A.SUBMITTED, by=by)
    application.submitted_at = timezone.now()
    _save(application, by, before)
    return application


# --- who hears of a case's steps -------------------------------------------------------------


def _applicant_users(application: Application) -> list:
    """The enterprise's own accounts and, while its authorisation is in force, the agent."""
    from gaoxin.accounts.models import Role, User

    users = list(
        User.objects.filter(
            enterprise_id=application.enterprise_id, role=Role.ENTERPRISE, is_active=True
        )
    )
    authorization = application.authorization
    if authorization is not None and authorization.active_on(timezone.localdate()):
        users.append(authorization.agent)
    return users


def _link(application: Application) -> str:
    from django.urls import reverse

    return reverse("affairs:application", args=[application.pk])


def _item_names(application: Application) -> str:
    return "、".join(i.name for i in application.items.all())


def tell_applicant(application: Application, *, event: str, title: str, body: str = "") -> None:
    """A notice to the applicant (and its agent) of a step of its case, once per event."""
    for user in _applicant_users(application):
        notify(
            user=user,
            key=f"case:{application.pk}:{event}",
            title=f"{application.number} {title}",
            body=body or _item_names(application),
            link=_link(application),
        )


def _tell_window(application: Application) -> None:
    """The window hears of each case filed online or by an agent."""
    from gaoxin.accounts.models import Role, User

    for clerk in User.objects.filter(role=Role.CLERK, is_active=True):
        notify(
            user=clerk,
            key=f"case:{application.pk}:submitted",
            title=_("New case to accept: %(number)s %(enterprise)s")
            % {"number": application.number, "enterprise": application.enterprise.name},
            body=_item_names(application),
            link=_link(application),
        )


def _tell_department(review: Review, application: Application) -> None:
    """Each reviewing department hears of its new review."""
    from gaoxin.accounts.models import User

    for member in User.objects.filter(department_id=review.department_id, is_active=True):
        notify(
            user=member,
            key=f"review:{review.pk}",
            title=_("New review: %(number)s %(enterprise)s")
            % {"number": application.number, "enterprise": application.enterprise.name},
            body=_("Due %(when)s · %(items)s")
            % {
                "when": timezone.localtime(review.deadline).strftime("%Y-%m-%d %H:%M"),
                "items": _item_names(application),
            },
            link=_link(application),
        )


def case_limit_minutes(application: Application) -> int:
    """The case's promised limit: the longest of its items' (they are handled together)."""
    return max(limit_minutes(i.promised_limit, i.promised_unit) for i in application.items.all())


def _open_reviews(application: Application, by) -> None:
    """One review per department at once: each item's own department and its reviewing
    departments, each with its own clock from the case's acceptance."""
    departments = {}
    for item in application.items.select_related("department").prefetch_related(
        "reviewing_departments"
    ):
        departments[item.department_id] = item.department
        for department in item.reviewing_departments.all():
            departments[department.pk] = department
    _move(application, A.UNDER_REVIEW, by=by, note=_("Parallel review opened."))
    for department in departments.values():
        review = Review.objects.create(
            application=application,
            department=department,
            deadline=application.deadline,
            deadline_certain=application.deadline_certain,
        )
        _tell_department(review, application)


@transaction.atomic
def application_accept(
    *,
    application,
    by,
    missing=(),
    due_on=None,
    signatory: str = "",
    window=None,
) -> Application:
    """Accept the case (受理) at a window (by default the first that serves its items): the
    clock starts and the parallel reviews open. With missing
    materials it is conditional acceptance (容缺受理): only waivable materials may be missing,
    the enterprise must not be on the dishonesty list, and the signed commitment's date may
    not pass the promised deadline."""
    application = _locked(application)
    if not by.has_perm("affairs.accept_application", application):
        raise PermissionDenied
    if application.supplements.filter(review__isnull=True, supplied_at__isnull=True).exists():
        raise ValidationError(_("Wait for the materials asked for in the supplement notice."))
    before = audit.snapshot(application)
    now = timezone.now()
    # A case left at the window longer than five working days without a supplement notice
    # counts as accepted on the day it was received (Administrative Licensing Law, art. 32);
    # after a supplement notice, on the day the supplements came in.
    received = intake_received_at(application)
    late = timezone.localdate() > intake_notice_due(received)
    application.accepted_at = received if late else now
    application.window = window or _serving_window(application)
    application.limit_minutes = case_limit_minutes(application)
    result = clocks.deadline_after(application.accepted_at, application.limit_minutes)
    application.deadline, application.deadline_certain = result.value, result.certain
    missing = list(missing)
    if missing:
        allowed = {m.pk: m for i in application.items.all() for m in i.materials.all()}
        if any(m.pk not in allowed for m in missing):
            raise ValidationError({"missing": [_("A material does not belong to these items.")]})
        if any(m.essential for m in missing):
            raise ValidationError(
                {"missing": [_("Only waivable materials may be missing; essential ones may not.")]}
            )
        if application.enterprise.is_dishonest:
            raise ValidationError(
                _(
                    "This enterprise is on the dishonesty list (失信) and cannot use conditional "
                    "acceptance."
                )
            )
        if due_on is None:
            raise ValidationError({"due_on": [_("Give the date the materials will be supplied.")]})
        if (
            due_on < timezone.localdate()
            or due_on > timezone.localtime(application.deadline).date()
        ):
            raise ValidationError(
                {
                    "due_on": [
                        _("The date must lie between today and the promised deadline (%(date)s).")
                        % {"date": timezone.localtime(application.deadline).date()}
                    ]
                }
            )
        if not signatory.strip():
            raise ValidationError({"signatory": [_("Record who signed the commitment.")]})
        _move(application, A.ACCEPTED_WITH_DEFICIENCY, by=by)
        commitment = Commitment.objects.create(
            application=application,
            due_on=due_on,
            signatory=signatory.strip()[:50],
            signed_on=timezone.localdate(),
        )
        commitment.materials.set(missing)
    else:
        _move(application, A.ACCEPTED, by=by)
    if late:
        ApplicationStep.objects.create(
            application=application,
            note=_(
                "Counted as accepted on receipt: no supplement notice within five working days."
            ),
            by=by,
        )
    _open_reviews(application, by)
    _save(application, by, before)
    if missing:
        tell_applicant(
            application,
            event="accepted",
            title=_("accepted with deficiency (容缺)"),
            body=_("Bring %(names)s by %(date)s, as signed.")
            % {"names": _names(missing), "date": due_on.isoformat()},
        )
    else:
        tell_applicant(
            application,
            event="accepted",
            title=_("accepted"),
            body=_("Promised by %(when)s.")
            % {"when": timezone.localtime(application.deadline).strftime("%Y-%m-%d %H:%M")},
        )
    return application


INTAKE_NOTICE_DAYS = 5


def intake_received_at(application: Application):
    """When the window received the application complete: on submission, or when the
    supplements its notice asked for came in."""
    notice = application.supplements.filter(review__isnull=True).first()
    if notice is not None and notice.supplied_at is not None:
        return notice.supplied_at
    return application.submitted_at


def intake_notice_due(received):
    """The last day a supplement notice (or the acceptance) may go out: five working days
    after receipt."""
    start = timezone.localtime(received).date()
    return workcalendar.add_working_days(start, INTAKE_NOTICE_DAYS).value


@transaction.atomic
def intake_supplement_request(*, application, by, what: str) -> SupplementRequest:
    """The window's supplement notice before acceptance (一次性告知): everything missing in one
    notice, within five working days of receipt; later the law counts the case as accepted."""
    application = _locked(application)
    if not by.has_perm("affairs.accept_application", application):
        raise PermissionDenied
    if application.state != A.SUBMITTED:
        raise ValidationError(_("Only a submitted case waits for the window's notice."))
    if application.supplements.filter(review__isnull=True).exists():
        raise ValidationError(
            _("The window tells everything missing at once (一次性告知); a notice has gone out.")
        )
    if timezone.localdate() > intake_notice_due(application.submitted_at):
        raise ValidationError(
            _(
                "More than five working days have passed since receipt: by law the case counts "
                "as accepted. Accept it (the clock runs from receipt) and let the reviews ask "
                "for supplements."
            )
        )
    if not what.strip():
        raise ValidationError({"what": [_("List everything that is missing or wrong.")]})
    request = SupplementRequest.objects.create(
        application=application, what=what.strip(), requested_by=by
    )
    ApplicationStep.objects.create(
        application=application,
        note=_("Supplement notice before acceptance: %(what)s") % {"what": what.strip()},
        by=by,
    )
    audit.record(action=AuditAction.CREATE, obj=request, by=by, after=audit.snapshot(request))
    tell_applicant(
        application,
        event=f"supplement:{request.pk}",
        title=_("asks for supplements (一次性告知)"),
        body=what.strip(),
    )
    return request


@transaction.atomic
def application_refuse(*, application, by, reasons: str) -> Application:
    """Refuse to accept (不予受理): the matter is not the zone's, or the applicant may not
    apply; the reasons go into the result notice."""
    application = _locked(application)
    if not by.has_perm("affairs.accept_application", application):
        raise PermissionDenied
    if application.state != A.SUBMITTED:
        raise ValidationError(_("Only a submitted case can be refused at the window."))
    if not reasons.strip():
        raise ValidationError({"reasons": [_("Give the reasons.")]})
    before = audit.snapshot(application)
    _move(application, A.REJECTED, by=by, note=reasons.strip())
    application.decided_at = timezone.now()
    _save(application, by, before)
    _decided(application, by)
    return application


def _serving_window(application: Application):
    from gaoxin.affairs.models import Window

    return (
        Window.objects.filter(is_active=True, items__in=application.items.all())
        .order_by("number")
        .first()
    )


def _commitment_open(application: Application) -> bool:
    commitment = getattr(application, "commitment", None)
    return commitment is not None and commitment.fulfilled_at is None


@transaction.atomic
def commitment_supply(*, application, by, note: str = "") -> Commitment:
    """The applicant (or its agent) hands in the materials it committed to (容缺): a file for
    each must be uploaded first. The case then waits for the window's check; the applicant
    never decides its own case."""
    application = _locked(application)
    if not by.has_perm("affairs.supply_application", application):
        raise PermissionDenied
    commitment = getattr(application, "commitment", None)
    if commitment is None or commitment.fulfilled_at:
        raise ValidationError(_("There is no open commitment on this case."))
    if commitment.unmet_at and application.state in (A.REJECTED, A.CLOSED):
        raise ValidationError(_("The case was terminated for the unmet commitment."))
    if commitment.supplied_at:
        raise ValidationError(_("The materials are with the window for checking."))
    since = commitment.returned_at or application.accepted_at
    uploaded = set(
        application.case_materials.filter(uploaded_at__gt=since).values_list(
            "material_id", flat=True
        )
    )
    lacking = [m for m in commitment.materials.all() if m.pk not in uploaded]
    if lacking:
        raise ValidationError(
            {
                "materials": [
                    _("Upload %(names)s first.") % {"names": _names(lacking)}
                    if not commitment.returned_at
                    else _("Upload %(names)s again: the window returned them.")
                    % {"names": _names(lacking)}
                ]
            }
        )
    before = audit.snapshot(commitment)
    commitment.supplied_at, commitment.supplied_by = timezone.now(), by
    commitment.save(update_fields=["supplied_at", "supplied_by"])
    ApplicationStep.objects.create(
        application=application,
        note=_("Committed materials handed in; awaiting the window's check.")
        + (f" {note.strip()}" if note.strip() else ""),
        by=by,
    )
    audit.record(
        action=AuditAction.UPDATE,
        obj=commitment,
        by=by,
        before=before,
        after=audit.snapshot(commitment),
    )
    _tell_window_of_commitment(application)
    return commitment


def _tell_window_of_commitment(application: Application) -> None:
    from gaoxin.accounts.models import Role, User

    for clerk in User.objects.filter(role=Role.CLERK, is_active=True):
        notify(
            user=clerk,
            key=f"case:{application.pk}:commitment-supplied:{timezone.now():%Y%m%d%H%M%S}",
            title=_("Committed materials to check: %(number)s %(enterprise)s")
            % {"number": application.number, "enterprise": application.enterprise.name},
            link=_link(application),
        )


@transaction.atomic
def commitment_check(*, application, by, accept: bool, reasons: str = "") -> Commitment:
    """The window checks the committed materials: accepted, the commitment is met (and the
    case may be approved); returned with reasons, the commitment stays open with its date."""
    application = _locked(application)
    if not by.has_perm("affairs.accept_application", application):
        raise PermissionDenied
    commitment = getattr(application, "commitment", None)
    if commitment is None or commitment.fulfilled_at or not commitment.supplied_at:
        raise ValidationError(_("No committed material is waiting for the window's check."))
    if not accept and not reasons.strip():
        raise ValidationError({"reasons": [_("Say what is wrong with the material.")]})
    before = audit.snapshot(commitment)
    now = timezone.now()
    if accept:
        commitment.fulfilled_at, commitment.checked_by = now, by
        note = _("The window accepted the committed materials: the commitment is met.")
    else:
        commitment.supplied_at = None
        commitment.returned_at, commitment.returned_reasons = now, reasons.strip()
        commitment.checked_by = by
        note = _("The window returned the committed materials: %(reasons)s") % {
            "reasons": reasons.strip()
        }
    commitment.save()
    ApplicationStep.objects.create(application=application, note=note, by=by)
    audit.record(
        action=AuditAction.UPDATE,
        obj=commitment,
        by=by,
        before=before,
        after=audit.snapshot(commitment),
    )
    if accept:
        tell_applicant(application, event="commitment-met", title=_("commitment met"))
        _conclude(application, by)
    else:
        tell_applicant(
            application,
            event=f"commitment-returned:{now:%Y%m%d%H%M%S}",
            title=_("committed materials returned"),
            body=reasons.strip(),
        )
    return commitment


@transaction.atomic
def review_decide(*, review, by, decision: str, reasons: str = "") -> Review:
    """A department approves, rejects (with reasons) or asks for supplements. Asking pauses
    that department's clock and the case's promise to the applicant; the other departments'
    clocks run on and they may go on deciding. The case is approved when every review has
    approved — never while a commitment is outstanding — and rejected as soon as one rejects."""
    review = Review.objects.select_for_update().select_related("application").get(pk=review.pk)
    application = _locked(review.application)
    if not by.has_perm("affairs.review_application", review):
        raise PermissionDenied
    if application.state != A.UNDER_REVIEW:
        raise ValidationError(_("This case is not under review."))
    if review.state not in (ReviewState.PENDING,):
        raise ValidationError(_("This review has been decided already."))
    if decision not in (ReviewState.APPROVED, ReviewState.REJECTED, ReviewState.SUPPLEMENT):
        raise ValidationError({"decision": [_("Unknown decision.")]})
    if decision != ReviewState.APPROVED and not reasons.strip():
        raise ValidationError({"reasons": [_("Give the reasons.")]})
    before = audit.snapshot(review)
    now = timezone.now()
    review.state = decision
    review.reasons = reasons.strip()
    review.decided_by = by
    if decision == ReviewState.SUPPLEMENT:
        request = SupplementRequest.objects.create(
            application=application, review=review, what=reasons.strip(), requested_by=by
        )
        _pause(review, now)
        _pause(application, now)
        ApplicationStep.objects.create(
            application=application,
            note=_("%(dept)s asks for supplements: %(what)s; its clock stands still.")
            % {"dept": review.department, "what": reasons.strip()},
            by=by,
        )
    else:
        review.decided_at = now
        ApplicationStep.objects.create(
            application=application,
            note=_("%(dept)s: %(decision)s")
            % {"dept": review.department, "decision": ReviewState(decision).label}
            + (f" — {reasons.strip()}" if reasons.strip() else ""),
            by=by,
        )
    review.save()
    audit.record(
        action=AuditAction.UPDATE,
        obj=review,
        by=by,
        before=before,
        after=audit.snapshot(review),
    )
    if decision == ReviewState.SUPPLEMENT:
        tell_applicant(
            application,
            event=f"supplement:{request.pk}",
            title=_("%(dept)s asks for supplements (补正)") % {"dept": review.department},
            body=_("%(what)s The promise's clock stands still until you supply them.")
            % {"what": reasons.strip()},
        )
    _conclude(application, by)
    return review


def _conclude(application: Application, by) -> None:
    """Decide the case from its reviews: one rejection rejects it; all approvals approve it
    once no commitment is outstanding."""
    if application.state != A.UNDER_REVIEW:
        return
    states = [r.state for r in application.reviews.all()]
    before = audit.snapshot(application)
    if ReviewState.REJECTED in states:
        _move(application, A.REJECTED, by=by)
    elif states and all(s == ReviewState.APPROVED for s in states):
        if _commitment_open(application):
            return  # approval waits for the window's check of the promised materials
        _move(application, A.APPROVED, by=by)
    else:
        return
    application.decided_at = timezone.now()
    _save(application, by, before)
    _decided(application, by)


def _decided(application: Application, by) -> None:
    """A decided case tells the applicant and moves its bundle run on (the next steps open,
    or the run ends)."""
    tell_applicant(
        application,
        event="decided",
        title=_("decided: %(state)s") % {"state": A(application.state).label},
    )
    if application.bundle_case_id:
        # bundles imports this module (a run's steps are cases): deferred to break the cycle.
        from gaoxin.affairs.services.bundles import bundle_advance

        bundle_advance(run=application.bundle_case, by=by)


# --- pauses: each clock has one owner -------------------------------------------------------


def _pause(clocked: Application | Review, now) -> None:
    """Stop a case's or a department's clock (once; a second reason to stop keeps the start)."""
    if clocked.paused_since is None:
        clocked.paused_since = now
        type(clocked).objects.filter(pk=clocked.pk).update(paused_since=now)


def _resume(clocked: Application | Review, application: Application, now) -> None:
    """Restart a stopped clock: the working time it stood still is added and its own deadline
    moves on by it — no other clock moves."""
    if clocked.paused_since is None:
        return
    paused = workcalendar.working_minutes_between(clocked.paused_since, now).minutes
    clocked.paused_minutes += max(paused, 0)
    clocked.paused_since = None
    result = (
        clocks.case_deadline(application)
        if isinstance(clocked, Application)
        else clocks.review_deadline(clocked, application)
    )
    clocked.deadline, clocked.deadline_certain = result.value, result.certain
    type(clocked).objects.filter(pk=clocked.pk).update(
        paused_minutes=clocked.paused_minutes,
        paused_since=None,
        deadline=clocked.deadline,
        deadline_certain=clocked.deadline_certain,
    )


def _exclusion_open(application: Application) -> bool:
    return application.exclusions.filter(ended_at__isnull=True).exists()


def _resume_what_is_clear(application: Application, now) -> bool:
    """Restart every clock nothing holds any more: a department's once its own supplement is
    in and no exclusion runs; the case's once the applicant owes nothing and no exclusion
    runs. Returns whether the case's clock restarted."""
    if _exclusion_open(application):
        return False
    waiting = set(
        application.supplements.filter(supplied_at__isnull=True, review__isnull=False).values_list(
            "review_id", flat=True
        )
    )
    for review in application.reviews.filter(
        paused_since__isnull=False, decided_at__isnull=True
    ).exclude(pk__in=waiting):
        _resume(review, application, now)
    if application.paused_since is None or waiting:
        return False
    _resume(application, application, now)
    return True


def _recompute_deadlines(application: Application) -> None:
    """After an extension: the case's and every undecided department's deadline, each with
    its own paused time."""
    result = clocks.case_deadline(application)
    application.deadline, application.deadline_certain = result.value, result.certain
    for review in application.reviews.filter(decided_at__isnull=True):
        result = clocks.review_deadline(review, application)
        Review.objects.filter(pk=review.pk).update(
            deadline=result.value, deadline_certain=result.certain
        )


@transaction.atomic
def supplement_supply(*, application, by, note: str = "", request=None) -> Application:
    """The applicant supplies what was asked (one request, or all that are open): the asking
    department's review returns to it and its clock restarts; the case's promise restarts
    once the applicant owes nothing more."""
    application = _locked(application)
    if not by.has_perm("affairs.supply_application", application):
        raise PermissionDenied
    open_requests = application.supplements.filter(supplied_at__isnull=True)
    if request is not None:
        open_requests = open_requests.filter(pk=request.pk)
    open_requests = list(open_requests)
    if not open_requests:
        raise ValidationError(_("Nothing has been asked for."))
    now = timezone.now()
    before = audit.snapshot(application)
    SupplementRequest.objects.filter(pk__in=[r.pk for r in open_requests]).update(
        supplied_at=now, supplied_by=by
    )
    application.reviews.filter(
        pk__in=[r.review_id for r in open_requests if r.review_id], state=ReviewState.SUPPLEMENT
    ).update(state=ReviewState.PENDING)
    resumed = _resume_what_is_clear(application, now)
    ApplicationStep.objects.create(
        application=application,
        note=(
            _("Supplements supplied; the clock resumes.") if resumed else _("Supplements supplied.")
        )
        + (f" {note.strip()}" if note.strip() else ""),
        by=by,
    )
    _save(application, by, before)
    if resumed:
        tell_applicant(
            application,
            event=f"resumed:{now:%Y%m%d%H%M%S}",
            title=_("clock resumed"),
            body=_("Promised by %(when)s.")
            % {"when": timezone.localtime(application.deadline).strftime("%Y-%m-%d %H:%M")},
        )
    return application


@transaction.atomic
def exclusion_start(*, application, by, kind: str, written_notice: str):
    """Stop the clock for a hearing, testing, inspection or expert review, with the written
    notice the applicant receives. The whole case stands still: the case's promise and every
    undecided department's clock."""
    from gaoxin.affairs.models import ExcludedPeriod, ExclusionKind

    application = _locked(application)
    if not by.has_perm("affairs.accept_application", application) and not any(
        by.has_perm("affairs.review_application", r) for r in application.reviews.all()
    ):
        raise PermissionDenied
    if application.state != ApplicationState.UNDER_REVIEW:
        raise ValidationError(_("This case is not under review."))
    if kind not in ExclusionKind.values:
        raise ValidationError({"kind": [_("Unknown kind.")]})
    if not written_notice.strip():
        raise ValidationError(
            {"written_notice": [_("The applicant is told in writing; write the notice.")]}
        )
    period = ExcludedPeriod.objects.create(
        application=application, kind=kind, written_notice=written_notice.strip(), by=by
    )
    _pause(application, period.started_at)
    for review in application.reviews.filter(decided_at__isnull=True):
        _pause(review, period.started_at)
    ApplicationStep.objects.create(
        application=application,
        note=_("Clock stopped for %(kind)s: %(notice)s")
        % {"kind": ExclusionKind(kind).label, "notice": written_notice.strip()},
        by=by,
    )
    audit.record(action=AuditAction.CREATE, obj=period, by=by, after=audit.snapshot(period))
    tell_applicant(
        application,
        event=f"paused:{period.pk}",
        title=_("clock stopped for %(kind)s") % {"kind": ExclusionKind(kind).label},
        body=written_notice.strip(),
    )
    return period


@transaction.atomic
def exclusion_end(*, period, by):
    application = _locked(period.application)
    if period.ended_at:
        raise ValidationError(_("This period has ended already."))
    if not by.has_perm("affairs.accept_application", application) and by != period.by:
        raise PermissionDenied
    now = timezone.now()
    before = audit.snapshot(application)
    period.ended_at = now
    period.save(update_fields=["ended_at"])
    resumed = _resume_what_is_clear(application, now)
    ApplicationStep.objects.create(
        application=application,
        note=_("%(kind)s finished; the clock resumes.") % {"kind": period.get_kind_display()},
        by=by,
    )
    _save(application, by, before)
    if resumed:
        tell_applicant(
            application,
            event=f"resumed:{period.pk}",
            title=_("clock resumed"),
            body=_("Promised by %(when)s.")
            % {"when": timezone.localtime(application.deadline).strftime("%Y-%m-%d %H:%M")},
        )
    return application


MAX_EXTENSION_DAYS = 10


@transaction.atomic
def extension_grant(*, application, by, days: int, reason: str):
    """Extend the limit (once, at most ten working days), approved by a leader or the
    department's head; recorded and audited."""
    from gaoxin.accounts.models import Role
    from gaoxin.affairs.models import Extension

    application = _locked(application)
    heads = {i.department.head_id for i in application.items.select_related("department")}
    if not (by.role in (Role.ADMIN, Role.LEADER) or by.pk in heads):
        raise PermissionDenied
    if application.state != ApplicationState.UNDER_REVIEW:
        raise ValidationError(_("This case is not under review."))
    if hasattr(application, "extension"):
        raise ValidationError(_("The limit has been extended once already."))
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ValidationError(
            {"days": [_("Extend by 1 to %(n)d working days.") % {"n": MAX_EXTENSION_DAYS}]}
        )
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reason.")]})
    before = audit.snapshot(application)
    Extension.objects.create(
        application=application, days=days, reason=reason.strip(), approved_by=by
    )
    application.refresh_from_db()
    _recompute_deadlines(application)
    ApplicationStep.objects.create(
        application=application,
        note=_("Limit extended by %(n)d working days: %(reason)s")
        % {"n": days, "reason": reason.strip()},
        by=by,
    )
    _save(application, by, before)
    tell_applicant(
        application,
        event="extended",
        title=_("limit extended by %(n)d working days") % {"n": days},
        body=reason.strip(),
    )
    return application


@transaction.atomic
def application_close(*, application, by) -> Application:
    application = _locked(application)
    if not by.has_perm("affairs.accept_application", application):
        raise PermissionDenied
    before = audit.snapshot(application)
    _move(application, A.CLOSED, by=by)
    application.closed_at = timezone.now()
    _save(application, by, before)
    tell_applicant(
        application,
        event="closed",
        title=_("closed"),
        body=_("Please rate the service (好差评)."),
    )
    return application


COMMITMENT_REMINDER_DAYS = 2


def check_commitments(now=None) -> int:
    """Remind the applicant of a commitment due within two working days; flag commitments
    past their date whose materials were not handed in (materials waiting for the window's
    check are not the applicant's delay); per the item's rule the case is terminated. Safe to
    run any number of times. Returns how many were newly flagged."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    remind_until = workcalendar.add_working_days(today, COMMITMENT_REMINDER_DAYS).value
    for commitment in Commitment.objects.filter(
        fulfilled_at__isnull=True,
        unmet_at__isnull=True,
        supplied_at__isnull=True,
        due_on__gte=today,
        due_on__lte=remind_until,
    ).select_related("application__enterprise", "application__authorization__agent"):
        tell_applicant(
            commitment.application,
            event=f"commitment-due:{commitment.due_on.isoformat()}",
            title=_("committed materials due %(date)s") % {"date": commitment.due_on.isoformat()},
            body=", ".join(m.name for m in commitment.materials.all()),
        )
    flagged = 0
    for commitment in Commitment.objects.filter(
        fulfilled_at__isnull=True, unmet_at__isnull=True, supplied_at__isnull=True, due_on__lt=today
    ).select_related("application"):
        with transaction.atomic():
            application = _locked(commitment.application)
            Commitment.objects.filter(pk=commitment.pk).update(unmet_at=now)
            ApplicationStep.objects.create(
                application=application,
                note=_("Commitment unmet: the materials were due %(date)s.")
                % {"date": commitment.due_on},
                by=None,
            )
            terminates = application.items.filter(unmet_commitment_terminates=True).exists()
            if terminates and application.state == A.UNDER_REVIEW:
                before = audit.snapshot(application)
                _move(
                    application,
                    A.REJECTED,
                    by=None,
                    note=_("Terminated: the commitment was not met."),
                )
                application.decided_at = now
                _save(application, None, before)
                _decided(application, None)
            flagged += 1
    return flagged


# --- the clock ----------------------------------------------------------------------------

ON_TIME, DUE_SOON, OVERDUE = clocks.ON_TIME, clocks.DUE_SOON, clocks.OVERDUE


def clock(application: Application, now=None) -> Clock:
    """The case's promise to the applicant (see gaoxin.affairs.clocks)."""
    return clocks.clock(application, now)


def review_clock(review: Review, application: Application | None = None, now=None) -> Clock:
    return clocks.review_clock(review, application, now)


@transaction.atomic
def material_upload(*, application, upload, by, material=None):
    """Attach a material's file to a case, a draft included (type, content and size checked by
    core.attachments; stored under a random name; served only through the case's access
    check). A file for one of the listed materials counts as handing that material in."""
    from gaoxin.affairs.models import CaseMaterial
    from gaoxin.core.attachments import attach

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
        note=_("Material uploaded: %(name)s") % {"name": attachment.original_name},
        by=by,
    )
    return attachment


# --- pre-review (预审) ----------------------------------------------------------------------


@transaction.atomic
def pre_review_request(*, enterprise, items, departments, question: str, by):
    """Ask the lead department (the first item's) and the consulted departments for their
    opinions before filing."""
    from gaoxin.affairs.models import PreReview

    items, departments = list(items), list(departments)
    if not by.has_perm("affairs.add_application", enterprise):
        raise PermissionDenied
    if not items:
        raise ValidationError({"items": [_("Choose at least one service item.")]})
    if not question.strip():
        raise ValidationError({"question": [_("Describe the plan and the question.")]})
    lead = items[0].department
    consulted = {d.pk: d for d in departments if d.pk != lead.pk}
    pre_review = PreReview.objects.create(
        enterprise=enterprise, question=question.strip(), lead_department=lead, requested_by=by
    )
    pre_review.items.set(items)
    pre_review.departments.set(consulted.values())
    audit.record(action=AuditAction.CREATE, obj=pre_review, by=by, after=audit.snapshot(pre_review))
    return pre_review


@transaction.atomic
def pre_review_opinion(*, pre_review, by, opinion: str):
    from gaoxin.affairs.models import PreReviewOpinion

    asked = {pre_review.lead_department_id, *pre_review.departments.values_list("pk", flat=True)}
    if by.role != "admin" and (by.role != "staff" or by.department_id not in asked):
        raise PermissionDenied
    if pre_review.concluded_at:
        raise ValidationError(_("This pre-review is concluded."))
    if not opinion.strip():
        raise ValidationError({"opinion": [_("Write the opinion.")]})
    if pre_review.opinions.filter(department_id=by.department_id).exists():
        raise ValidationError(_("Your department has given its opinion."))
    entry = PreReviewOpinion.objects.create(
        pre_review=pre_review, department=by.department, opinion=opinion.strip(), by=by
    )
    audit.record(action=AuditAction.CREATE, obj=entry, by=by, after=audit.snapshot(entry))
    return entry


@transaction.atomic
def pre_review_conclude(*, pre_review, by, conclusion: str):
    """The lead department concludes once every consulted department has spoken."""
    if by.role != "admin" and (
        by.role != "staff" or by.department_id != pre_review.lead_department_id
    ):
        raise PermissionDenied
    if pre_review.concluded_at:
        raise ValidationError(_("This pre-review is concluded."))
    spoken = set(pre_review.opinions.values_list("department_id", flat=True))
    waiting = pre_review.departments.exclude(pk__in=spoken)
    if waiting.exists():
        raise ValidationError(
            _("Waiting for: %(names)s") % {"names": "、".join(str(d) for d in waiting)}
        )
    if not conclusion.strip():
        raise ValidationError({"conclusion": [_("Write the conclusion.")]})
    before = audit.snapshot(pre_review)
    pre_review.conclusion, pre_review.concluded_at = conclusion.strip(), timezone.now()
    pre_review.save()
    audit.record(
        action=AuditAction.UPDATE,
        obj=pre_review,
        by=by,
        before=before,
        after=audit.snapshot(pre_review),
    )
    return pre_review


def attach_pre_review(*, application, pre_review) -> None:
    """A concluded pre-review of the same enterprise goes with the application."""
    if pre_review.enterprise_id != application.enterprise_id:
        raise ValidationError({"pre_review": [_("The pre-review is another enterprise's.")]})
    if pre_review.concluded_at is None:
        raise ValidationError({"pre_review": [_("The pre-review is not concluded yet.")]})
    Application.objects.filter(pk=application.pk).update(pre_review=pre_review)
    application.pre_review = pre_review


@transaction.atomic
def material_template_attach(*, material, upload, by):
    """Put the blank form (模板) of a material beside it in the catalogue; a new file
    replaces the old one."""
    from gaoxin.core.attachments import attach, attachments_of, detach

    if not by.has_perm("affairs.change_serviceitem", material.item):
        raise PermissionDenied
    for old in attachments_of(material):
        detach(attachment=old, by=by)
    return attach(obj=material, upload=upload, by=by, description=material.name)


def legal_deadline(application: Application):
    """The Administrative Licensing Law's outer bound beside the promise: the longest legal
    limit of the items in working days, plus the time paused and any approved extension."""
    if application.accepted_at is None:
        return None
    days = max(i.legal_limit_days for i in application.items.all())
    extension = getattr(application, "extension", None)
    minutes = limit_minutes(days + (extension.days if extension else 0), LimitUnit.WORKING_DAYS)
    return clocks.deadline_after(
        application.accepted_at, minutes + application.paused_minutes
    ).value
