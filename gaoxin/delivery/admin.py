from django.contrib import admin

from gaoxin.core.admin import AuditedModelAdmin
from gaoxin.delivery.models import EvaluationYear, Indicator


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(EvaluationYear)
class EvaluationYearAdmin(AuditedModelAdmin):
    """Read here; the rules page (and its service) checks that the weights add up to 100%."""

    list_display = ["year", "cut_a", "cut_b", "cut_c", "cap", "min_years"]
    inlines = [IndicatorInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
