"""Configuration of the service desk in the admin (audited): windows and the items they
serve, bundles and their steps. Cases, bookings and ratings change only through their pages."""

from django.contrib import admin

from gaoxin.affairs.models import Bundle, BundleStep, ServiceItem, Window
from gaoxin.core.admin import AuditedModelAdmin


@admin.register(Window)
class WindowAdmin(AuditedModelAdmin):
    list_display = ["number", "name", "department", "slot_minutes", "slot_capacity", "is_active"]
    list_filter = ["department", "is_active"]
    filter_horizontal = ["items"]
    search_fields = ["number", "name"]


class BundleStepInline(admin.TabularInline):
    model = BundleStep
    extra = 1
    autocomplete_fields = ["item"]


@admin.register(Bundle)
class BundleAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "promised_limit", "promised_unit", "is_active"]
    inlines = [BundleStepInline]


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    """Read-only here (for the bundle steps' search): items are kept on the catalogue pages."""

    search_fields = ["code", "name"]
    list_display = ["code", "name", "department"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
