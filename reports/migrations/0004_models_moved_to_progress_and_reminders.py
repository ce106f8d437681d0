"""The reports app's models moved: reports, reviews and evidence to ``progress``, chases,
reminder logs and notifications to ``reminders``. Only Django's state changes here; the
tables and their rows stay where they are (the new models keep ``db_table``)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_notification_without_log"),
        ("progress", "0001_initial"),
        ("reminders", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name=name)
                for name in ("Notification", "ReminderLog", "Chase", "Evidence", "Review", "ProgressReport")
            ],
            database_operations=[],
        ),
    ]
