"""Database triggers that refuse to change or remove audit events (SQLite, PostgreSQL).

The ORM already refuses; these make raw SQL refuse too. ``solidarity flush``
lifts them while it empties the whole database (management/commands/flush.py).
"""

from django.db import migrations

from solidarity.audit.models import install_guard, remove_guard


def forwards(apps, schema_editor):
    install_guard(schema_editor.connection)


def backwards(apps, schema_editor):
    remove_guard(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
