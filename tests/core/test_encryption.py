"""Encryption at rest: fields, evidence files, keys and their rotation.

The tests-only app in tests/encryption_app (installed by tests/settings.py) has
one field of each encrypted type.
"""

import os
import stat
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured, ValidationError
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.db.models.functions import Lower
from django.forms import modelform_factory
from django.http import FileResponse
from django.test.utils import isolate_apps

from solidarity.core import encryption
from solidarity.core.encryption import (
    FILE_MAGIC,
    NO_KEY_MESSAGE,
    Ciphertext,
    EncryptedColumn,
    EncryptedTextField,
    Tally,
    ensure_local_key,
    get_evidence_storage,
    get_keyring,
    plan_changes,
    require_keys,
)
from solidarity.lib.crypto import DecryptionError, Keyring, generate_key
from tests.encryption_app.models import Confidant

pytestmark = pytest.mark.django_db

OLD, NEW = generate_key(), generate_key()
NAME, NOTES, BORN = (
    "Synthetic Canary 合成金丝雀",
    "Lesbian; HIV-positive; call +86 10 5555 0100",
    date(1960, 3, 8),
)
EVIDENCE = b"%PDF-1.4 medical report of Synthetic Canary"


def use_keys(settings, *keys: str) -> None:
    settings.SOLIDARITY_ENCRYPTION_KEYS = ",".join(keys)


@pytest.fixture(autouse=True)
def _old_key(settings):
    """Every test starts with OLD as the only key."""
    use_keys(settings, OLD)


def confidant(**values) -> Confidant:
    return Confidant.objects.create(
        **{"legal_name": NAME, "notes": NOTES, "born": BORN, "nickname": "G", **values}
    )


def stored(pk: int, column: str) -> str | None:
    """The raw column value, as a stolen copy of the database would show it."""
    assert column in {"legal_name", "notes", "born"}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM encryption_app_confidant WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def set_stored(pk: int, column: str, value: str) -> None:
    assert column in {"legal_name", "notes", "born"}
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE encryption_app_confidant SET {column} = %s WHERE id = %s",  # noqa: S608
            [value, pk],
        )


def readable_by(key: str, value: str) -> bool:
    assert value.startswith("enc:")
    try:
        Keyring([key]).decrypt(value.removeprefix("enc:").encode())
    except DecryptionError:
        return False
    return True


def file_readable_by(key: str, path: Path) -> bool:
    try:
        encryption.decrypt_file_bytes(path.read_bytes(), Keyring([key]))
    except DecryptionError:
        return False
    return path.read_bytes().startswith(FILE_MAGIC)


# Fields


def test_it_round_trips_every_field_type():
    record = confidant()
    fresh = Confidant.objects.get(pk=record.pk)
    assert (fresh.legal_name, fresh.notes, fresh.born) == (NAME, NOTES, BORN)
    assert list(Confidant.objects.values_list("legal_name", "born")) == [(NAME, BORN)]


def test_the_database_holds_only_ciphertext():
    record = confidant()
    for column, plaintext in [("legal_name", "Synthetic"), ("notes", "HIV"), ("born", "1960")]:
        value = stored(record.pk, column)
        assert value.startswith("enc:")
        assert plaintext not in value
        assert readable_by(OLD, value)


def test_the_same_value_is_stored_differently_each_time():
    first, second = confidant(), confidant()
    assert stored(first.pk, "legal_name") != stored(second.pk, "legal_name")


def test_empty_and_null_stay_empty_and_null():
    record = Confidant.objects.create(nickname="nobody")
    assert (stored(record.pk, "legal_name"), stored(record.pk, "notes")) == ("", "")
    assert stored(record.pk, "born") is None
    fresh = Confidant.objects.get(pk=record.pk)
    assert (fresh.legal_name, fresh.notes, fresh.born) == ("", "", None)


def test_only_emptiness_can_be_queried():
    confidant()
    Confidant.objects.create(nickname="nobody")
    assert Confidant.objects.get(legal_name="").nickname == "nobody"
    assert Confidant.objects.get(born__isnull=True).nickname == "nobody"
    assert Confidant.objects.exclude(notes="").get().nickname == "G"


@pytest.mark.parametrize(
    "lookup",
    [
        {"legal_name__icontains": "guo"},
        {"legal_name": NAME},
        {"notes__startswith": "Lesbian"},
        {"born__gt": date(1950, 1, 1)},
        {"born__year": 1960},
        {"legal_name__in": [NAME]},
        {"legal_name__lower": "guo"},
    ],
)
def test_searching_an_encrypted_field_is_refused(lookup):
    confidant()
    with pytest.raises(FieldError, match="is encrypted: it cannot be searched"):
        list(Confidant.objects.filter(**lookup))


