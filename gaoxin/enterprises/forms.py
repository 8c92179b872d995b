from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import User
from gaoxin.enterprises.models import (
    Enterprise,
    EnterpriseContact,
    IndustryCode,
    QualificationType,
)
from gaoxin.enterprises.services import editable_fields_for


class EnterpriseForm(forms.ModelForm):
    """Create/edit an enterprise. The fields offered depend on who edits (see services)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "uscc",
            "legal_representative",
            "industry",
            "cluster",
            "origin_region",
            "address",
            "registered_capital",
            "established_on",
            "is_dishonest",
            "notes",
            "size",
            "headcount",
            "land_mu",
            "in_zone",
        ]
        widgets = {
            "established_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = set(editable_fields_for(user))
        for name in list(self.fields):
            if name != "version" and name not in allowed:
                del self.fields[name]
        if "industry" in self.fields:
            self.fields["industry"].queryset = IndustryCode.objects.filter(
                level=IndustryCode.Level.DIVISION
            )
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def validate_unique(self):
        # Uniqueness is decided by the service, with a message naming the clashing enterprise.
        pass


class ContactForm(forms.ModelForm):
    class Meta:
        model = EnterpriseContact
        fields = ["name", "title", "phone", "email", "is_primary"]
        labels = {"is_primary": _("Primary contact")}


class QualificationForm(forms.Form):
    type = forms.ModelChoiceField(
        label=_("Qualification"),
        queryset=QualificationType.objects.filter(is_active=True),
        error_messages={"required": _("Choose the qualification.")},
    )
    certificate_number = forms.CharField(
        label=_("Certificate number"), max_length=60, required=False
    )
    valid_from = forms.DateField(
        label=_("Valid from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Give the date it starts."), "invalid": _("Give a date.")},
    )
    valid_to = forms.DateField(
        label=_("Valid to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Give a date.")},
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("valid_to")
            and data.get("valid_from")
            and data["valid_to"] < data["valid_from"]
        ):
            self.add_error("valid_to", _("The qualification ends before it starts."))
        return data


class LiaisonForm(forms.Form):
    liaison = forms.ModelChoiceField(
        label=_("Liaison officer"),
        queryset=User.objects.filter(is_active=True, enterprise__isnull=True).exclude(role="agent"),
        required=False,
    )
