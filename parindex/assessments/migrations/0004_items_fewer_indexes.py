# The items' indexes on assessment_id and self_by_id go (decision 35). Only the indexes are
# dropped: Django's AlterField would copy the whole table on SQLite (twice) and drop and
# re-check the foreign key over every item on PostgreSQL to do the same.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

INDEXES = {
    "assessments_item_assessment_id_2f899c44": "assessment_id",
    "assessments_item_self_by_id_7ebe0c59": "self_by_id",
}


def _drop(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def _create(apps, schema_editor):
    for name, column in INDEXES.items():
        schema_editor.execute(f'CREATE INDEX "{name}" ON "assessments_item" ("{column}")')


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0003_items_fillfactor'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(_drop, _create)],
            state_operations=[
                migrations.AlterField(
                    model_name='item',
                    name='assessment',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='items', to='assessments.assessment'),
                ),
                migrations.AlterField(
                    model_name='item',
                    name='self_by',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
            ],
        ),
    ]
