"""Evidence file names and descriptions are encrypted: the column becomes text, and the
values already stored in clear are encrypted in place (read and written as raw SQL, so
that the encrypted field's own conversions do not apply to plaintext)."""

from django.db import migrations

import solidarity.core.encryption

COLUMNS = ("original_name", "description")


def encrypt_stored_values(apps, schema_editor):
    from solidarity.core.encryption import PREFIX, encrypt_text

    connection = schema_editor.connection
    table = connection.ops.quote_name("incidents_evidencefile")
    with connection.cursor() as cursor:
        for column in COLUMNS:
            name = connection.ops.quote_name(column)
            cursor.execute(f"SELECT id, {name} FROM {table}")  # noqa: S608 - fixed names
            for pk, value in cursor.fetchall():
                if value and not value.startswith(PREFIX):
                    cursor.execute(
                        f"UPDATE {table} SET {name} = %s WHERE id = %s",  # noqa: S608
                        [encrypt_text(value), pk],
                    )


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0007_remove_incident_incident_date_order_and_more"),
    ]

    operations = [
        migrations.AlterField(
            model_name="evidencefile",
            name="description",
            field=solidarity.core.encryption.EncryptedCharField(
                blank=True, max_length=500, verbose_name="description"
            ),
        ),
        migrations.AlterField(
            model_name="evidencefile",
            name="original_name",
            field=solidarity.core.encryption.EncryptedCharField(
                max_length=255, verbose_name="file name"
            ),
        ),
        migrations.RunPython(encrypt_stored_values, migrations.RunPython.noop),
    ]