def test_searching_through_an_expression_is_refused_too():
    with pytest.raises(FieldError, match="is encrypted"):
        list(Confidant.objects.annotate(low=Lower("legal_name")).filter(low="guo"))


def test_updates_and_bulk_writes_are_encrypted_too():
    first, second = confidant(), confidant()
    Confidant.objects.filter(pk=first.pk).update(notes="moved to a safe house")
    second.legal_name = "Another name"
    Confidant.objects.bulk_update([second], ["legal_name"])
    [third] = Confidant.objects.bulk_create([Confidant(notes="bulk", born=BORN)])
    assert "safe house" not in stored(first.pk, "notes")
    assert "Another" not in stored(second.pk, "legal_name")
    assert Confidant.objects.get(pk=first.pk).notes == "moved to a safe house"
    assert Confidant.objects.get(pk=second.pk).legal_name == "Another name"
    third = Confidant.objects.get(pk=third.pk)
    assert (third.notes, third.born) == ("bulk", BORN)


def test_a_typed_value_that_looks_encrypted_is_encrypted_like_any_other():
    stolen = stored(confidant().pk, "notes")
    record = Confidant.objects.create(notes=stolen)
    # Stored as text, not trusted as ciphertext: the site never decrypts a pasted token.
    assert stored(record.pk, "notes") != stolen
    assert Confidant.objects.get(pk=record.pk).notes == stolen


def test_a_raw_value_copied_as_ciphertext_is_stored_as_it_is():
    source = confidant()
    copy = Confidant.objects.create(notes=Ciphertext(stored(source.pk, "notes")))
    assert stored(copy.pk, "notes") == stored(source.pk, "notes")
    assert Confidant.objects.get(pk=copy.pk).notes == NOTES
    with pytest.raises(ValueError, match="must be a stored value"):
        Confidant.objects.create(notes=Ciphertext("plain words"))


def test_max_length_counts_the_plaintext():
    record = Confidant(legal_name="郭" * 40, nickname="G")
    record.full_clean()
    record.save()
    assert len(stored(record.pk, "legal_name")) > 40
    with pytest.raises(ValidationError, match="at most 40 characters"):
        Confidant(legal_name="x" * 41, nickname="G").full_clean()


def test_the_form_fields_are_a_line_a_text_area_and_a_date():
    form = modelform_factory(Confidant, fields=["legal_name", "notes", "born"])()
    assert form.fields["legal_name"].max_length == 40
    assert form.fields["legal_name"].widget.input_type == "text"
    assert form.fields["notes"].widget.__class__.__name__ == "Textarea"
    assert form.fields["born"].__class__.__name__ == "DateField"
    bound = modelform_factory(Confidant, fields=["legal_name", "born"])(
        {"legal_name": NAME, "born": "1960-03-08"}
    )
    assert bound.is_valid(), bound.errors
    record = bound.save()
    assert Confidant.objects.get(pk=record.pk).born == BORN


def test_an_encrypted_field_cannot_be_unique_or_indexed():
    with isolate_apps("tests.encryption_app"):

        class Unsearchable(models.Model):
            name = EncryptedTextField(unique=True)
            other = EncryptedTextField(db_index=True)

            class Meta:
                app_label = "encryption_app"

            def __str__(self) -> str:
                return "unsearchable"

        errors = [error.id for error in Unsearchable.check()]
    assert errors.count("solidarity.E002") == 2


