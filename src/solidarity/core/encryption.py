"""Encryption at rest: the keyring, encrypted model fields and files, rotation, a system check.

Keys come from ``settings.SOLIDARITY_ENCRYPTION_KEYS`` (a string of keys separated by
commas, spaces or newlines, or a list), else from the file named by
``settings.SOLIDARITY_ENCRYPTION_KEYS_FILE``; never from ``SECRET_KEY``. The first key
is the primary; the others only decrypt (see ``solidarity keys --help``).

Stored format of a field: ``"enc:"`` followed by a Fernet token (ASCII), in a text
column. An empty string stays ``""`` and NULL stays NULL, so *that* a value is absent
is visible on disk, never *what* a value is. A token also reveals the plaintext's
length, rounded up to 16 bytes, and when it was written.

Stored format of a file: :data:`FILE_MAGIC` followed by the Fernet token, base64-decoded.

A value without the prefix (or a file without the magic) was written before encryption
was switched on: it is read as it is, counted as plaintext by ``solidarity keys status``
and encrypted by ``solidarity keys rotate``.

Encrypted fields cannot be searched, compared or indexed; a lookup other than
``isnull`` (or ``exact`` with an empty string) raises :class:`FieldError`.
"""

from __future__ import annotations

import base64
import os
import stat
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from io import BytesIO
from pathlib import Path
from typing import IO, Any, NamedTuple

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.db import connections, models, router, transaction
from django.db.models.lookups import Exact, IsNull
from django.dispatch import receiver
from django.utils._os import safe_makedirs
from django.utils.functional import cached_property

from solidarity.lib.crypto import DecryptionError, Keyring, KeyringError, generate_key

PREFIX = "enc:"
FILE_MAGIC = b"solidarity-encrypted-v1\n"
TEMP_PREFIX = ".solidarity-tmp-"
KEYS_SETTING = "SOLIDARITY_ENCRYPTION_KEYS"
KEYS_FILE_SETTING = "SOLIDARITY_ENCRYPTION_KEYS_FILE"
LOCAL_KEYS_FILENAME = "encryption_keys"
NO_KEY_MESSAGE = (
    "Solidarity needs an encryption key: set SOLIDARITY_ENCRYPTION_KEYS or "
    "SOLIDARITY_ENCRYPTION_KEYS_FILE; generate one with `solidarity keys generate`."
)

# The keyring


_keyring: Keyring | None = None
_keyring_lock = threading.Lock()


def load_keyring() -> Keyring:
    """A keyring read afresh from the settings; ImproperlyConfigured if there is none."""
    keys = getattr(settings, KEYS_SETTING, None)
    path = getattr(settings, KEYS_FILE_SETTING, None)
    if keys:
        source, text = KEYS_SETTING, keys if isinstance(keys, str) else "\n".join(keys)
    elif path:
        source, text = f"{KEYS_FILE_SETTING} ({path})", _read_keys_file(Path(path))
    else:
        raise ImproperlyConfigured(NO_KEY_MESSAGE)
    try:
        return Keyring.parse(text)
    except KeyringError as error:
        raise ImproperlyConfigured(f"{source}: {error}") from None


def _read_keys_file(path: Path) -> str:
    try:
        return path.expanduser().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not a text file"
        raise ImproperlyConfigured(f"Cannot read {KEYS_FILE_SETTING} ({path}): {reason}.") from None


def get_keyring() -> Keyring:
    """The configured keyring, loaded once; ImproperlyConfigured if there is no key."""
    global _keyring
    if _keyring is None:
        with _keyring_lock:
            if _keyring is None:
                _keyring = load_keyring()
    return _keyring


def reset_keyring() -> None:
    """Forget the loaded keyring, so that the next use reads the settings again."""
    global _keyring
    with _keyring_lock:
        _keyring = None


@receiver(setting_changed)
def _reset_keyring_on_setting_change(*, setting: str, **kwargs: Any) -> None:
    if setting in (KEYS_SETTING, KEYS_FILE_SETTING):
        reset_keyring()


