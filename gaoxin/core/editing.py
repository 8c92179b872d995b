"""The one way a page saves a form through a service: rule errors onto the form's fields, a
stale version onto the form as a conflict with the current record (HTTP 409)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gaoxin.core.locking import ConflictError


def apply_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def submit_versioned(form, save: Callable[[int], object]):
    """Call ``save(expected_version)`` for a valid form. Returns (saved, current): ``current``
    is the record as stored now when someone else saved first."""
    try:
        save(form.cleaned_data.get("version") or 0)
    except ConflictError as conflict:
        form.add_error(None, conflict.message)
        # The next save is a deliberate decision against the values now shown.
        form.data = form.data.copy()
        form.data["version"] = conflict.current.version
        return False, conflict.current
    except ValidationError as error:
        apply_service_errors(form, error)
        return False, None
    return True, None


def form_status(form, current=None) -> int:
    return 409 if current is not None else (400 if form.errors else 200)


def report_form_errors(request, form, error: ValidationError | None = None) -> None:
    """For small forms that post and redirect back (a detail page's side forms): the form's
    and the service's errors become messages on the page the user returns to."""
    if error is not None:
        apply_service_errors(form, error)
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        text = " ".join(str(e) for e in errors)
        messages.error(request, f"{label}：{text}" if label else text)


def report_refusal(request, error) -> None:
    """For small action forms that post and redirect back: a service's refusal as a message —
    its reasons, or that the user may not do this."""
    if isinstance(error, PermissionDenied):
        messages.error(request, _("You may not do this."))
    else:
        messages.error(request, " ".join(error.messages))


def act_and_return(request, form, act, *, back, refusal_as_page: bool = False):
    """The one way a small side form posts and returns: check ``form`` (None for a button with
    no fields), call ``act(cleaned_data)`` (the service), then redirect to ``back`` — a URL, or a
    callable given what ``act`` returned (a moved booking returns to its new page). Field and
    service errors become messages; a refusal is a message, or a 403 page that says why."""
    result = None
    if form is not None and not form.is_valid():
        report_form_errors(request, form)
    else:
        try:
            result = act(form.cleaned_data if form is not None else {})
        except ValidationError as error:
            if form is not None:
                report_form_errors(request, form, error)
            else:
                report_refusal(request, error)
        except PermissionDenied as error:
            if refusal_as_page:
                return refusal_page(request, error)
            report_refusal(request, error)
        else:
            messages.success(request, _("Recorded."))
    return redirect(back(result) if callable(back) else back)


def refusal_page(request, error):
    """A refused action as a 403 page that says why: the service's reason when it gave one
    (``PermissionDenied(_("…"))``), else that the user may not do this."""
    reason = (
        str(error) if getattr(error, "args", None) and str(error) else _("You may not do this.")
    )
    return render(request, "refused.html", {"reason": reason}, status=403)
