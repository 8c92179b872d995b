"""Talents' ID numbers and phones encrypted at rest (core.fields), with blind indexes for
exact lookups; the ID number's uniqueness moves to its index."""

from django.db import migrations, models

import gaoxin.core.fields


class Migration(migrations.Migration):
    dependencies = [
        ("talent", "0001_talent_programme"),
    ]

    operations = [
        migrations.AddField(
            model_name="talent",
            name="id_number_hash",
            field=gaoxin.core.fields.BlindIndexField(
                blank=True, max_length=100, null=True, of="id_number", unique=True
            ),
        ),
        migrations.AddField(
            model_name="talent",
            name="phone_hash",
            field=gaoxin.core.fields.BlindIndexField(
                blank=True, max_length=100, null=True, of="phone", db_index=True
            ),
        ),
        # Wide and plain first, so the stored values can be encrypted in place.
        migrations.AlterField(
            model_name="talent",
            name="id_number",
            field=models.CharField(max_length=204, verbose_name="ID number"),
        ),
        # Wide and plain first, so the stored values can be encrypted in place.
        migrations.AlterField(
            model_name="talent",
            name="phone",
            field=models.CharField(blank=True, max_length=224, verbose_name="phone"),
        ),
        gaoxin.core.fields.encrypt_existing(
            "talent", "talent", {"id_number": "id_number_hash", "phone": "phone_hash"}
        ),
        migrations.AlterField(
            model_name="talent",
            name="id_number",
            field=gaoxin.core.fields.EncryptedCharField(max_length=18, verbose_name="ID number"),
        ),
        migrations.AlterField(
            model_name="talent",
            name="phone",
            field=gaoxin.core.fields.EncryptedCharField(
                blank=True, max_length=20, verbose_name="phone"
            ),
        ),
    ]