def require_keys() -> Keyring:
    """The keyring, or ImproperlyConfigured with a clear message: call it before serving."""
    return get_keyring()


def ensure_local_key(var_dir: Path) -> Path:
    """Create ``var_dir/encryption_keys`` (mode 0600) with one new key unless it exists."""
    var_dir = Path(var_dir)
    var_dir.mkdir(parents=True, exist_ok=True)
    path = var_dir / LOCAL_KEYS_FILENAME
    if path.exists():
        return path
    # Written in full to a private temporary file, then linked into place: no reader
    # ever sees a half-written file, and a concurrent creator's key is never replaced.
    fd, temporary = tempfile.mkstemp(dir=var_dir, prefix=TEMP_PREFIX)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(
                "# Solidarity encryption keys, primary first (see `solidarity keys --help`).\n"
                "# Whoever holds this file can read the sensitive data: keep it out of backups "
                "of the data.\n"
                f"{generate_key()}\n"
            )
            handle.flush()
            os.fsync(handle.fileno())
        with suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)
    return path


# The system checks


@checks.register(checks.Tags.security)
def check_encryption_keys(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """solidarity.E001: there is no encryption key, or the keys do not parse."""
    try:
        load_keyring()
    except ImproperlyConfigured as error:
        return [
            checks.Error(
                str(error),
                hint="See `solidarity keys --help` for how keys are set and rotated.",
                id="solidarity.E001",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_keys_file_is_private(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """solidarity.W001/W002: the keys file is readable by others, or lives with the data."""
    if getattr(settings, KEYS_SETTING, None) or not getattr(settings, KEYS_FILE_SETTING, None):
        return []
    path = Path(getattr(settings, KEYS_FILE_SETTING)).expanduser().resolve()
    warnings: list[checks.CheckMessage] = []
    with suppress(OSError):
        if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            warnings.append(
                checks.Warning(
                    f"The encryption keys file {path} can be read by other users.",
                    hint=f"chmod 600 {path}",
                    id="solidarity.W001",
                )
            )
    var_dir = getattr(settings, "VAR_DIR", None)
    if var_dir is not None and path.is_relative_to(Path(var_dir).resolve()):
        warnings.append(
            checks.Warning(
                f"The encryption keys file {path} is inside the data directory {var_dir}: "
                "a copy or backup of the data then carries the key that unlocks it.",
                hint="Keep the keys on another disk or in a secret store, and set "
                "SOLIDARITY_ENCRYPTION_KEYS or SOLIDARITY_ENCRYPTION_KEYS_FILE to it.",
                id="solidarity.W002",
            )
        )
    return warnings


# Values


class Ciphertext(str):
    """A stored value known to be ciphertext (copied raw from another row); saved as it is.

    A plain ``str`` that merely starts with ``"enc:"`` is encrypted like any other
    text: otherwise anyone holding a stolen token and a login could have the site
    decrypt it for them by typing it into a form.
    """


def encrypt_text(text: str, keyring: Keyring | None = None) -> str:
    """The stored form of ``text``: the prefix and a token under the primary key."""
    token = (keyring or get_keyring()).encrypt(text.encode("utf-8"))
    return PREFIX + token.decode("ascii")


def decrypt_text(stored: str, keyring: Keyring | None = None) -> str:
    """The plaintext of a stored value (a value without the prefix is legacy plaintext)."""
    if not stored.startswith(PREFIX):
        return stored
    token = stored[len(PREFIX) :].encode("utf-8")
    return (keyring or get_keyring()).decrypt(token).decode("utf-8")


class _SearchRefused(FieldError):
    pass


def _refuse(field: models.Field, lookup_name: str) -> _SearchRefused:
    label = f"{field.model._meta.label}.{field.name}" if hasattr(field, "model") else field.name
    return _SearchRefused(
        f"{label} is encrypted: it cannot be searched or compared "
        f"(lookup {lookup_name!r}). Only 'isnull' and an exact match on '' work."
    )


class _ExactEmpty(Exact):
    """``field=""`` only: emptiness is the one thing visible in an encrypted column."""

    def get_prep_lookup(self) -> Any:
        if self.rhs != "":
            raise _refuse(self.lhs.output_field, "exact")
        return ""


class EncryptedMixin:
    """Stores the value as ``"enc:" + Fernet token`` in a text column; see the module."""

    encrypted = True
    empty_strings_allowed: bool
    name: str

    def get_internal_type(self) -> str:
        return "TextField"

    def _to_text(self, value: Any) -> str:
        return value

    def _from_text(self, text: str) -> Any:
        return text

    def _empty(self) -> Any:
        return "" if self.empty_strings_allowed else None

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return None if value is None else self._empty()
        try:
            return self._from_text(decrypt_text(value))
        except DecryptionError as error:
            raise DecryptionError(f"{self.model._meta.label}.{self.name}: {error}") from None

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, Ciphertext):
            if not value.startswith(PREFIX):
                raise ValueError("A Ciphertext value must be a stored value, starting 'enc:'.")
            return str(value)
        if value == "":
            return self._empty()
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(self._to_text(value))

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        return value if prepared else self.get_prep_value(value)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return IsNull
        if lookup_name == "exact":
            return _ExactEmpty
        raise _refuse(self, lookup_name)

    def get_transform(self, lookup_name: str) -> Any:
        raise _refuse(self, lookup_name)

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        if self.unique or self.primary_key or self.db_index:
            errors.append(
                checks.Error(
                    "An encrypted field cannot be unique, a primary key or indexed: "
                    "the same plaintext is stored differently every time.",
                    obj=self,
                    id="solidarity.E002",
                )
            )
        return errors


class EncryptedTextField(EncryptedMixin, models.TextField):
    """Long text, encrypted at rest."""


class EncryptedCharField(EncryptedMixin, models.CharField):
    """A line of text, encrypted at rest: a text column; ``max_length`` counts plaintext."""

    def _check_max_length_attribute(self, **kwargs: Any) -> list[checks.CheckMessage]:
        # The column is text, so a length limit is optional, as for a TextField.
        if self.max_length is None:
            return []
        return super()._check_max_length_attribute(**kwargs)


class EncryptedDateField(EncryptedMixin, models.DateField):
    """A date, encrypted at rest as its ISO form."""

    def _to_text(self, value: date) -> str:
        return value.isoformat()

    def _from_text(self, text: str) -> date:
        return date.fromisoformat(text)


def is_encrypted(model_field: Any) -> bool:
    """Whether a model field is encrypted (and so must never enter a search index)."""
    return isinstance(model_field, EncryptedMixin)


# Files


def encrypt_file_bytes(data: bytes, keyring: Keyring | None = None) -> bytes:
    """The stored form of a file's content."""
    token = (keyring or get_keyring()).encrypt(data)
    return FILE_MAGIC + base64.urlsafe_b64decode(token)


def _file_token(stored: bytes) -> bytes:
    return base64.urlsafe_b64encode(stored[len(FILE_MAGIC) :])


def decrypt_file_bytes(stored: bytes, keyring: Keyring | None = None) -> bytes:
    """A file's content from its stored form (a file without the magic is legacy plaintext)."""
    if not stored.startswith(FILE_MAGIC):
        return stored
    return (keyring or get_keyring()).decrypt(_file_token(stored))


class _MovableFile:
    """What FileSystemStorage._save needs to move a finished file into place."""

    def __init__(self, path: str) -> None:
        self._path = path

    def temporary_file_path(self) -> str:
        return self._path


def _write_private_temporary(directory: str, data: bytes) -> str:
    fd, path = tempfile.mkstemp(dir=directory, prefix=TEMP_PREFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        os.unlink(path)
        raise
    return path


class EncryptedFileSystemStorage(FileSystemStorage):
    """Files encrypted on disk, decrypted in memory when opened (files are small).

    Without a ``location`` it follows ``STORAGES["default"]["OPTIONS"]["location"]``
    (else ``MEDIA_ROOT``), also when a test changes that setting. Each file is
    written in full under a temporary name and moved into place, so no reader
    ever sees half a file. The location must hold nothing but this storage's files:
    ``solidarity keys rotate`` encrypts every file in it.
    """

    @cached_property
    def base_location(self) -> str:
        default = settings.STORAGES.get("default", {}).get("OPTIONS", {}).get("location")
        return self._value_or_setting(self._location, default or settings.MEDIA_ROOT)

    def _clear_cached_properties(self, setting: str, **kwargs: Any) -> None:
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "STORAGES":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def _open(self, name: str, mode: str = "rb") -> File:
        if mode not in ("r", "rb"):
            raise ValueError("Encrypted files open for reading only; save a new file instead.")
        with open(self.path(name), "rb") as handle:
            content = decrypt_file_bytes(handle.read())
        return File(BytesIO(content), name=name)

    def _save(self, name: str, content: File) -> str:
        data = encrypt_file_bytes(b"".join(content.chunks()))
        directory = os.path.dirname(self.path(name))
        if self.directory_permissions_mode is not None:
            safe_makedirs(directory, self.directory_permissions_mode, exist_ok=True)
        else:
            os.makedirs(directory, exist_ok=True)
        temporary = _write_private_temporary(directory, data)
        try:
            return super()._save(name, _MovableFile(temporary))
        finally:
            with suppress(FileNotFoundError):
                os.unlink(temporary)

    def size(self, name: str) -> int:
        """The size of the plaintext (the file on disk is larger)."""
        with self.open(name) as handle:
            return len(handle.read())

    def stored_paths(self) -> Iterator[str]:
        """Every file this storage holds, as a filesystem path."""
        for directory, _subdirectories, filenames in os.walk(self.location):
            for filename in filenames:
                path = os.path.join(directory, filename)
                if not filename.startswith(TEMP_PREFIX) and not os.path.islink(path):
                    yield path


_evidence_storage = EncryptedFileSystemStorage()


def get_evidence_storage() -> EncryptedFileSystemStorage:
    """The storage of evidence files: ``FileField(storage=get_evidence_storage)``."""
    return _evidence_storage


# Inventory and rotation


class State(StrEnum):
    CURRENT = "current"  # encrypted under the primary key
    OLD_KEY = "old_key"  # encrypted under another configured key
    PLAINTEXT = "plaintext"  # written before encryption was switched on
    UNREADABLE = "unreadable"  # no configured key decrypts it


def _token_state(keyring: Keyring, token: bytes) -> State:
    if not keyring.needs_rotation(token):
        return State.CURRENT
    try:
        keyring.decrypt(token)
    except DecryptionError:
        return State.UNREADABLE
    return State.OLD_KEY


def stored_value_state(keyring: Keyring, stored: str) -> State:
    """Where a stored column value stands against the keyring."""
    if not stored.startswith(PREFIX):
        return State.PLAINTEXT
    return _token_state(keyring, stored[len(PREFIX) :].encode("utf-8"))


def stored_file_state(keyring: Keyring, stored: bytes) -> State:
    """Where a stored file's content stands against the keyring."""
    if not stored.startswith(FILE_MAGIC):
        return State.PLAINTEXT
    return _token_state(keyring, _file_token(stored))


@dataclass
class Tally:
    """What was found in one encrypted column or one file storage, and what was done."""

    label: str
    current: int = 0
    old_key: int = 0
    plaintext: int = 0
    unreadable: int = 0
    rotated: int = 0
    changed_meanwhile: int = 0

    def count(self, state: State) -> None:
        setattr(self, state.value, getattr(self, state.value) + 1)

    @property
    def total(self) -> int:
        return self.current + self.old_key + self.plaintext + self.unreadable

    @property
    def not_on_primary(self) -> int:
        return self.old_key + self.plaintext + self.unreadable


@dataclass
class RotationReport:
    """Per column and per file storage: what ``rotate_all`` found and rewrote."""

    columns: list[Tally] = field(default_factory=list)
    files: list[Tally] = field(default_factory=list)

    @property
    def tallies(self) -> list[Tally]:
        return [*self.columns, *self.files]

    @property
    def rotated(self) -> int:
        return sum(tally.rotated for tally in self.tallies)

    @property
    def unreadable(self) -> int:
        return sum(tally.unreadable for tally in self.tallies)

    @property
    def changed_meanwhile(self) -> int:
        return sum(tally.changed_meanwhile for tally in self.tallies)


class Change(NamedTuple):
    pk: Any
    old: str
    new: str


@dataclass(frozen=True)
class EncryptedColumn:
    """One encrypted field of one model, read and written as raw stored strings."""

    model: type[models.Model]
    field: models.Field

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field.name}"

    @property
    def _connection(self) -> Any:
        return connections[router.db_for_write(self.model)]

    def _names(self) -> tuple[str, str, str]:
        quote = self._connection.ops.quote_name
        meta = self.model._meta
        return quote(meta.db_table), quote(meta.pk.column), quote(self.field.column)

    def read_batch(self, *, after: Any = None, limit: int) -> list[tuple[Any, str]]:
        """Up to ``limit`` (pk, stored value) pairs with a value, in pk order, after ``after``."""
        table, pk, column = self._names()
        where, params = f"{column} IS NOT NULL AND {column} <> %s", [""]
        if after is not None:
            where, params = f"{where} AND {pk} > %s", [*params, after]
        # Identifiers come from model metadata, quoted; every value is a parameter.
        sql = f"SELECT {pk}, {column} FROM {table} WHERE {where} ORDER BY {pk} LIMIT %s"  # noqa: S608
        with self._connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit])
            return [tuple(row) for row in cursor.fetchall()]

    def write_batch(self, changes: Sequence[Change]) -> int:
        """Store each new value where the column still holds the old one; rows written.

        One short transaction per batch; a row rewritten by someone else since it was
        read keeps their newer value.
        """
        table, pk, column = self._names()
        sql = f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s"  # noqa: S608
        connection = self._connection
        written = 0
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            for change in changes:
                cursor.execute(sql, [change.new, change.pk, change.old])
                written += cursor.rowcount
        return written


def encrypted_columns() -> list[EncryptedColumn]:
    """Every encrypted field of every installed model that has a table of its own."""
    return [
        EncryptedColumn(model, model_field)
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
        for model_field in model._meta.local_concrete_fields
        if is_encrypted(model_field)
    ]


def encrypted_storages() -> list[EncryptedFileSystemStorage]:
    """Every encrypted file storage in use (by a model's FileField or as the default)."""
    found: dict[str, EncryptedFileSystemStorage] = {}
    for model in apps.get_models():
        for model_field in model._meta.local_concrete_fields:
            storage = getattr(model_field, "storage", None)
            if isinstance(model_field, models.FileField) and isinstance(
                storage, EncryptedFileSystemStorage
            ):
                found.setdefault(storage.location, storage)
    default = storages["default"]
    if isinstance(default, EncryptedFileSystemStorage):
        found.setdefault(default.location, default)
    return list(found.values())


def plan_changes(keyring: Keyring, rows: Sequence[tuple[Any, str]], tally: Tally) -> list[Change]:
    """The new stored value of each row not yet on the primary key; counts every row."""
    changes = []
    for pk, stored in rows:
        state = stored_value_state(keyring, stored)
        tally.count(state)
        if state is State.OLD_KEY:
            token = keyring.rotate(stored[len(PREFIX) :].encode("utf-8"))
            changes.append(Change(pk, stored, PREFIX + token.decode("ascii")))
        elif state is State.PLAINTEXT:
            changes.append(Change(pk, stored, encrypt_text(stored, keyring)))
    return changes


def rotate_column(
    column: EncryptedColumn, *, keyring: Keyring, batch_size: int, stdout: IO[str] | None
) -> Tally:
    """Re-encrypt one column to the primary key, batch by batch."""
    tally = Tally(column.label)
    after = None
    while rows := column.read_batch(after=after, limit=batch_size):
        after = rows[-1][0]
        changes = plan_changes(keyring, rows, tally)
        written = column.write_batch(changes) if changes else 0
        tally.rotated += written
        tally.changed_meanwhile += len(changes) - written
        _say(stdout, f"{tally.label}: {tally.total} checked, {tally.rotated} rotated")
    return tally


def _fsync_directory(directory: str) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_file(path: str, data: bytes, *, expected: os.stat_result) -> bool:
    """Atomically replace a file unless it changed or vanished since ``expected``."""
    directory = os.path.dirname(path)
    temporary = _write_private_temporary(directory, data)
    try:
        os.chmod(temporary, stat.S_IMODE(expected.st_mode))
        try:
            now = os.stat(path)
        except FileNotFoundError:
            return False
        if (now.st_ino, now.st_size, now.st_mtime_ns) != (
            expected.st_ino,
            expected.st_size,
            expected.st_mtime_ns,
        ):
            return False
        os.replace(temporary, path)
        _fsync_directory(directory)
        return True
    finally:
        with suppress(FileNotFoundError):
            os.unlink(temporary)


def _rotated_file_bytes(keyring: Keyring, stored: bytes, state: State) -> bytes:
    if state is State.PLAINTEXT:
        return encrypt_file_bytes(stored, keyring)
    return FILE_MAGIC + base64.urlsafe_b64decode(keyring.rotate(_file_token(stored)))


def _read_with_stat(path: str) -> tuple[bytes, os.stat_result] | None:
    try:
        with open(path, "rb") as handle:
            return handle.read(), os.fstat(handle.fileno())
    except FileNotFoundError:
        return None


def rotate_storage(
    storage: EncryptedFileSystemStorage, *, keyring: Keyring, stdout: IO[str] | None
) -> Tally:
    """Re-encrypt every file of a storage to the primary key, one atomic rewrite each."""
    tally = Tally(f"files in {storage.location}")
    for path in storage.stored_paths():
        if (read := _read_with_stat(path)) is None:
            continue
        stored, before = read
        state = stored_file_state(keyring, stored)
        tally.count(state)
        if state in (State.OLD_KEY, State.PLAINTEXT):
            new = _rotated_file_bytes(keyring, stored, state)
            if replace_file(path, new, expected=before):
                tally.rotated += 1
            else:
                tally.changed_meanwhile += 1
    _say(stdout, f"{tally.label}: {tally.total} checked, {tally.rotated} rotated")
    return tally


def rotate_all(*, batch_size: int = 500, stdout: IO[str] | None = None) -> RotationReport:
    """Re-encrypt every encrypted value and file that is not on the primary key yet.

    Safe while the site runs: reads happen outside transactions, each batch is
    written in its own short transaction, and a value changed since it was read is
    left as it is (counted in ``changed_meanwhile``). Unreadable values are counted
    and left alone.
    """
    keyring = get_keyring()
    return RotationReport(
        columns=[
            rotate_column(column, keyring=keyring, batch_size=batch_size, stdout=stdout)
            for column in encrypted_columns()
        ],
        files=[
            rotate_storage(storage, keyring=keyring, stdout=stdout)
            for storage in encrypted_storages()
        ],
    )


def census(*, batch_size: int = 500) -> RotationReport:
    """Count, without writing anything, where every encrypted value and file stands."""
    keyring = get_keyring()
    report = RotationReport()
    for column in encrypted_columns():
        tally, after = Tally(column.label), None
        while rows := column.read_batch(after=after, limit=batch_size):
            after = rows[-1][0]
            for _pk, stored in rows:
                tally.count(stored_value_state(keyring, stored))
        report.columns.append(tally)
    for storage in encrypted_storages():
        tally = Tally(f"files in {storage.location}")
        for path in storage.stored_paths():
            if (read := _read_with_stat(path)) is not None:
                tally.count(stored_file_state(keyring, read[0]))
        report.files.append(tally)
    return report


def _say(stdout: IO[str] | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")
