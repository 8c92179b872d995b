"""Forms of filing a case: the new application, the submission (with the materials the
applicant asks to bring later, 容缺) and a material's file."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.affairs.forms.fields import RecordField, RecordsField
from gaoxin.affairs.models import Application, Material

__all__ = ["ApplicationNewForm", "SubmitForm", "UploadForm", "case_materials"]

NOT_THESE_ITEMS = _("A material does not belong to these items.")


def case_materials(application: Application):
    """The materials listed for the case's items."""
    return Material.objects.filter(item__in=application.items.all())


class ApplicationNewForm(forms.Form):
    """A new application: the enterprise (of those the user acts for), the items, and the
    concluded pre-review and the project it goes with, if any."""

    enterprise = RecordField(
        label=_("Enterprise"),
        queryset=None,
        error_messages={
            "required": _("Choose the enterprise."),
            "invalid_choice": _("Choose the enterprise."),
        },
    )
    items = RecordsField(
        label=_("Items"),
        queryset=None,
        error_messages={
            "required": _("Choose at least one service item."),
            "invalid_choice": _("An item is not in the published catalogue."),
        },
    )
    pre_review = RecordField(label=_("Pre-review (预审)"), queryset=None, required=False)
    project = RecordField(label=_("Project"), queryset=None, required=False)

    def __init__(self, *args, enterprises, items, pre_reviews, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.fields["items"].queryset = items
        self.fields["pre_review"].queryset = pre_reviews
        self.fields["project"].queryset = projects


class SubmitForm(forms.Form):
    deficiency = RecordsField(
        label=_("Materials to bring later (容缺)"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": NOT_THESE_ITEMS},
    )

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deficiency"].queryset = case_materials(application)


class UploadForm(forms.Form):
    material = RecordField(
        label=_("Material"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": _("This material does not belong to the case's items.")},
    )
    file = forms.FileField(
        label=_("File"), error_messages={"required": _("Choose the file to upload.")}
    )

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["material"].queryset = case_materials(application)
