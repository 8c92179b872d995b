"""The usual node flows of the zone's projects, as plan templates (data, editable in admin);
the data and its loader are gaoxin.dispatch.plan_templates."""

from django.db import migrations

from gaoxin.dispatch import plan_templates


def add_templates(apps, schema_editor):
    plan_templates.add_templates(
        apps.get_model("dispatch", "PlanTemplate"), apps.get_model("dispatch", "PlanTemplateStep")
    )


class Migration(migrations.Migration):
    dependencies = [("dispatch", "0003_key_projects")]
    operations = [migrations.RunPython(add_templates, migrations.RunPython.noop)]
