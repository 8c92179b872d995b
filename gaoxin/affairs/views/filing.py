"""Pages of filing a case: the list of cases, a new application (online: find the item, open a
draft, upload its materials, submit; at the window: filed and submitted at once), the case
page, its files and printable notices, and the draft's actions (upload, submit)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.affairs import clocks, selectors, services
from gaoxin.affairs.filters import ApplicationFilter, ServiceItemFilter
from gaoxin.affairs.forms import ApplicationNewForm, SubmitForm, UploadForm
from gaoxin.affairs.models import PreReview
from gaoxin.affairs.views.case_page import act_on_case, applications, case_or_404, render_case
from gaoxin.core.attachments import attachments_of, download
from gaoxin.core.params import int_list
from gaoxin.core.permissions import permission_required

__all__ = [
    "application_detail",
    "application_list",
    "application_new",
    "application_submit",
    "application_upload",
    "material_download",
    "notice",
]


@permission_required("affairs.view_application")
def application_list(request):
    """My applications (an enterprise), or the cases a member of staff may see: each row
    names its items, enterprise, state and deadline with its light."""
    filterset = ApplicationFilter(request.GET, queryset=applications(request.user))
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for application in page.object_list:
        application.clock = clocks.clock(application)
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
    user = request.user
    online = user.role in ("enterprise", "agent")
    enterprises = selectors.acting_for(user)
    items = selectors.items_for(user).select_related("department")
    if online:
        items = items.filter(online_allowed=True)
    search = ServiceItemFilter({"q": request.GET.get("q", "")}, queryset=items)
    found = search.qs if request.GET.get("q", "").strip() else items
    page = Paginator(found.order_by("code"), 20).get_page(request.GET.get("page"))
    chosen_ids = int_list(request.POST.getlist("items") or request.GET.getlist("item"))
    concluded = PreReview.objects.restrict(user).filter(concluded_at__isnull=False)
    projects = selectors.projects_for(user)
    form = ApplicationNewForm(
        request.POST or None,
        enterprises=enterprises,
        items=items,
        pre_reviews=concluded,
        projects=projects,
    )
    error = None
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            data = form.cleaned_data
            application = services.application_create(
                enterprise=data["enterprise"],
                items=list(data["items"]),
                by=user,
                channel="online" if user.role == "enterprise" else "window",
                pre_review=data["pre_review"],
                project=data["project"],
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


@permission_required("affairs.view_application")
def application_detail(request, pk: int):
    return render_case(request, case_or_404(request, pk))


@require_POST
@permission_required("affairs.view_application")
def application_upload(request, pk: int):
    """A file for one of the case's materials (or another file), a draft's included."""
    application = case_or_404(request, pk)
    form = UploadForm(request.POST, request.FILES, application=application)
    return act_on_case(
        request,
        application,
        form,
        lambda data: services.material_upload(
            application=application, upload=data["file"], by=request.user, material=data["material"]
        ),
    )


@require_POST
@permission_required("affairs.view_application")
def application_submit(request, pk: int):
    """Submit the draft, with the waivable materials the applicant asks to bring later."""
    application = case_or_404(request, pk)
    form = SubmitForm(request.POST, application=application)
    return act_on_case(
        request,
        application,
        form,
        lambda data: services.application_submit(
            application=application, by=request.user, deficiency=list(data["deficiency"])
        ),
    )


@permission_required("affairs.view_application")
def material_download(request, pk: int, attachment_pk: int):
    """A case's file, only to those who may see the case (never a public URL)."""
    application = case_or_404(request, pk)
    return download(get_object_or_404(attachments_of(application), pk=attachment_pk))


NOTICE_KINDS = ("receipt", "supplement", "result")


@permission_required("affairs.view_application")
def notice(request, pk: int, kind: str):
    """Printable notices with the case number: the acceptance receipt (受理通知书), the
    supplement notice (补正通知书) and the result (办理结果通知书)."""
    application = get_object_or_404(applications(request.user), pk=pk)
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
