from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("dispatch", "0008_appeals")]

    operations = [
        migrations.AddField(
            model_name="lightsettings",
            name="overdue_problem_light",
            field=models.CharField(
                choices=[("yellow", "Yellow"), ("red", "Red")],
                default="red",
                max_length=6,
                verbose_name="light of a key project with an overdue problem",
            ),
        ),
        migrations.AddField(
            model_name="lightsettings",
            name="open_supervision_light",
            field=models.CharField(
                choices=[("yellow", "Yellow"), ("red", "Red")],
                default="yellow",
                max_length=6,
                verbose_name="light of a key project with an open supervision notice",
            ),
        ),
    ]
