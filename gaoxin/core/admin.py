"""Admin base: edits made in Django's admin are audited like every other write."""

from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from gaoxin.core import audit
from gaoxin.core.models import (
    AuditAction,
    AuditEntry,
    BackgroundJob,
    CalendarDay,
    CalendarYear,
)

admin.site.site_header = _("Gaoxin administration")
admin.site.site_title = _("Gaoxin")
admin.site.index_title = _("Configuration")


class AuditedModelAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = None
            if change:
                stored = type(obj)._default_manager.get(pk=obj.pk)
                before = audit.snapshot(stored)
                if hasattr(obj, "version"):
                    obj.version = stored.version + 1  # so open editors see a conflict
            super().save_model(request, obj, form, change)
            audit.record(
                action=AuditAction.UPDATE if change else AuditAction.CREATE,
                obj=obj,
                by=request.user,
                before=before,
                after=audit.snapshot(obj),
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit.record(
                action=AuditAction.DELETE, obj=obj, by=request.user, before=audit.snapshot(obj)
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["seq", "timestamp", "user_repr", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "user_repr", "request_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BackgroundJob)
class BackgroundJobAdmin(admin.ModelAdmin):
    """Read-only: the long jobs people started (imports), so an administrator can see which
    failed and why; the jobs themselves are run and retried by the worker."""

    list_display = ["kind", "user", "status", "file_name", "message", "created_at"]
    list_filter = ["status", "kind"]
    date_hierarchy = "created_at"
    search_fields = ["file_name", "message", "user__username", "user__full_name"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Read-only here: years are entered on the work-calendar page, which validates them."""

    list_display = ["year", "source", "note"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
