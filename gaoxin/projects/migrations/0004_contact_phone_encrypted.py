"""The investor contact's phone encrypted at rest (core.fields), with a blind index."""

from django.db import migrations, models

import gaoxin.core.fields


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0003_project_updated_at_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="project",
            name="contact_phone_hash",
            field=gaoxin.core.fields.BlindIndexField(
                blank=True, max_length=100, null=True, of="contact_phone", db_index=True
            ),
        ),
        # Wide and plain first, so the stored values can be encrypted in place.
        migrations.AlterField(
            model_name="project",
            name="contact_phone",
            field=models.CharField(blank=True, max_length=224, verbose_name="contact phone"),
        ),
        gaoxin.core.fields.encrypt_existing(
            "projects", "project", {"contact_phone": "contact_phone_hash"}
        ),
        migrations.AlterField(
            model_name="project",
            name="contact_phone",
            field=gaoxin.core.fields.EncryptedCharField(
                blank=True, max_length=20, verbose_name="contact phone"
            ),
        ),
    ]
