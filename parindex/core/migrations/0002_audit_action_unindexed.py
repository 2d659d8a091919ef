# The audit log's index on action goes, with its LIKE twin on PostgreSQL (decision 35). Only the
# indexes are dropped: Django's AlterField would copy the whole log on SQLite to do the same.

from django.db import migrations, models

INDEX = "core_auditentry_action_6ad0fad5"


def _drop(apps, schema_editor):
    for name in (INDEX, f"{INDEX}_like"):
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def _create(apps, schema_editor):
    schema_editor.execute(f'CREATE INDEX "{INDEX}" ON "core_auditentry" ("action")')
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX "{INDEX}_like" ON "core_auditentry" ("action" varchar_pattern_ops)'
        )


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(_drop, _create)],
            state_operations=[
                migrations.AlterField(
                    model_name='auditentry',
                    name='action',
                    field=models.CharField(max_length=100, verbose_name='action'),
                ),
            ],
        ),
    ]
