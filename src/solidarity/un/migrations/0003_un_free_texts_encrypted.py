"""Who cooperated with the UN, what they said and where it is filed are encrypted.

The free texts of the UN models become encrypted fields (their columns become text),
and the values already stored in clear are encrypted in place. Values are read and
written as raw SQL, so that the encrypted fields' own conversions never apply to
plaintext; a value already stored encrypted is left as it is, so running the
migration over a partly encrypted table is safe.

Reversible: going back decrypts every value in place (it needs the keys that
encrypted them, and writes the plaintext back to disk) before the columns return to
their former types.
"""

from django.db import migrations

import solidarity.core.encryption

ENCRYPTED = {
    "ReviewCycle": ("notes",),
    "Submission": ("title", "document_reference"),
    "Engagement": ("document_reference", "notes"),
    "ReprisalLink": ("note",),
    "Communication": ("title", "text", "reference", "state_reply", "sg_report_reference"),
}
BATCH = 500


def _rewrite(apps, schema_editor, convert):
    """Store ``convert(value)`` for every non-empty value of every column listed above.

    ``convert`` returns None to leave a value as it is.
    """
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    for model_name, field_names in ENCRYPTED.items():
        meta = apps.get_model("un", model_name)._meta
        table, pk = quote(meta.db_table), quote(meta.pk.column)
        for field_name in field_names:
            column = quote(meta.get_field(field_name).column)
            # Identifiers come from model metadata, quoted; every value is a parameter.
            select = (
                f"SELECT {pk}, {column} FROM {table}"  # noqa: S608
                f" WHERE {column} IS NOT NULL AND {column} <> '' AND {pk} > %s"
                f" ORDER BY {pk} LIMIT %s"
            )
            update = f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s"  # noqa: S608
            after = 0
            with connection.cursor() as cursor:
                while True:
                    cursor.execute(select, [after, BATCH])
                    rows = cursor.fetchall()
                    if not rows:
                        break
                    after = rows[-1][0]
                    for row_pk, value in rows:
                        new = convert(value)
                        if new is not None and new != value:
                            cursor.execute(update, [new, row_pk, value])
    if connection.vendor == "postgresql":
        # A row updated twice in this transaction leaves deferred foreign-key checks
        # pending, and PostgreSQL refuses to ALTER a table with pending checks (going
        # back, the columns are altered after this): run the checks now.
        connection.check_constraints()


# The keyring is loaded at the first value to convert: an empty database migrates
# without keys, as before.


def encrypt_stored_values(apps, schema_editor):
    from solidarity.core.encryption import PREFIX, encrypt_text

    _rewrite(
        apps,
        schema_editor,
        lambda value: None if value.startswith(PREFIX) else encrypt_text(value),
    )


def decrypt_stored_values(apps, schema_editor):
    from solidarity.core.encryption import PREFIX, decrypt_text

    _rewrite(
        apps,
        schema_editor,
        lambda value: decrypt_text(value) if value.startswith(PREFIX) else None,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("un", "0002_communication"),
    ]

    operations = [
        migrations.AlterField(
            model_name="communication",
            name="reference",
            field=solidarity.core.encryption.EncryptedCharField(
                blank=True,
                help_text="For example 'AL CHN 4/2021'.",
                max_length=100,
                verbose_name="UN reference",
            ),
        ),
        migrations.AlterField(
            model_name="communication",
            name="sg_report_reference",
            field=solidarity.core.encryption.EncryptedCharField(
                blank=True,
                help_text="Symbol, annex and paragraph, e.g. 'A/HRC/33/19, annex, para. 12'.",
                max_length=200,
                verbose_name="in the Secretary-General's report",
            ),
        ),
        migrations.AlterField(
            model_name="communication",
            name="state_reply",
            field=solidarity.core.encryption.EncryptedTextField(
                blank=True, verbose_name="State's reply"
            ),
        ),
        migrations.AlterField(
            model_name="communication",
            name="text",
            field=solidarity.core.encryption.EncryptedTextField(verbose_name="text"),
        ),
        migrations.AlterField(
            model_name="communication",
            name="title",
            field=solidarity.core.encryption.EncryptedCharField(
                max_length=300, verbose_name="title"
            ),
        ),
        migrations.AlterField(
            model_name="engagement",
            name="document_reference",
            field=solidarity.core.encryption.EncryptedCharField(
                blank=True, max_length=300, verbose_name="document reference"
            ),
        ),
        migrations.AlterField(
            model_name="engagement",
            name="notes",
            field=solidarity.core.encryption.EncryptedTextField(blank=True, verbose_name="notes"),
        ),
        migrations.AlterField(
            model_name="reprisallink",
            name="note",
            field=solidarity.core.encryption.EncryptedTextField(blank=True, verbose_name="note"),
        ),
        migrations.AlterField(
            model_name="reviewcycle",
            name="notes",
            field=solidarity.core.encryption.EncryptedTextField(blank=True, verbose_name="notes"),
        ),
        migrations.AlterField(
            model_name="submission",
            name="document_reference",
            field=solidarity.core.encryption.EncryptedCharField(
                blank=True, max_length=300, verbose_name="document reference"
            ),
        ),
        migrations.AlterField(
            model_name="submission",
            name="title",
            field=solidarity.core.encryption.EncryptedCharField(
                max_length=300, verbose_name="title"
            ),
        ),
        migrations.RunPython(encrypt_stored_values, decrypt_stored_values),
    ]
