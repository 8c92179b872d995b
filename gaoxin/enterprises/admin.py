from django.contrib import admin

from gaoxin.core.admin import AuditedModelAdmin
from gaoxin.enterprises.models import Cluster, Enterprise, IndustryCode


@admin.register(Cluster)
class ClusterAdmin(AuditedModelAdmin):
    list_display = ["name", "code", "order", "is_active"]
    exclude = ["version"]


@admin.register(IndustryCode)
class IndustryCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Enterprise)
class EnterpriseAdmin(AuditedModelAdmin):
    """Enterprises are edited on their own pages; the admin is for search and correction."""

    list_display = ["name", "uscc", "cluster", "is_dishonest"]
    list_filter = ["cluster", "is_dishonest"]
    search_fields = ["name", "uscc"]