def test_the_fields_need_no_new_migration():
    out = StringIO()
    call_command("makemigrations", "encryption_app", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


# Keys


def test_a_value_under_an_old_key_still_reads_after_a_new_primary_key_is_added(settings):
    record = confidant()
    use_keys(settings, NEW, OLD)
    fresh = Confidant.objects.get(pk=record.pk)
    assert (fresh.legal_name, fresh.born) == (NAME, BORN)
    fresh.save()
    assert readable_by(NEW, stored(record.pk, "notes"))
    assert not readable_by(OLD, stored(record.pk, "notes"))


def test_removing_a_key_too_early_gives_a_clear_error(settings):
    record = confidant()
    use_keys(settings, NEW)
    with pytest.raises(DecryptionError) as caught:
        Confidant.objects.get(pk=record.pk)
    message = str(caught.value)
    assert "encryption_app.Confidant." in message
    assert "was a retired key removed too early?" in message
    assert OLD not in message and NEW not in message


def test_without_a_key_nothing_starts(settings):
    settings.SOLIDARITY_ENCRYPTION_KEYS = None
    settings.SOLIDARITY_ENCRYPTION_KEYS_FILE = None
    for attempt in (get_keyring, require_keys):
        with pytest.raises(ImproperlyConfigured) as caught:
            attempt()
        assert str(caught.value) == NO_KEY_MESSAGE
    assert "solidarity keys generate" in NO_KEY_MESSAGE
    [error] = encryption.check_encryption_keys()
    assert (error.id, error.msg) == ("solidarity.E001", NO_KEY_MESSAGE)


def test_a_malformed_key_is_named_without_being_shown(settings):
    use_keys(settings, NEW, "my-old-passphrase-that-is-not-a-key")
    with pytest.raises(ImproperlyConfigured, match="SOLIDARITY_ENCRYPTION_KEYS: .*key 2") as caught:
        get_keyring()
    assert "passphrase" not in str(caught.value) and NEW not in str(caught.value)
    [error] = encryption.check_encryption_keys()
    assert error.id == "solidarity.E001"
    assert "passphrase" not in error.msg and NEW not in error.msg


def test_keys_are_read_from_a_file_when_the_setting_is_absent(settings, tmp_path):
    keys_file = tmp_path / "keys"
    keys_file.write_text(f"# primary\n{NEW}\n# retired soon\n{OLD}\n")
    settings.SOLIDARITY_ENCRYPTION_KEYS = None
    settings.SOLIDARITY_ENCRYPTION_KEYS_FILE = str(keys_file)
    assert len(get_keyring()) == 2
    assert not get_keyring().needs_rotation(Keyring([NEW]).encrypt(b"x"))
    settings.SOLIDARITY_ENCRYPTION_KEYS_FILE = str(tmp_path / "missing")
    with pytest.raises(ImproperlyConfigured, match="Cannot read SOLIDARITY_ENCRYPTION_KEYS_FILE"):
        get_keyring()


def test_the_deploy_check_warns_of_a_keys_file_others_can_read_or_kept_with_the_data(
    settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    keys_file = tmp_path / "keys"
    keys_file.write_text(NEW)
    keys_file.chmod(0o644)
    settings.SOLIDARITY_ENCRYPTION_KEYS = None
    settings.SOLIDARITY_ENCRYPTION_KEYS_FILE = str(keys_file)
    ids = {warning.id for warning in encryption.check_keys_file_is_private()}
    assert ids == {"solidarity.W001", "solidarity.W002"}
    settings.VAR_DIR = tmp_path / "elsewhere"
    keys_file.chmod(0o600)
    assert encryption.check_keys_file_is_private() == []


def test_ensure_local_key_creates_a_private_file_once_and_keeps_it(settings, tmp_path):
    var_dir = tmp_path / "var"
    path = ensure_local_key(var_dir)
    assert path == var_dir / "encryption_keys"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    first = path.read_text()
    assert ensure_local_key(var_dir) == path
    assert path.read_text() == first
    assert os.listdir(var_dir) == ["encryption_keys"]
    settings.SOLIDARITY_ENCRYPTION_KEYS = None
    settings.SOLIDARITY_ENCRYPTION_KEYS_FILE = path
    assert len(get_keyring()) == 1


# Evidence files


def test_the_storage_writes_ciphertext_and_reads_back_the_plaintext(tmp_path):
    record = confidant()
    record.attachment.save("report.pdf", ContentFile(EVIDENCE))
    on_disk = Path(get_evidence_storage().path(record.attachment.name))
    assert on_disk.is_relative_to(tmp_path / "evidence")
    assert on_disk.read_bytes().startswith(FILE_MAGIC)
    assert b"Synthetic Canary" not in on_disk.read_bytes()
    assert file_readable_by(OLD, on_disk)
    fresh = Confidant.objects.get(pk=record.pk)
    with fresh.attachment.open("rb") as handle:
        assert handle.read() == EVIDENCE
    assert fresh.attachment.size == len(EVIDENCE)
    assert sorted(os.listdir(on_disk.parent)) == [on_disk.name]


def test_a_download_serves_the_plaintext_with_its_true_length():
    record = confidant()
    record.attachment.save("report.pdf", ContentFile(EVIDENCE))
    attachment = Confidant.objects.get(pk=record.pk).attachment
    response = FileResponse(attachment.open("rb"), as_attachment=True, filename="report.pdf")
    assert response["Content-Length"] == str(len(EVIDENCE))
    assert b"".join(response.streaming_content) == EVIDENCE


def test_the_storage_opens_files_for_reading_only():
    record = confidant()
    record.attachment.save("report.pdf", ContentFile(EVIDENCE))
    with pytest.raises(ValueError, match="reading only"):
        get_evidence_storage().open(record.attachment.name, "wb")


def test_two_files_with_the_same_name_are_both_kept():
    first, second = confidant(), confidant()
    first.attachment.save("same", ContentFile(b"first"))
    second.attachment.save("same", ContentFile(b"second"))
    assert first.attachment.name != second.attachment.name
    assert Confidant.objects.get(pk=first.pk).attachment.read() == b"first"


# Rotation


def test_keys_rotate_moves_every_row_and_file_to_the_new_key(settings):
    records = [confidant(nickname=str(n)) for n in range(5)]
    records[0].attachment.save("report.pdf", ContentFile(EVIDENCE))
    use_keys(settings, NEW, OLD)
    already_new = confidant(nickname="new")
    out = StringIO()
    call_command("keys", "rotate", "--batch-size=2", stdout=out)
    assert "Rotated 16 value(s) and file(s)." in out.getvalue()  # 5 rows x 3 fields + 1 file
    use_keys(settings, NEW)
    for record in [*records, already_new]:
        fresh = Confidant.objects.get(pk=record.pk)
        assert (fresh.legal_name, fresh.notes, fresh.born) == (NAME, NOTES, BORN)
        for column in ("legal_name", "notes", "born"):
            assert readable_by(NEW, stored(record.pk, column))
    on_disk = Path(get_evidence_storage().path(records[0].attachment.name))
    assert file_readable_by(NEW, on_disk)
    assert Confidant.objects.get(pk=records[0].pk).attachment.read() == EVIDENCE
    assert not [name for name in os.listdir(on_disk.parent) if name.startswith(".")]


def test_keys_status_counts_what_is_not_on_the_primary_key_without_showing_it(settings):
    confidant().attachment.save("report.pdf", ContentFile(EVIDENCE))
    use_keys(settings, NEW, OLD)
    out = StringIO()
    call_command("keys", "status", stdout=out)
    text = out.getvalue()
    assert "2 key(s), primary first" in text
    assert "encryption_app.Confidant.legal_name: 1 on an older key" in text
    assert "1 on an older key, 0 plaintext, 0 unreadable (of 1)" in text.split("files in")[1]
    assert "4 not on the primary key" in text
    assert "Synthetic Canary" not in text and NEW not in text and OLD not in text
    call_command("keys", "rotate", stdout=StringIO())
    out = StringIO()
    call_command("keys", "status", stdout=out)
    assert "the older keys can go" in out.getvalue()


def test_rotation_never_overwrites_a_value_written_meanwhile(settings):
    first, second = confidant(), confidant()
    use_keys(settings, NEW, OLD)
    column = EncryptedColumn(Confidant, Confidant._meta.get_field("notes"))
    rows = column.read_batch(limit=10)
    Confidant.objects.filter(pk=second.pk).update(notes="newer, written by a documenter")
    tally = Tally(column.label)
    changes = plan_changes(get_keyring(), rows, tally)
    assert (len(changes), tally.old_key) == (2, 2)
    assert column.write_batch(changes) == 1
    assert Confidant.objects.get(pk=second.pk).notes == "newer, written by a documenter"
    assert Confidant.objects.get(pk=first.pk).notes == NOTES
    assert readable_by(NEW, stored(first.pk, "notes"))


def test_rotation_encrypts_values_and_files_written_before_encryption(settings):
    record = confidant()
    set_stored(record.pk, "notes", "plain notes from before")
    set_stored(record.pk, "born", "1960-03-08")
    storage = get_evidence_storage()
    name = storage.save("legacy.txt", ContentFile(b"placeholder"))
    Path(storage.path(name)).write_bytes(b"plain evidence from before")
    fresh = Confidant.objects.get(pk=record.pk)
    assert (fresh.notes, fresh.born) == ("plain notes from before", BORN)
    out = StringIO()
    call_command("keys", "status", stdout=out)
    assert "encryption_app.Confidant.notes: 0 on an older key, 1 plaintext" in out.getvalue()
    call_command("keys", "rotate", stdout=StringIO())
    assert readable_by(OLD, stored(record.pk, "notes"))
    assert readable_by(OLD, stored(record.pk, "born"))
    assert file_readable_by(OLD, Path(storage.path(name)))
    assert storage.open(name).read() == b"plain evidence from before"


def test_keys_rotate_fails_loudly_on_values_no_key_can_read(settings):
    record = confidant()
    set_stored(record.pk, "notes", "enc:" + Keyring([generate_key()]).encrypt(b"x").decode())
    use_keys(settings, NEW, OLD)
    with pytest.raises(Exception, match="cannot be decrypted by any configured key"):
        call_command("keys", "rotate", stdout=StringIO())
    assert readable_by(NEW, stored(record.pk, "legal_name"))


def test_keys_status_and_rotate_without_a_key_say_what_to_do(settings):
    settings.SOLIDARITY_ENCRYPTION_KEYS = None
    for action in ("status", "rotate"):
        with pytest.raises(CommandError, match="generate one with `solidarity keys generate`"):
            call_command("keys", action, stdout=StringIO())


def test_keys_generate_prints_one_new_key_and_nothing_else(settings):
    settings.SOLIDARITY_ENCRYPTION_KEYS = None
    out = StringIO()
    call_command("keys", "generate", stdout=out)
    key = out.getvalue()
    assert key.endswith("\n") and key.count("\n") == 1
    assert len(Keyring([key.strip()])) == 1
