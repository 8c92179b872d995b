"""Admin of single sign-on: the claim mapping an administrator edits, and the bindings."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import Department, Role, SsoIdentity, SsoMapping
from gaoxin.core.admin import AuditedModelAdmin


class SsoMappingForm(forms.ModelForm):
    class Meta:
        model = SsoMapping
        fields = [
            "provider",
            "username_claim",
            "name_claim",
            "email_claim",
            "phone_claim",
            "role_claim",
            "role_map",
            "default_role",
            "department_claim",
            "department_map",
            "uscc_claim",
        ]

    def clean_role_map(self):
        value = self.cleaned_data["role_map"]
        if not isinstance(value, dict):
            raise forms.ValidationError(_('Write pairs like {"zone-admin": "admin"}.'))
        wrong = sorted({str(v) for v in value.values()} - set(Role.values))
        if wrong:
            raise forms.ValidationError(
                _("Unknown role code(s): %(wrong)s. Use: %(roles)s.")
                % {"wrong": ", ".join(wrong), "roles": ", ".join(Role.values)}
            )
        return value

    def clean_department_map(self):
        value = self.cleaned_data["department_map"]
        if not isinstance(value, dict):
            raise forms.ValidationError(_('Write pairs like {"发改局": "development"}.'))
        known = set(Department.objects.values_list("code", flat=True))
        wrong = sorted({str(v) for v in value.values()} - known)
        if wrong:
            raise forms.ValidationError(
                _("Unknown department code(s): %(wrong)s.") % {"wrong": ", ".join(wrong)}
            )
        return value


@admin.register(SsoMapping)
class SsoMappingAdmin(AuditedModelAdmin):
    form = SsoMappingForm
    list_display = ["provider", "username_claim", "role_claim", "department_claim", "uscc_claim"]


@admin.register(SsoIdentity)
class SsoIdentityAdmin(AuditedModelAdmin):
    list_display = ["user", "provider", "subject", "last_sign_in_at"]
    search_fields = ["user__username", "subject"]
    list_filter = ["provider"]
    raw_id_fields = ["user"]
