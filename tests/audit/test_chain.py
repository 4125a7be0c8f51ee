"""The log is a hash chain: every event is numbered and linked to the one before."""

import threading
import time
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from solidarity.audit.models import GENESIS, Action, AuditEvent, chain_hash
from solidarity.audit.services import history_for, record
from solidarity.audit.verify import verify_chain
from solidarity.people.models import Person


def test_the_chain_is_intact_after_a_series_of_records(log):
    assert verify_chain() == []
    events = list(AuditEvent.objects.order_by("seq"))
    assert [event.seq for event in events] == [1, 2, 3, 4, 5, 6]
    assert events[0].prev_hash == GENESIS
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash
    assert all(event.hash == event.compute_hash() for event in events)


def test_an_event_records_who_when_and_which_record_but_not_its_name(documenter, person):
    event = record(actor=documenter, action=Action.CREATE, obj=person)
    event.refresh_from_db()
    assert (event.actor, event.actor_name, event.action) == (documenter, "dana", "create")
    assert (event.object_type, event.object_code) == ("people.person", str(person.code))
    assert event.at is not None and event.at.tzinfo is not None
    stored = AuditEvent.objects.filter(pk=event.pk).values().get()
    assert "Synthetic Defender" not in repr(stored)


def test_the_hash_covers_every_recorded_column(documenter, person):
    event = record(actor=documenter, action=Action.UPDATE, obj=person, changes=[], detail={})
    fields = {
        "seq": event.seq,
        "at": event.at,
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "object_type": event.object_type,
        "object_code": event.object_code,
        "changes": event.changes,
        "detail": event.detail,
        "prev_hash": event.prev_hash,
    }
    assert chain_hash(**fields) == event.hash
    for name, other in [
        ("seq", 99),
        ("actor_id", None),
        ("actor_name", "rui"),
        ("action", "delete"),
        ("object_code", "x"),
        ("changes", [{"field": "notes", "sensitive": True}]),
        ("detail", {"rows": 2}),
        ("prev_hash", "1" * 64),
    ]:
        assert chain_hash(**{**fields, name: other}) != event.hash, name


def test_an_anonymous_actor_is_recorded_as_nobody(db):
    from django.contrib.auth.models import AnonymousUser

    event = record(actor=AnonymousUser(), action=Action.LOGIN_FAILED)
    assert (event.actor_id, event.actor_name) == (None, "")


def test_an_unknown_action_is_refused(documenter):
    with pytest.raises(ValueError):
        record(actor=documenter, action="erase")
    assert not AuditEvent.objects.exists()


def test_a_record_without_a_code_is_refused(documenter, person):
    from solidarity.people.models import LegalStatusEvent

    with pytest.raises(TypeError, match="has no code"):
        record(actor=documenter, action=Action.UPDATE, obj=LegalStatusEvent())


def test_an_event_rolls_back_with_the_change_it_records(documenter, person):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        record(actor=documenter, action=Action.DELETE, obj=person)
        raise RuntimeError("the deletion failed")
    assert not AuditEvent.objects.exists()
    assert record(actor=documenter, action=Action.LOGIN).seq == 1


def test_two_hundred_records_are_numbered_1_to_200_with_an_intact_chain(documenter):
    for _ in range(200):
        record(actor=documenter, action=Action.EXPORT)
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == list(
        range(1, 201)
    )
    assert verify_chain() == []


def test_deleting_a_user_keeps_their_name_and_an_intact_chain(log, documenter):
    documenter.delete()
    assert verify_chain() == []
    assert set(AuditEvent.objects.values_list("actor_name", flat=True)) == {"dana"}


def test_a_records_history_lists_its_events_newest_first(log, person, documenter):
    other = Person.objects.create(display_name="Another Synthetic Defender", owner=person.owner)
    record(actor=documenter, action=Action.UPDATE, obj=other)
    history = list(history_for(person))
    assert [event.seq for event in history] == [4, 3, 2]
    assert [event.action for event in history] == ["update", "update", "create"]


def test_verifying_ten_thousand_events_takes_under_a_few_seconds(db, capsys):
    # Built in bulk with the same hash function (record() is tested above),
    # so that the test times the check rather than the writing.
    events, prev_hash, at = [], GENESIS, timezone.now()
    for seq in range(1, 10_001):
        event = AuditEvent(
            seq=seq,
            at=at,
            actor_name="dana",
            action=Action.UPDATE,
            object_type="incidents.incident",
            object_code=str(uuid.uuid4()),
            changes=[
                {"field": "narrative", "sensitive": True},
                {"field": "title", "old": "a", "new": "b"},
            ],
            prev_hash=prev_hash,
        )
        event.hash = prev_hash = event.compute_hash()
        events.append(event)
    AuditEvent.objects.bulk_create(events, batch_size=1000)

    started = time.perf_counter()
    problems = verify_chain()
    elapsed = time.perf_counter() - started

    assert problems == []
    assert elapsed < 5
    with capsys.disabled():
        print(f"\n[{connection.vendor}] verify_chain() of 10,000 events: {elapsed:.2f} s")


# SQLite's in-memory test database refuses concurrent writers outright ("table
# is locked"); test_command.py runs the same check on an SQLite file.
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a server database")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_take_turns_and_never_fork_the_chain():
    errors: list[Exception] = []

    def write(count: int) -> None:
        try:
            for _ in range(count):
                record(actor=None, action=Action.EXPORT)
        except Exception as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(25,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == list(
        range(1, 201)
    )
    assert verify_chain() == []


def test_services_can_call_audit_record(documenter):
    from solidarity import audit

    assert audit.record(actor=documenter, action=Action.LOGIN).seq == 1
    assert audit.record is record
