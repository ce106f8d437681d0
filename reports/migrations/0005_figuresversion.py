"""The figures' version slots (reports.models.FiguresVersion); reports.versioning installs the triggers that
write them after every migrate (PostgreSQL only). Migrating back first drops the triggers and their function,
so no write to another table looks for the dropped slots."""

from django.db import migrations, models


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS figures_version_bump() CASCADE")  # and every trigger on it
        schema_editor.execute("DROP SEQUENCE IF EXISTS figures_version_seq")


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_models_moved_to_progress_and_reminders")]

    operations = [
        migrations.CreateModel(
            name="FiguresVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.BigIntegerField(verbose_name="版本")),
            ],
            options={"verbose_name": "统计数据版本", "verbose_name_plural": "统计数据版本"},
        ),
        migrations.RunPython(migrations.RunPython.noop, drop_triggers),
    ]
