"""Writing the audit log, and describing what changed without revealing secrets.

A service that changes a record does, inside its transaction::

    before = audit.snapshot(incident)            # {} for a new record
    ...  # change and save the incident
    audit.record(
        actor=user,
        action=Action.UPDATE,
        obj=incident,
        changes=audit.changed_fields(before, audit.snapshot(incident)),
    )

The log can never be purged (that would break the chain), so ``snapshot``
keeps the values only of fields that hold codes, numbers, dates, flags,
choices and references: never free text (titles, names, narratives, notes),
never an encrypted field. Those are wrapped as :class:`Sensitive`, and
``changed_fields`` records only *that* they changed. A name typed by mistake and
corrected at once must not stay in the log forever.
"""

import json
import zlib
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, models, router, transaction
from django.db.models import Field, Model, QuerySet
from django.utils import timezone

from solidarity.audit.models import GENESIS, Action, AuditEvent

# One PostgreSQL advisory lock serialises writers of the log (see record()).
_LOCK_KEY = zlib.crc32(b"solidarity.audit")


@dataclass(frozen=True)
class Sensitive:
    """A value that may be compared but is never shown, logged or stored."""

    value: Any = field(repr=False)


Snapshot = dict[str, "str | None | Sensitive"]


# Field types whose values say nothing about a person when logged.
LOGGABLE_TYPES = (
    models.BooleanField,
    models.IntegerField,
    models.DecimalField,
    models.FloatField,
    models.DateField,
    models.TimeField,
    models.DurationField,
    models.UUIDField,
)


def is_encrypted(model_field: Field) -> bool:
    """Whether the field is one of our encrypted field types (or derives from one)."""
    if getattr(model_field, "encrypted", False):
        return True
    return any(cls.__name__.startswith("Encrypted") for cls in type(model_field).__mro__)


def may_log_value(model_field: Field) -> bool:
    """Whether the field's values may be written to the log (else only that it changed)."""
    if is_encrypted(model_field):
        return False
    return (
        bool(model_field.choices)
        or model_field.is_relation
        or isinstance(model_field, LOGGABLE_TYPES)
    )


def snapshot(instance: Model, fields: list[str] | set[str] | None = None) -> Snapshot:
    """The instance's concrete field values as strings, keyed by field name.

    Foreign keys give their raw id; many-to-many fields are left out, and so are
    ``auto_now`` timestamps (they change on every save and the event has its
    own time) unless named in ``fields``. Values that may not be logged (see
    :func:`may_log_value`) are wrapped in :class:`Sensitive`.
    """
    values: Snapshot = {}
    for model_field in instance._meta.concrete_fields:
        if fields is not None and model_field.name not in fields:
            continue
        if fields is None and getattr(model_field, "auto_now", False):
            continue
        raw = getattr(instance, model_field.attname)
        value = None if raw is None else str(raw)
        values[model_field.name] = value if may_log_value(model_field) else Sensitive(value)
    return values


def _plain(value: Any) -> str | None:
    if isinstance(value, Sensitive):
        value = value.value
    # "No value" is one thing, whether a column holds NULL or an empty string.
    if value is None or value == "":
        return None
    return str(value)


def changed_fields(
    before: dict[str, Any],
    after: dict[str, Any],
    *,
    sensitive: set[str] | frozenset[str] = frozenset(),
) -> list[dict[str, Any]]:
    """The fields whose values differ, sorted by name, as stored in ``AuditEvent.changes``.

    A field in ``sensitive``, or whose value is :class:`Sensitive`, appears as
    ``{"field": name, "sensitive": True}``; any other as
    ``{"field": name, "old": ..., "new": ...}`` with string (or null) values.
    A name missing from one side counts as having no value there, so
    ``changed_fields({}, snapshot(new_record))`` describes a creation.
    """
    changes: list[dict[str, Any]] = []
    for name in sorted(before.keys() | after.keys()):
        old, new = before.get(name), after.get(name)
        if _plain(old) == _plain(new):
            continue
        hidden = name in sensitive or isinstance(old, Sensitive) or isinstance(new, Sensitive)
        if hidden:
            changes.append({"field": name, "sensitive": True})
        else:
            changes.append({"field": name, "old": _plain(old), "new": _plain(new)})
    return changes


def _describe(obj: Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    code = getattr(obj, "code", None)
    if code is None:
        raise TypeError(
            f"{obj._meta.label} has no code: record the event on the coded record that owns it."
        )
    return obj._meta.label_lower, str(code)


def _as_stored(value: Any) -> Any:
    # The hash must be computed over exactly what the JSON column will give back.
    return json.loads(json.dumps(value))


def record(
    *,
    actor: Any,
    action: Action | str,
    obj: Model | None = None,
    changes: list[dict[str, Any]] | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the log, chained to the last one, in the caller's transaction.

    ``obj`` is a record with a UUID ``code`` (an incident, a person...); only its
    type and code are kept. If the caller's transaction rolls back, so does the
    event. Writers are serialised from here until the caller commits: call this
    at the end of the transaction's work.
    """
    [event] = record_many(actor=actor, entries=[Entry(action, obj, changes, detail)])
    return event


@dataclass(frozen=True)
class Entry:
    """One event to append with :func:`record_many`."""

    action: Action | str
    obj: Model | None = None
    changes: list[dict[str, Any]] | None = None
    detail: dict[str, Any] | None = None


def record_many(*, actor: Any, entries: list[Entry]) -> list[AuditEvent]:
    """Append several events by one actor at once (e.g. the people an incident form created).

    Same contract as :func:`record`; the events are chained in the order given
    and written in one statement.
    """
    user = actor if actor is not None and actor.is_authenticated else None
    using = router.db_for_write(AuditEvent)
    events = []
    with transaction.atomic(using=using):
        _lock_the_log(using)
        last = AuditEvent.objects.using(using).order_by("-seq").values_list("seq", "hash").first()
        seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
        now = timezone.now()
        for entry in entries:
            object_type, object_code = _describe(entry.obj)
            event = AuditEvent(
                seq=seq,
                at=now,
                actor=user,
                actor_name=user.get_username() if user else "",
                action=Action(entry.action).value,
                object_type=object_type,
                object_code=object_code,
                changes=_as_stored(entry.changes or []),
                detail=_as_stored(entry.detail or {}),
                prev_hash=prev_hash,
            )
            event.hash = event.compute_hash()
            events.append(event)
            seq, prev_hash = seq + 1, event.hash
        AuditEvent.objects.using(using).bulk_create(events)
    return events


def _lock_the_log(using: str) -> None:
    """Make concurrent writers take turns, so no two read the same last event.

    SQLite needs nothing: the project opens every transaction IMMEDIATE, which
    takes the database's write lock. On PostgreSQL, locking the last row is not
    enough (a second writer would wait for it, then still miss the row the
    first one inserted), so a transaction-scoped advisory lock is taken. Should
    two writers still race, the unique ``seq`` refuses the second: the chain
    never forks.
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def history_for(obj: Model) -> QuerySet[AuditEvent]:
    """The events about one record, newest first.

    Fetch ``obj`` through the access seam first: whoever may see the record may
    see its history.
    """
    if obj is None:
        raise TypeError("history_for() needs a record.")
    object_type, object_code = _describe(obj)
    return AuditEvent.objects.filter(object_type=object_type, object_code=object_code).order_by(
        "-seq"
    )
