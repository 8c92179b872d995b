"""Users' mobile phones encrypted at rest (core.fields), with a blind index."""

from django.db import migrations, models

import gaoxin.core.fields


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_alter_user_role"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="phone_hash",
            field=gaoxin.core.fields.BlindIndexField(
                blank=True, max_length=100, null=True, of="phone", db_index=True
            ),
        ),
        # Wide and plain first, so the stored values can be encrypted in place.
        migrations.AlterField(
            model_name="user",
            name="phone",
            field=models.CharField(blank=True, max_length=224, verbose_name="mobile phone"),
        ),
        gaoxin.core.fields.encrypt_existing("accounts", "user", {"phone": "phone_hash"}),
        migrations.AlterField(
            model_name="user",
            name="phone",
            field=gaoxin.core.fields.EncryptedCharField(
                blank=True, max_length=20, verbose_name="mobile phone"
            ),
        ),
    ]
