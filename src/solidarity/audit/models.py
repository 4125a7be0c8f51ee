"""The audit log: one append-only, hash-chained row per event.

Each event's ``hash`` is the SHA-256 of a canonical JSON of its content and the
previous event's hash, so changing, removing, adding or reordering rows breaks
the chain (``verify.py``). Rows are written only by ``services.record``; the ORM
refuses to change or delete them, and database triggers (installed by migration
0002 from the SQL below) refuse it to raw SQL as well.

No event holds a record's title or name, nor any value of an encrypted field:
only the record's type and UUID code, and the names of the fields that changed.
"""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

GENESIS = "0" * 64
"""The ``prev_hash`` of the first event."""


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit event."""

    def __init__(
        self, message: str = "The audit log is append-only: events cannot be changed or deleted."
    ) -> None:
        super().__init__(message)


# The triggers guard against mistakes and careless scripts; whoever may drop
# them can still tamper, which is what the chain and ``audit verify`` are for.
APPEND_ONLY = "audit log is append-only"
GUARD_SQL = {
    "sqlite": {
        "install": [
            "CREATE TRIGGER IF NOT EXISTS audit_auditevent_no_update BEFORE UPDATE "
            f"ON audit_auditevent BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END",
            "CREATE TRIGGER IF NOT EXISTS audit_auditevent_no_delete BEFORE DELETE "
            f"ON audit_auditevent BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END",
        ],
        "remove": [
            "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
            "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
        ],
    },
    "postgresql": {
        "install": [
            "CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{APPEND_ONLY}' "
            "USING ERRCODE = 'insufficient_privilege'; END $$",
            "CREATE OR REPLACE TRIGGER audit_auditevent_no_change BEFORE UPDATE OR DELETE "
            "ON audit_auditevent FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only()",
            # TRUNCATE fires no row trigger.
            "CREATE OR REPLACE TRIGGER audit_auditevent_no_truncate BEFORE TRUNCATE "
            "ON audit_auditevent FOR EACH STATEMENT "
            "EXECUTE FUNCTION audit_auditevent_append_only()",
        ],
        "remove": [
            "DROP TRIGGER IF EXISTS audit_auditevent_no_change ON audit_auditevent",
            "DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent",
            "DROP FUNCTION IF EXISTS audit_auditevent_append_only()",
        ],
    },
}


def install_guard(connection: BaseDatabaseWrapper) -> None:
    """Create the triggers that make the database refuse UPDATE and DELETE on the log."""
    _run_guard_sql(connection, "install")


def remove_guard(connection: BaseDatabaseWrapper) -> None:
    _run_guard_sql(connection, "remove")


def _run_guard_sql(connection: BaseDatabaseWrapper, step: str) -> None:
    statements = GUARD_SQL.get(connection.vendor, {}).get(step, [])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


class Action(models.TextChoices):
    CREATE = "create", pgettext_lazy("audit action", "created")
    UPDATE = "update", pgettext_lazy("audit action", "updated")
    DELETE = "delete", _("deleted")
    LOGIN = "login", _("signed in")
    LOGOUT = "logout", _("signed out")
    LOGIN_FAILED = "login_failed", _("failed to sign in")
    EXPORT = "export", _("exported")
    PUBLISH = "publish", _("published")


def chain_hash(
    *,
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_name: str,
    action: str,
    object_type: str,
    object_code: str,
    changes: Any,
    detail: Any,
    prev_hash: str,
) -> str:
    """The SHA-256 (hex) of an event's content and its predecessor's hash."""
    content = {
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_name": actor_name,
        "action": action,
        "object_type": object_type,
        "object_code": object_code,
        "changes": changes,
        "detail": detail,
        "prev_hash": prev_hash,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError


class AuditEvent(models.Model):
    """Something that happened: who did what to which record, and when."""

    seq = models.PositiveBigIntegerField(_("number"), editable=False)
    at = models.DateTimeField(_("when"), editable=False)
    # No database constraint and no cascade: the log outlives the accounts it
    # names, and a deleted user must neither null this column (an UPDATE the
    # log refuses) nor change a hashed value. ``actor_name`` keeps the name.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        editable=False,
    )
    actor_name = models.CharField(_("user name"), max_length=150, blank=True, editable=False)
    action = models.CharField(_("action"), max_length=16, choices=Action, editable=False)
    object_type = models.CharField(
        _("record type"),
        max_length=100,
        blank=True,
        editable=False,
        help_text=_("The model, such as incidents.incident; blank for sign-ins."),
    )
    object_code = models.CharField(_("record code"), max_length=36, blank=True, editable=False)
    changes = models.JSONField(
        _("changes"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("The fields that changed; values only for fields that are not sensitive."),
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True, editable=False)
    prev_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        constraints = [
            models.UniqueConstraint(fields=["seq"], name="audit_event_seq_unique"),
            models.CheckConstraint(condition=models.Q(seq__gte=1), name="audit_event_seq_positive"),
        ]
        indexes = [
            models.Index(fields=["object_type", "object_code", "seq"], name="audit_event_record"),
            # verify.py follows links both ways when it explains a broken chain.
            models.Index(fields=["hash"], name="audit_event_hash"),
            models.Index(fields=["prev_hash"], name="audit_event_prev_hash"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type} {self.object_code}".rstrip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError

    def compute_hash(self) -> str:
        return chain_hash(
            seq=self.seq,
            at=self.at,
            actor_id=self.actor_id,
            actor_name=self.actor_name,
            action=self.action,
            object_type=self.object_type,
            object_code=self.object_code,
            changes=self.changes,
            detail=self.detail,
            prev_hash=self.prev_hash,
        )

    @property
    def changed_field_names(self) -> list[str]:
        return [change["field"] for change in self.changes or []]
