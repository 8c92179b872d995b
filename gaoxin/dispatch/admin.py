"""Configuration of key-project dispatch in the admin (audited): plan templates and their
steps, from which a key project's plan starts (docs/operations.md). Light thresholds and the
assessment's weights have their own pages; everything else changes through the dispatch pages."""

from django.contrib import admin
from django.db import transaction

from gaoxin.core import audit
from gaoxin.core.admin import AuditedModelAdmin
from gaoxin.core.models import AuditAction
from gaoxin.dispatch.models import PlanTemplate, PlanTemplateStep


class PlanTemplateStepInline(admin.TabularInline):
    model = PlanTemplateStep
    extra = 1
    fields = ["order", "name", "duration_days", "depends_on", "marks_start"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        # A step depends on steps of its own template only.
        if db_field.name == "depends_on":
            template_pk = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = PlanTemplateStep.objects.filter(template_id=template_pk)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(PlanTemplate)
class PlanTemplateAdmin(AuditedModelAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]
    inlines = [PlanTemplateStepInline]

    def save_formset(self, request, form, formset, change):
        """The steps are audited like the template: each one added, changed or deleted."""
        with transaction.atomic():
            # As stored: the forms' instances carry the new values already.
            stored = [f.instance.pk for f in formset.initial_forms if f.instance.pk]
            before = {
                step.pk: audit.snapshot(step)
                for step in formset.model._default_manager.filter(pk__in=stored)
            }
            for f in formset.deleted_forms:  # recorded while the step still has its key
                if f.instance.pk:
                    audit.record(
                        action=AuditAction.DELETE,
                        obj=f.instance,
                        by=request.user,
                        before=before[f.instance.pk],
                    )
            super().save_formset(request, form, formset, change)
            for step in formset.new_objects:
                audit.record(
                    action=AuditAction.CREATE, obj=step, by=request.user, after=audit.snapshot(step)
                )
            for step, _fields in formset.changed_objects:
                audit.record(
                    action=AuditAction.UPDATE,
                    obj=step,
                    by=request.user,
                    before=before.get(step.pk),
                    after=audit.snapshot(step),
                )
