from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from gaoxin.accounts.models import ApiToken, Department, User
from gaoxin.core.admin import AuditedModelAdmin


@admin.register(Department)
class DepartmentAdmin(AuditedModelAdmin):
    list_display = ["name", "short_name", "code", "head", "order", "is_active"]
    search_fields = ["name", "code"]


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    list_display = ["username", "full_name", "role", "department", "enterprise", "is_active"]
    list_filter = ["role", "department", "is_active"]
    search_fields = ["username", "full_name"]  # and the whole mobile number, see below
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "title", "phone", "email")}),
        (_("Role"), {"fields": ("role", "department", "enterprise", "is_active")}),
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
        super().save_model(request, obj, form, change)


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
