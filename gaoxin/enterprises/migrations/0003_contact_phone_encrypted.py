"""Contact phones encrypted at rest (core.fields), with a blind index for exact lookups."""

from django.db import migrations, models

import gaoxin.core.fields


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0002_load_industry_codes"),
    ]

    operations = [
        migrations.AddField(
            model_name="enterprisecontact",
            name="phone_hash",
            field=gaoxin.core.fields.BlindIndexField(
                blank=True, max_length=100, null=True, of="phone", db_index=True
            ),
        ),
        # Wide and plain first, so the stored values can be encrypted in place.
        migrations.AlterField(
            model_name="enterprisecontact",
            name="phone",
            field=models.CharField(blank=True, max_length=224, verbose_name="phone"),
        ),
        gaoxin.core.fields.encrypt_existing(
            "enterprises", "enterprisecontact", {"phone": "phone_hash"}
        ),
        migrations.AlterField(
            model_name="enterprisecontact",
            name="phone",
            field=gaoxin.core.fields.EncryptedCharField(
                blank=True, max_length=20, verbose_name="phone"
            ),
        ),
    ]
