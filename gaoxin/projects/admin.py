from django.contrib import admin

from gaoxin.core.admin import AuditedModelAdmin
from gaoxin.projects.models import Chain, ChainLink, Project, StageEvent


class ChainLinkInline(admin.TabularInline):
    model = ChainLink
    extra = 1


@admin.register(Chain)
class ChainAdmin(AuditedModelAdmin):
    list_display = ["name", "cluster", "order"]
    list_filter = ["cluster"]
    inlines = [ChainLinkInline]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    """Read-only: projects change through their pages so the stage history stays consistent."""

    list_display = ["name", "stage", "stage_since", "cluster", "department", "steward"]
    list_filter = ["stage", "cluster", "channel"]
    search_fields = ["name", "prospective_investor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StageEvent)
class StageEventAdmin(ProjectAdmin):
    list_display = ["project", "stage", "on", "recorded_by", "recorded_at"]
    list_filter = ["stage"]
    search_fields = ["project__name"]
