"""On PostgreSQL, a snapshot's texts (~30 MB in a national round) are compressed with lz4
rather than the default pglz: publication writes them three times faster for about the same
size (decision 0033). Other databases, and a server built without lz4, keep what they have."""

from django.db import DatabaseError, migrations, transaction


def _lz4(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in ("inputs", "outputs"):
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                schema_editor.execute(
                    f"ALTER TABLE results_snapshot ALTER COLUMN {column} SET COMPRESSION lz4"
                )
        except DatabaseError:  # PostgreSQL before 14, or built without lz4
            return


class Migration(migrations.Migration):
    dependencies = [("results", "0001_add_snapshot")]

    operations = [migrations.RunPython(_lz4, migrations.RunPython.noop)]
