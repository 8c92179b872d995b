from django.db import migrations, models


class Migration(migrations.Migration):
    """The audit hash chain, step 3: every entry has its place in the chain."""

    dependencies = [
        ("core", "0006_audit_chain_existing"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="seq",
            field=models.PositiveBigIntegerField(
                editable=False, unique=True, verbose_name="chain position"
            ),
        ),
    ]
