"""Ship GB/T 4754-2017's sections and divisions as data."""

from django.db import migrations


def load(apps, schema_editor):
    from gaoxin.enterprises.industry import load_industry_codes

    load_industry_codes(apps.get_model("enterprises", "IndustryCode"))


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
