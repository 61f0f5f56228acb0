from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dankhoeo", "0002_auditevent"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="must_change_password",
            field=models.BooleanField(
                default=False,
                help_text="Set when staff give a temporary password; cleared when the user sets one.",
                verbose_name="must change the password",
            ),
        ),
    ]
