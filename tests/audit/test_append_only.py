"""Events cannot be changed or removed: not through the ORM, not with raw SQL."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from solidarity.audit.models import AppendOnlyError, AuditEvent


def test_saving_an_existing_event_is_refused(log):
    event = AuditEvent.objects.get(seq=3)
    event.actor_name = "rui"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert AuditEvent.objects.get(seq=3).actor_name == "dana"


def test_updating_events_through_a_queryset_is_refused(log):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(seq=3).update(actor_name="rui")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([AuditEvent.objects.get(seq=3)], ["actor_name"])


def test_deleting_events_is_refused(log):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.get(seq=3).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 6


def raw(sql: str, params: list | tuple = ()) -> None:
    # A savepoint, so that PostgreSQL can go on after the refusal.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_database_refuses_a_raw_update(log):
    with pytest.raises(DatabaseError, match="append-only"):
        raw("UPDATE audit_auditevent SET actor_name = %s WHERE seq = %s", ["rui", 3])
    assert AuditEvent.objects.get(seq=3).actor_name == "dana"


def test_the_database_refuses_a_raw_delete(log):
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM audit_auditevent WHERE seq = %s", [3])
    assert AuditEvent.objects.count() == 6


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_the_database_refuses_a_truncate(log):
    with pytest.raises(DatabaseError, match="append-only"):
        raw("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.count() == 6


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_log_and_keeps_the_guard(log):
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()

    from solidarity.audit.models import Action
    from solidarity.audit.services import record

    record(actor=None, action=Action.LOGIN_FAILED)
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM audit_auditevent")
