"""The one row of light thresholds, with its defaults, so that reading it never writes."""

from django.db import migrations


def add_row(apps, schema_editor):
    apps.get_model("dispatch", "LightSettings").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("dispatch", "0004_plan_templates")]
    operations = [migrations.RunPython(add_row, migrations.RunPython.noop)]
