"""Pages of the catalogue, cases, reviews, notices, pre-reviews and case statistics."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.affairs import catalogue
from gaoxin.affairs.filters import ServiceItemFilter
from gaoxin.affairs.models import RatingLevel, ServiceItem
from gaoxin.core.attachments import attachments_of
from gaoxin.core.excel import xlsx_response
from gaoxin.core.params import int_list, int_or_none
from gaoxin.core.permissions import permission_required


def _items(user):
    items = ServiceItem.objects.restrict(user).select_related("department")
    if not user.has_perm("affairs.change_serviceitem"):
        items = items.active()  # enterprises see the published catalogue
    return items


@permission_required("affairs.view_serviceitem")
def item_list(request):
    filterset = ServiceItemFilter(request.GET, queryset=_items(request.user))
    if request.GET.get("format") == "xlsx":
        return xlsx_response(_("catalogue"), catalogue.export_workbook(filterset.qs))
    page = Paginator(filterset.qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "affairs/item_list.html",
        {
            "filter": filterset,
            "page": page,
            "can_import": request.user.has_perm("affairs.import_serviceitem"),
            "can_add": request.user.has_perm("affairs.change_serviceitem"),
        },
    )


@permission_required("affairs.view_serviceitem")
def item_detail(request, pk: int):
    """An item with its materials; the window attaches each material's blank form."""
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.shortcuts import redirect

    from gaoxin.affairs import services

    item = get_object_or_404(_items(request.user), pk=pk)
    if request.method == "POST":
        material = get_object_or_404(item.materials, pk=int_or_none(request.POST.get("material")))
        try:
            if "file" not in request.FILES:
                raise ValidationError(_("Choose the file to upload."))
            services.material_template_attach(
                material=material, upload=request.FILES["file"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied:
            messages.error(request, _("You may not change the catalogue."))
        else:
            messages.success(request, _("Template saved."))
        return redirect("affairs:item", pk=pk)
    materials = list(item.materials.all())
    for material in materials:
        material.template = attachments_of(material).first()
    return render(
        request,
        "affairs/item_detail.html",
        {
            "item": item,
            "materials": materials,
            "reviewing": item.reviewing_departments.all(),
            "can_change": request.user.has_perm("affairs.change_serviceitem", item),
            "can_file": item.is_active
            and request.user.has_perm("affairs.add_application")
            and (item.online_allowed or request.user.role in ("clerk", "admin")),
        },
    )


def _item_form_page(request, item: ServiceItem | None):
    """Create or edit an item with its materials; a stale version is a conflict (409)."""
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import redirect

    from gaoxin.affairs import services
    from gaoxin.affairs.forms import (
        MaterialFormSet,
        ServiceItemForm,
        materials_data,
        materials_initial,
    )
    from gaoxin.core.editing import form_status, submit_versioned

    user = request.user
    if item is not None and not user.has_perm("affairs.change_serviceitem", item):
        raise PermissionDenied
    form = ServiceItemForm(request.POST or None, instance=item, user=user)
    formset = MaterialFormSet(
        request.POST or None, initial=materials_initial(item), prefix="materials"
    )
    current = None
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in services.ITEM_FIELDS}
        data["unmet_commitment_terminates"] = form.cleaned_data["unmet_commitment_terminates"]
        departments = form.cleaned_data["reviewing_departments"]
        materials = materials_data(formset)
        try:
            if item is None:
                saved_item = services.item_create(
                    by=user, data=data, reviewing_departments=departments, materials=materials
                )
                saved = True
            else:
                saved_item = item
                saved, current = submit_versioned(
                    form,
                    lambda version: services.item_update(
                        item=item,
                        by=user,
                        data=data,
                        expected_version=version,
                        reviewing_departments=departments,
                        materials=materials,
                    ),
                )
        except ValidationError as error:
            from gaoxin.core.editing import apply_service_errors

            apply_service_errors(form, error)
            saved = False
        if saved:
            messages.success(request, _("Item saved."))
            return redirect("affairs:item", pk=saved_item.pk)
    return render(
        request,
        "affairs/item_form.html",
        {"form": form, "formset": formset, "item": item, "current": current},
        status=400 if formset.total_error_count() else form_status(form, current),
    )


@permission_required("affairs.change_serviceitem")
def item_new(request):
    return _item_form_page(request, None)


@permission_required("affairs.change_serviceitem")
def item_edit(request, pk: int):
    return _item_form_page(request, get_object_or_404(_items(request.user), pk=pk))


@permission_required("affairs.view_serviceitem")
def material_template(request, pk: int, material_pk: int):
    """A material's blank form: public to everyone who may read the catalogue."""
    from gaoxin.core.attachments import download

    item = get_object_or_404(_items(request.user), pk=pk)
    material = get_object_or_404(item.materials, pk=material_pk)
    template = attachments_of(material).first()
    if template is None:
        from django.http import Http404

        raise Http404
    return download(template)


@permission_required("affairs.import_serviceitem")
def item_import(request):
    """Upload the catalogue workbook; the task worker checks every row and saves all or none,
    and the job's page reports every bad cell."""
    from django.shortcuts import redirect

    from gaoxin.core import jobs
    from gaoxin.core.models import BackgroundJob
    from gaoxin.core.uploads import check_spreadsheet

    kind = "affairs.catalogue_import"
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ValidationError(_("Choose the catalogue file to import."))
            check_spreadsheet(upload)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            # Parsed by the worker, never here: a workbook cannot tie up or exhaust the pages.
            job = jobs.start_import(
                upload=upload,
                kind=kind,
                runner="gaoxin.affairs.catalogue.import_workbook",
                by=request.user,
            )
            return redirect("core:job", pk=job.pk)
    recent = BackgroundJob.objects.filter(user=request.user, kind=kind)[:10]
    return render(
        request,
        "affairs/item_import.html",
        {"error": error, "jobs": recent},
        status=400 if error else 200,
    )


# --- applications -------------------------------------------------------------------------


def _applications(user):
    from gaoxin.affairs.models import Application

    # The clock of each row reads its extension: joined, not one query per row; the rows
    # name their items.
    return (
        Application.objects.restrict(user)
        .select_related("enterprise", "applicant", "extension")
        .prefetch_related("items")
    )


def _with_clock(applications):
    from gaoxin.affairs import services

    applications = list(applications)
    for application in applications:
        application.clock = services.clock(application)
    return applications


@permission_required("affairs.view_application")
def application_list(request):
    """My applications (an enterprise), or the cases a member of staff may see: each row
    names its items, enterprise, state and deadline with its light."""
    from gaoxin.affairs.filters import ApplicationFilter

    filterset = ApplicationFilter(request.GET, queryset=_applications(request.user))
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    page.object_list = _with_clock(page.object_list)
    return render(
        request,
        "affairs/application_list.html",
        {
            "filter": filterset,
            "page": page,
            "can_file": request.user.has_perm("affairs.add_application"),
        },
    )


@permission_required("affairs.add_application")
def application_new(request):
    """File an application. Online (an enterprise, or an agent for one): find the item, open
    a draft, upload its materials, submit. At the window the clerk files and submits at once,
    with the papers in hand."""
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.shortcuts import redirect

    from gaoxin.affairs import services
    from gaoxin.affairs.models import PreReview
    from gaoxin.affairs.views.desk import _acting_for

    user = request.user
    online = user.role in ("enterprise", "agent")
    enterprises = _acting_for(user)
    items = ServiceItem.objects.active().select_related("department")
    if online:
        items = items.filter(online_allowed=True)
    search = ServiceItemFilter({"q": request.GET.get("q", "")}, queryset=items)
    found = search.qs if request.GET.get("q", "").strip() else items
    page = Paginator(found.order_by("code"), 20).get_page(request.GET.get("page"))
    chosen_ids = int_list(request.POST.getlist("items") or request.GET.getlist("item"))
    concluded = PreReview.objects.restrict(user).filter(concluded_at__isnull=False)
    projects = _projects_for(user)
    error = None
    if request.method == "POST":
        enterprise = enterprises.filter(pk=int_or_none(request.POST.get("enterprise"))).first()
        chosen = list(items.filter(pk__in=chosen_ids))
        try:
            if enterprise is None:
                raise ValidationError(_("Choose the enterprise."))
            pre_review = (
                PreReview.objects.restrict(user)
                .filter(pk=int_or_none(request.POST.get("pre_review")))
                .first()
                if request.POST.get("pre_review")
                else None
            )
            application = services.application_create(
                enterprise=enterprise,
                items=chosen,
                by=user,
                channel="online" if user.role == "enterprise" else "window",
                pre_review=pre_review,
                project=projects.filter(
                    pk=int_or_none(request.POST.get("project")), enterprise=enterprise
                ).first(),
            )
            if not online:
                services.application_submit(application=application, by=user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        except PermissionDenied:
            error = _("You may not file for this enterprise.")
        else:
            return redirect("affairs:application", pk=application.pk)
    return render(
        request,
        "affairs/application_new.html",
        {
            "enterprises": enterprises,
            "page": page,
            "q": request.GET.get("q", ""),
            "chosen": list(items.filter(pk__in=chosen_ids)),
            "online": online,
            "error": error,
            "pre_reviews": concluded,
            "projects": projects,
        },
        status=400 if error else 200,
    )


def _projects_for(user):
    """Projects a case may be filed for: the enterprise's own; an agent's, those it is
    authorised for as a whole."""
    from django.utils import timezone

    from gaoxin.affairs.models import Authorization
    from gaoxin.projects.models import Project

    if user.role == "enterprise":
        return Project.objects.filter(enterprise_id=user.enterprise_id).order_by("name")
    if user.role == "agent":
        scoped = Authorization.objects.filter(agent=user, scope="project").active_on(
            timezone.localdate()
        )
        return Project.objects.filter(pk__in=scoped.values("project")).order_by("name")
    return Project.objects.none()


@permission_required("affairs.view_application")
def application_detail(request, pk: int):
    return render_case(request, get_object_or_404(_applications(request.user), pk=pk))


def render_case(request, application, *, rating_form: dict | None = None, status: int = 200):
    """The case page; after a refused rating, with the rater's choice and words kept."""
    from gaoxin.affairs import services
    from gaoxin.affairs.models import ApplicationState, ExclusionKind

    user = request.user
    reviews = list(application.reviews.select_related("department", "decided_by"))
    for review in reviews:
        review.mine = user.has_perm("affairs.review_application", review)
        review.clock = services.review_clock(review, application)
    items = list(application.items.select_related("department").prefetch_related("materials"))
    materials = [m for i in items for m in i.materials.all()]
    handed_in: dict[int, list] = {}
    for case_material in application.case_materials.select_related("attachment"):
        handed_in.setdefault(case_material.material_id, []).append(case_material.attachment)
    for material in materials:
        material.files = handed_in.get(material.pk, [])
    commitment = getattr(application, "commitment", None)
    is_applicant = user.has_perm("affairs.supply_application", application)
    is_window = user.has_perm("affairs.accept_application", application)
    commitment_open = (
        commitment is not None and commitment.fulfilled_at is None and commitment.unmet_at is None
    )
    open_supplements = list(
        application.supplements.filter(supplied_at__isnull=True).select_related(
            "review__department"
        )
    )
    from gaoxin.affairs.views.desk import rating_context

    return render(
        request,
        "affairs/application_detail.html",
        {
            **rating_context(application, user),
            "agent_id": application.authorization.agent_id if application.authorization else None,
            "case": application,
            "clock": services.clock(application),
            "legal_deadline": services.legal_deadline(application),
            "items": items,
            "reviews": reviews,
            "steps": application.steps.select_related("by__department"),
            "files": attachments_of(application),
            "exclusions": application.exclusions.all(),
            "exclusion_kinds": ExclusionKind.choices,
            "extension": getattr(application, "extension", None),
            "can_extend": application.state == ApplicationState.UNDER_REVIEW
            and not hasattr(application, "extension")
            and (
                user.role in ("admin", "leader")
                or any(i.department.head_id == user.pk for i in items)
            ),
            "can_exclude": application.state == ApplicationState.UNDER_REVIEW
            and (is_window or any(r.mine for r in reviews)),
            "materials": materials,
            "is_draft": application.state == ApplicationState.DRAFT,
            "can_submit": application.state == ApplicationState.DRAFT
            and user.has_perm("affairs.submit_application", application),
            "can_upload": is_applicant
            and application.state not in (ApplicationState.CLOSED, ApplicationState.REJECTED),
            "deficiency_requested": {m.pk for m in application.deficiency_requested.all()},
            "supplements": application.supplements.all(),
            "open_supplements": open_supplements,
            "commitment": commitment,
            "waivable": [m for m in materials if not m.essential],
            "can_accept": application.state == ApplicationState.SUBMITTED and is_window,
            "can_close": application.state in (ApplicationState.APPROVED, ApplicationState.REJECTED)
            and is_window,
            "can_supply": bool(open_supplements)
            and application.state in (ApplicationState.SUBMITTED, ApplicationState.UNDER_REVIEW)
            and is_applicant,
            "intake_notice_due": services.intake_notice_due(application.submitted_at)
            if application.state == ApplicationState.SUBMITTED
            else None,
            "intake_notice": application.supplements.filter(review__isnull=True).first(),
            "intake_open": application.supplements.filter(
                review__isnull=True, supplied_at__isnull=True
            ).exists(),
            # The applicant (or, for a case filed at the window, the clerk with the papers).
            "can_supply_commitment": commitment_open
            and not commitment.supplied_at
            and is_applicant,
            "can_check_commitment": commitment_open and commitment.supplied_at and is_window,
            "rating_form": rating_form or {},
            # Who in a department decided is the zone's business; the applicant sees the
            # department and its reasons.
            "show_reviewers": user.role not in ("enterprise", "agent"),
        },
        status=status,
    )


@require_POST
@permission_required("affairs.view_application")
def application_act(request, pk: int):
    """The case page's actions, each through its service; refusals become messages."""
    import datetime as dt

    from django.contrib import messages
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.shortcuts import redirect

    from gaoxin.affairs import services
    from gaoxin.affairs.models import Material, Review

    application = get_object_or_404(_applications(request.user), pk=pk)
    action = request.POST.get("action")
    try:
        if action == "accept":
            posted = request.POST.getlist("missing")
            missing = list(Material.objects.filter(pk__in=int_list(posted)))
            if len(missing) != len(set(posted)):
                raise ValidationError(_("A material does not belong to these items."))
            due_on = None
            if request.POST.get("due_on"):
                try:
                    due_on = dt.date.fromisoformat(request.POST["due_on"])
                except ValueError:
                    raise ValidationError(_("Give the date as YYYY-MM-DD.")) from None
            services.application_accept(
                application=application,
                by=request.user,
                missing=missing,
                due_on=due_on,
                signatory=request.POST.get("signatory", ""),
            )
        elif action == "review":
            review = get_object_or_404(
                Review.objects.filter(application=application),
                pk=int_or_none(request.POST.get("review")),
            )
            services.review_decide(
                review=review,
                by=request.user,
                decision=request.POST.get("decision", ""),
                reasons=request.POST.get("reasons", ""),
            )
        elif action == "refuse":
            services.application_refuse(
                application=application, by=request.user, reasons=request.POST.get("reasons", "")
            )
        elif action == "intake_supplement":
            services.intake_supplement_request(
                application=application, by=request.user, what=request.POST.get("what", "")
            )
        elif action == "supply":
            supplement = None
            if request.POST.get("request"):
                supplement = get_object_or_404(
                    application.supplements.filter(supplied_at__isnull=True),
                    pk=int_or_none(request.POST.get("request")),
                )
            services.supplement_supply(
                application=application,
                by=request.user,
                note=request.POST.get("note", ""),
                request=supplement,
            )
        elif action == "submit":
            posted = int_list(request.POST.getlist("deficiency"))
            deficiency = list(Material.objects.filter(pk__in=posted))
            if len(deficiency) != len(set(posted)):
                raise ValidationError(_("A material does not belong to these items."))
            services.application_submit(
                application=application, by=request.user, deficiency=deficiency
            )
        elif action == "commitment_supply":
            services.commitment_supply(
                application=application, by=request.user, note=request.POST.get("note", "")
            )
        elif action == "commitment_check":
            services.commitment_check(
                application=application,
                by=request.user,
                accept=request.POST.get("verdict") == "accept",
                reasons=request.POST.get("reasons", ""),
            )
        elif action == "close":
            services.application_close(application=application, by=request.user)
        elif action == "extend":
            try:
                days = int(request.POST.get("days") or 0)
            except ValueError:
                days = 0
            services.extension_grant(
                application=application,
                by=request.user,
                days=days,
                reason=request.POST.get("reason", ""),
            )
        elif action == "exclude":
            services.exclusion_start(
                application=application,
                by=request.user,
                kind=request.POST.get("kind", ""),
                written_notice=request.POST.get("written_notice", ""),
            )
        elif action == "exclusion_end":
            period = get_object_or_404(
                application.exclusions.filter(ended_at__isnull=True),
                pk=int_or_none(request.POST.get("period")),
            )
            services.exclusion_end(period=period, by=request.user)
        elif action == "upload":
            upload = request.FILES.get("file")
            if upload is None:
                raise ValidationError(_("Choose the file to upload."))
            material = Material.objects.filter(pk=int_or_none(request.POST.get("material"))).first()
            services.material_upload(
                application=application, upload=upload, by=request.user, material=material
            )
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        messages.error(request, _("You may not do this with this case."))
    else:
        messages.success(request, _("Recorded."))
    return redirect("affairs:application", pk=application.pk)


@permission_required("affairs.view_application")
def material_download(request, pk: int, attachment_pk: int):
    """A case's file, only to those who may see the case (never a public URL)."""
    from gaoxin.core.attachments import download

    application = get_object_or_404(_applications(request.user), pk=pk)
    return download(get_object_or_404(attachments_of(application), pk=attachment_pk))


@permission_required("affairs.view_review_queue")
def review_queue(request):
    """Open reviews, soonest deadline first, each with its department's own clock: a
    department sees its own; the window, leaders and administrators every department's."""
    from gaoxin.affairs import services
    from gaoxin.affairs.models import Review, ReviewState

    reviews = Review.objects.filter(
        state__in=(ReviewState.PENDING, ReviewState.SUPPLEMENT),
        application__state="under_review",
    )
    everyone = request.user.role in ("admin", "leader", "clerk")
    if not everyone:
        reviews = reviews.filter(department_id=request.user.department_id)
    reviews = list(
        reviews.select_related("application__enterprise", "application__extension", "department")
        .prefetch_related("application__items")
        .order_by("deadline")[:200]
    )
    for review in reviews:
        review.clock = services.review_clock(review, review.application)
    return render(
        request, "affairs/review_queue.html", {"reviews": reviews, "every_department": everyone}
    )


NOTICE_KINDS = ("receipt", "supplement", "result")


@permission_required("affairs.view_application")
def notice(request, pk: int, kind: str):
    """Printable notices with the case number: the acceptance receipt (受理通知书), the
    supplement notice (补正通知书) and the result (办理结果通知书)."""
    from django.http import Http404

    application = get_object_or_404(_applications(request.user), pk=pk)
    if kind not in NOTICE_KINDS:
        raise Http404
    if kind == "receipt" and application.accepted_at is None:
        raise Http404
    if kind == "result" and application.decided_at is None:
        raise Http404
    supplements = list(application.supplements.select_related("review__department"))
    if kind == "supplement" and not supplements:
        raise Http404
    return render(
        request,
        "affairs/notice.html",
        {
            "case": application,
            "kind": kind,
            "items": application.items.select_related("department"),
            "supplements": supplements,
            "commitment": getattr(application, "commitment", None),
            "reviews": application.reviews.select_related("department"),
            "refusal": application.steps.filter(from_state="submitted", to_state="rejected")
            .values_list("note", flat=True)
            .first(),
            "approved": application.decided_at is not None
            and not application.reviews.filter(state="rejected").exists()
            and not getattr(getattr(application, "commitment", None), "unmet_at", None),
        },
    )


@permission_required("affairs.view_service_statistics")
def statistics(request):
    """On-time rate and ratings of cases per department, item or window, and bundles done
    within their promise, for any period."""
    from django.utils import timezone

    from gaoxin.affairs import selectors
    from gaoxin.projects.forms import period_from_request

    form, period = period_from_request(request)
    by = request.GET.get("by") if request.GET.get("by") in selectors.UNITS else "department"
    rows = selectors.on_time(period, timezone.now(), by) if period else []
    return render(
        request,
        "affairs/statistics.html",
        {
            "form": form,
            "period": period,
            "rows": rows,
            "ratings": selectors.ratings(period, by) if period else [],
            "bundles": selectors.bundles_within_promise(period) if period else [],
            "rating_levels": sorted(RatingLevel.choices, reverse=True),
            "units": [
                ("department", _("Department")),
                ("item", _("Item")),
                ("window", _("Window")),
            ],
            "by": by,
            "rating_days": settings.RATING_WORKING_DAYS,
            "totals": {
                "decided": sum(r.decided for r in rows),
                "on_time": sum(r.on_time for r in rows),
            },
        },
        status=200 if period else 400,
    )


# --- pre-review ---------------------------------------------------------------------------


@permission_required("affairs.view_prereview")
def pre_review_list(request):
    """Pre-reviews (预审) the user may see; the enterprise (or the window) asks for one."""
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.shortcuts import redirect

    from gaoxin.accounts.models import Department
    from gaoxin.affairs import services
    from gaoxin.affairs.models import PreReview
    from gaoxin.enterprises.models import Enterprise

    user = request.user
    enterprises = (
        Enterprise.objects.filter(pk=user.enterprise_id)
        if user.role == "enterprise"
        else Enterprise.objects.order_by("name")
    )
    items = ServiceItem.objects.active().order_by("code")
    error = None
    if request.method == "POST":
        try:
            pre_review = services.pre_review_request(
                enterprise=enterprises.filter(
                    pk=int_or_none(request.POST.get("enterprise"))
                ).first()
                or Enterprise(pk=0),
                items=items.filter(pk__in=int_list(request.POST.getlist("items"))),
                departments=Department.objects.filter(
                    pk__in=int_list(request.POST.getlist("departments"))
                ),
                question=request.POST.get("question", ""),
                by=user,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        except PermissionDenied:
            error = _("You may not ask for this enterprise.")
        else:
            return redirect("affairs:pre_review", pk=pre_review.pk)
    return render(
        request,
        "affairs/pre_review_list.html",
        {
            "pre_reviews": PreReview.objects.restrict(user).select_related(
                "enterprise", "lead_department"
            )[:100],
            "can_ask": user.has_perm("affairs.add_application"),
            "enterprises": enterprises,
            "items": items,
            "departments": Department.objects.filter(is_active=True),
            "error": error,
        },
        status=400 if error else 200,
    )


@permission_required("affairs.view_prereview")
def pre_review_detail(request, pk: int):
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.shortcuts import redirect

    from gaoxin.affairs import services
    from gaoxin.affairs.models import PreReview

    pre_review = get_object_or_404(PreReview.objects.restrict(request.user), pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "conclude":
                services.pre_review_conclude(
                    pre_review=pre_review,
                    by=request.user,
                    conclusion=request.POST.get("conclusion", ""),
                )
            else:
                services.pre_review_opinion(
                    pre_review=pre_review, by=request.user, opinion=request.POST.get("opinion", "")
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied:
            messages.error(request, _("You may not do this with this pre-review."))
        else:
            messages.success(request, _("Recorded."))
        return redirect("affairs:pre_review", pk=pk)
    return render(
        request,
        "affairs/pre_review_detail.html",
        {
            "pre": pre_review,
            "opinions": pre_review.opinions.select_related("department", "by"),
            "consulted": pre_review.departments.all(),
            "items": pre_review.items.all(),
        },
    )
