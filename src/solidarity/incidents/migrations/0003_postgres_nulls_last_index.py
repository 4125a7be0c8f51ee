"""On PostgreSQL, an index matching ORDER BY date_from DESC NULLS LAST, id DESC.

SQLite's DESC order already puts NULLs last, so incident_date_order serves it
there, but SQLite cannot declare NULLS LAST in an index; PostgreSQL needs it.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS incident_date_nulls_last "
    "ON incidents_incident (date_from DESC NULLS LAST, id DESC)"
)
DROP = "DROP INDEX IF EXISTS incident_date_nulls_last"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0002_initial")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
