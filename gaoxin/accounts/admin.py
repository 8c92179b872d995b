from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from gaoxin.accounts import (
    services,
    sso_admin,  # noqa: F401  (registers the single sign-on pages)
)
from gaoxin.accounts.models import ApiToken, Department, User
from gaoxin.core import audit
from gaoxin.core.admin import AuditedModelAdmin
from gaoxin.core.models import AuditAction

# Authenticators are set up by their owner (accounts:two_factor_enrol) and reset only through
# the audited user action below, never edited here (their secrets stay out of the admin).
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
# Powers come from roles and the rules, not from Django's groups and per-model permissions:
# the group pages would only offer a list of permissions that decide nothing here.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(Department)
class DepartmentAdmin(AuditedModelAdmin):
    list_display = ["name", "short_name", "code", "head", "order", "is_active"]
    search_fields = ["name", "code"]


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    list_display = ["username", "full_name", "role", "department", "enterprise", "is_active"]
    list_filter = ["role", "department", "is_active", "must_change_password"]
    actions = ["reset_second_factor"]
    search_fields = ["username", "full_name"]  # and the whole mobile number, see below
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "title", "phone", "email")}),
        (_("Role"), {"fields": ("role", "department", "enterprise", "is_active")}),
        (_("Sign-in"), {"fields": ("must_change_password",)}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "fields": (
                    "username",
                    "password1",
                    "password2",
                    "role",
                    "department",
                    "enterprise",
                    "full_name",
                )
            },
        ),
    )
    autocomplete_fields = ["enterprise"]

    def get_search_results(self, request, queryset, search_term):
        # The phone is encrypted (core.fields): found by its blind index, whole numbers only.
        found, duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            found |= queryset.filter(phone_hash__matches=search_term)
        return found, duplicates

    def save_model(self, request, obj, form, change):
        # Admin rights follow the role, so there is one place that grants them.
        obj.is_staff = obj.is_superuser = obj.role == "admin"
        if not change:
            obj.must_change_password = True  # the person chooses their own at first sign-in
        super().save_model(request, obj, form, change)
        # A role, state or enterprise changed: the API tokens answer with the new user now.
        services.api_tokens_forget(user=obj)

    def delete_model(self, request, obj):
        services.api_tokens_forget(user=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            services.api_tokens_forget(user=user)
        super().delete_queryset(request, queryset)

    def user_change_password(self, request, id, form_url=""):
        """Django's set-password page; the person must then choose their own at next sign-in,
        and the change is audited (without the password)."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = self.get_object(request, unquote(id))
                services.password_set_by_admin(user=user, by=request.user)
        return response

    @admin.action(description=_("Reset two-factor sign-in (lost phone)"))
    def reset_second_factor(self, request, queryset):
        done = [
            user for user in queryset if services.second_factor_reset(user=user, by=request.user)
        ]
        if done:
            self.message_user(
                request,
                _("Two-factor sign-in reset for: %(names)s. They set it up again at next sign-in.")
                % {"names": "、".join(str(u) for u in done)},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request, _("None of them had two-factor sign-in set up."), messages.WARNING
            )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "user",
        "key_prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    readonly_fields = ["user", "name", "key_prefix", "expires_at", "last_used_at"]
    exclude = ["digest"]

    def has_add_permission(self, request):
        return False

    # Revoking or deleting a token here takes effect at once and is audited, as
    # api_token_revoke does (only the revocation time is recorded, never the digest).
    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = ApiToken.objects.get(pk=obj.pk).revoked_at if change else None
            super().save_model(request, obj, form, change)
            if obj.revoked_at != before:
                audit.record(
                    action=AuditAction.UPDATE,
                    obj=obj,
                    by=request.user,
                    before={"revoked_at": before.isoformat() if before else None},
                    after={"revoked_at": obj.revoked_at.isoformat() if obj.revoked_at else None},
                )
        services.api_tokens_forget(digests=[obj.digest])

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit.record(
                action=AuditAction.DELETE,
                obj=obj,
                by=request.user,
                before={"name": obj.name, "user": str(obj.user), "key_prefix": obj.key_prefix},
            )
            super().delete_model(request, obj)
        services.api_tokens_forget(digests=[obj.digest])

    def delete_queryset(self, request, queryset):
        services.api_tokens_forget(digests=list(queryset.values_list("digest", flat=True)))
        super().delete_queryset(request, queryset)
