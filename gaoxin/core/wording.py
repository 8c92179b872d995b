"""Django's and the libraries' own words, in the platform's Chinese.

The Chinese catalogue (locale/zh_Hans) is read before Django's and the libraries' own, so a
library string that is marked for translation is translated there; this module names those
msgids (``LIBRARY_MSGIDS``) so that ``makemessages`` keeps them in the catalogue. Strings a library
does not mark for translation, or words whose meaning differs in a filter (Django's "Unknown" of a
yes/no choice means "all" in a filter), are set here once, when the app registry is ready
(``speak_chinese``):

- the empty choice of a form's select: 请选择 (Django's "---------");
- the empty choice of a filter: 全部 (settings.FILTERS_EMPTY_CHOICE_LABEL);
- a yes/no filter: 全部 / 是 / 否 (Django's NullBooleanSelect reads 未知 / 是 / 否);
- a sort order: 名称（降序）;
- the names of the libraries' apps and of the models whose names are not marked for
  translation (django-otp's devices, django-tasks' results, django-cas-ng's tickets), set on
  ``_meta`` only: the migrations read ``original_attrs``, so no migration changes.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.apps import apps
from django.db.models import fields as model_fields
from django.forms import models as form_models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

__all__ = ["EMPTY_CHOICE", "LIBRARY_MSGIDS", "AnyYesNoField", "library_message", "speak_chinese"]

EMPTY_CHOICE = _("Please choose")

# Library msgids the Chinese catalogue translates (Django's own zh_Hans lacks them, or says
# them in a way the platform does not).
LIBRARY_MSGIDS = (
    # django.contrib.admin: the app list's column headers (read by screen readers).
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    # django-axes: sign-in protection.
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("Access Attempt"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("Access Log for %(username)s"),
    gettext_noop("Access Attempt for %(username)s"),
    gettext_noop("Locked Out"),
    gettext_noop("Meta Data"),
    gettext_noop("Form Data"),
    # django-tasks' database backend: the queue's results.
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("status"),
    gettext_noop("enqueued at"),
    gettext_noop("started at"),
    gettext_noop("finished at"),
    gettext_noop("args kwargs"),
    gettext_noop("priority"),
    gettext_noop("task path"),
    gettext_noop("worker id"),
    gettext_noop("queue name"),
    gettext_noop("backend name"),
    gettext_noop("run after"),
    gettext_noop("return value"),
    gettext_noop("exception class path"),
    gettext_noop("traceback"),
)


# django-ninja's own error messages (plain English strings, not marked for translation).
_LIBRARY_MESSAGES = {
    "Cannot parse request body": _("The request body cannot be read: send valid JSON."),
    "Not Found": _("Not found."),
    "Unauthorized": _("Sign in first: send a valid API token."),
    "Forbidden": _("You may not do this."),
    "Method not allowed": _("This method is not allowed here."),
}


def library_message(message: str) -> str:
    """A library's English message in Chinese; any other message unchanged."""
    for english, chinese in _LIBRARY_MESSAGES.items():
        if message == english or message.startswith(english + " ("):
            return str(chinese)
    return message


class _AnyYesNoSelect(forms.NullBooleanSelect):
    """A yes/no filter: 全部 (no filtering) / 是 / 否."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", _("All")), ("true", _("Yes")), ("false", _("No"))]


class AnyYesNoField(forms.NullBooleanField):
    widget = _AnyYesNoSelect


# Names of the libraries' apps and models that are not marked for translation upstream.
_APP_NAMES = {
    "axes": _("Sign-in protection"),
    "django_tasks_database": _("Background tasks"),
    "otp_totp": _("Authenticator apps"),
    "otp_static": _("Recovery codes"),
    "django_cas_ng": _("CAS single sign-on"),
}
_MODEL_NAMES = {
    ("otp_totp", "totpdevice"): (_("authenticator app"), _("authenticator apps")),
    ("otp_static", "staticdevice"): (_("recovery code set"), _("recovery code sets")),
    ("otp_static", "statictoken"): (_("recovery code"), _("recovery codes")),
    ("django_cas_ng", "proxygrantingticket"): (_("CAS proxy ticket"), _("CAS proxy tickets")),
    ("django_cas_ng", "sessionticket"): (_("CAS session ticket"), _("CAS session tickets")),
}


def speak_chinese() -> None:
    """Set the library words above; called once from CoreConfig.ready()."""
    # Forms: Django's model fields share this list object as the default blank choice.
    model_fields.BLANK_CHOICE_DASH[:] = [("", EMPTY_CHOICE)]
    form_models.ModelChoiceField.__init__.__kwdefaults__["empty_label"] = EMPTY_CHOICE
    # Filters: the empty choice is settings.FILTERS_EMPTY_CHOICE_LABEL (全部).
    django_filters.BooleanFilter.field_class = AnyYesNoField
    django_filters.OrderingFilter.descending_fmt = _("%s (descending)")
    for label, name in _APP_NAMES.items():
        try:
            apps.get_app_config(label).verbose_name = name
        except LookupError:
            continue
    for (label, model_name), (singular, plural) in _MODEL_NAMES.items():
        try:
            model = apps.get_model(label, model_name)
        except LookupError:
            continue
        model._meta.verbose_name = singular
        model._meta.verbose_name_plural = plural
    # django-axes names a sign-in record in English in its admin ("Access Log for …"): the same
    # record, in the user's language.
    try:
        access_log = apps.get_model("axes", "AccessLog")
    except LookupError:
        return
    access_log.__str__ = _access_log_name


def _access_log_name(self) -> str:
    return gettext("Sign-in record of %(username)s at %(time)s") % {
        "username": self.username,
        "time": self.attempt_time,
    }
