"""Forms of the catalogue: an item and its materials kept by hand, a material's blank form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Department
from gaoxin.affairs.forms.fields import RecordField
from gaoxin.affairs.models import ServiceItem
from gaoxin.affairs.services import ITEM_FIELDS

__all__ = [
    "MaterialForm",
    "MaterialFormSet",
    "MaterialTemplateForm",
    "ServiceItemForm",
    "materials_data",
    "materials_initial",
]


class ServiceItemForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ServiceItem
        fields = [*ITEM_FIELDS, "unmet_commitment_terminates", "reviewing_departments"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        active = Department.objects.filter(is_active=True)
        self.fields["reviewing_departments"].queryset = active
        self.fields["reviewing_departments"].widget.attrs["size"] = 8
        # A department keeps only its own items; the window and administrators any.
        self.fields["department"].queryset = (
            active.filter(pk=user.department_id) if user.role == "staff" else active
        )
        if self.instance.pk:
            self.fields["code"].disabled = True  # the code names the item in every case
            if not self.is_bound:
                self.initial["version"] = self.instance.version

    def validate_unique(self):
        pass  # the service decides

    def _post_clean(self):
        pass  # the service checks the whole item and reports errors by field


class MaterialForm(forms.Form):
    name = forms.CharField(label=_("Material"), max_length=200)
    essential = forms.BooleanField(label=_("essential"), required=False, initial=True)
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)


MaterialFormSet = forms.formset_factory(MaterialForm, extra=2, can_delete=True, max_num=60)


def materials_initial(item: ServiceItem | None) -> list[dict]:
    if item is None or item.pk is None:
        return []
    return [
        {"name": m.name, "essential": m.essential, "notes": m.notes}
        for m in item.materials.order_by("order")
    ]


def materials_data(formset) -> list[dict]:
    """The filled rows in order; empty extra rows and rows marked for removal drop out."""
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class MaterialTemplateForm(forms.Form):
    """A material's blank form (模板), uploaded by the window."""

    material = RecordField(
        label=_("Material"),
        queryset=None,
        error_messages={
            "required": _("Choose the material."),
            "invalid_choice": _("Choose the material."),
        },
    )
    file = forms.FileField(
        label=_("File"), error_messages={"required": _("Choose the file to upload.")}
    )

    def __init__(self, *args, item: ServiceItem, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["material"].queryset = item.materials.all()
