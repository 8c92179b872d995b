"""Ship GB/T 4754-2017's sections and divisions as data."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "gbt4754_2017.json"


def load(apps, schema_editor):
    IndustryCode = apps.get_model("enterprises", "IndustryCode")
    codes = json.loads(DATA.read_text(encoding="utf-8"))["codes"]
    for item in codes:  # sections come before their divisions in the file
        IndustryCode.objects.update_or_create(
            code=item["code"],
            defaults={"name": item["name"], "level": item["level"],
                      "parent_id": item["parent"]},
        )


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
