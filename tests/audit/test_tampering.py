"""Tampering with the log, as someone with database access would, is reported.

Each test drops the append-only triggers first (the ``attacker`` fixture), then
changes rows with raw SQL. ``log`` holds six events, numbered 1 to 6.
"""

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from solidarity.audit.models import AuditEvent
from solidarity.audit.verify import Kind, Problem, last_entry, verify_chain

# Moving rows through numbers far away avoids clashing with the unique seq.
FAR = 1_000_000


def kinds(problems: list[Problem]) -> list[tuple[str, tuple[int, ...]]]:
    return [(problem.kind, problem.seqs) for problem in problems]


def verify_command(*args: str) -> tuple[int, str]:
    """The exit status and output of ``solidarity audit verify``."""
    from io import StringIO

    out = StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue()
    return 0, out.getvalue()


def test_an_intact_log_passes_the_command(log):
    status, output = verify_command()
    assert status == 0
    assert "Audit log intact: 6 entries." in output
    assert f"6:{log[-1].hash}" in output


def test_an_altered_entry_is_reported(log, attacker):
    attacker("UPDATE audit_auditevent SET actor_name = %s WHERE seq = %s", ["rui", 3])

    assert kinds(verify_chain()) == [(Kind.ALTERED, (3,))]
    status, output = verify_command()
    assert status == 1
    assert output.splitlines() == ["altered: entry 3 is not as it was written."]


def test_an_altered_entry_with_a_recomputed_hash_is_reported(log, attacker):
    event = AuditEvent.objects.get(seq=3)
    event.changes = [{"field": "occupation", "old": None, "new": "journalist"}]
    attacker(
        "UPDATE audit_auditevent SET changes = %s, hash = %s WHERE seq = 3",
        ['[{"field": "occupation", "old": null, "new": "journalist"}]', event.compute_hash()],
    )

    assert kinds(verify_chain()) == [(Kind.ALTERED, (3,))]


def test_a_deleted_entry_is_reported(log, attacker):
    attacker("DELETE FROM audit_auditevent WHERE seq = %s", [3])

    assert kinds(verify_chain()) == [(Kind.DELETED, (3,))]
    status, output = verify_command()
    assert status == 1
    assert output.splitlines() == ["deleted: entry 3 is missing."]


def test_deleting_the_first_entries_is_reported(log, attacker):
    attacker("DELETE FROM audit_auditevent WHERE seq <= 2")

    assert kinds(verify_chain()) == [(Kind.DELETED, (1, 2))]


def test_a_deletion_hidden_by_renumbering_is_reported(log, attacker):
    attacker("DELETE FROM audit_auditevent WHERE seq = 3")
    attacker("UPDATE audit_auditevent SET seq = seq + %s WHERE seq > 3", [FAR])
    attacker("UPDATE audit_auditevent SET seq = seq - %s WHERE seq > %s", [FAR + 1, FAR])

    [problem] = verify_chain()
    assert (problem.kind, problem.seqs) == (Kind.DELETED, (3,))
    assert "the 3 entries after it were renumbered to close the gap" in problem.message


def test_an_inserted_entry_is_reported(log, attacker):
    # Make room at 3 by renumbering 3..6 to 4..7, then insert a well-formed
    # entry linked to entry 2, with a hash that matches its content.
    attacker("UPDATE audit_auditevent SET seq = seq + %s WHERE seq >= 3", [FAR])
    attacker("UPDATE audit_auditevent SET seq = seq - %s WHERE seq > %s", [FAR - 1, FAR])
    forged = AuditEvent(
        seq=3,
        at=timezone.now(),
        actor_name="rui",
        action="delete",
        object_type="people.person",
        object_code=log[1].object_code,
        prev_hash=log[1].hash,
    )
    forged.hash = forged.compute_hash()
    forged.save(force_insert=True)

    [problem] = verify_chain()
    assert (problem.kind, problem.seqs) == (Kind.INSERTED, (3,))
    assert "the 4 entries after it were renumbered to make room" in problem.message
    status, output = verify_command()
    assert status == 1
    assert output.startswith("inserted: entry 3 was added")


def test_an_entry_inserted_before_the_first_is_reported(log, attacker):
    attacker("UPDATE audit_auditevent SET seq = seq + %s", [FAR])
    attacker("UPDATE audit_auditevent SET seq = seq - %s", [FAR - 1])
    forged = AuditEvent(seq=1, at=timezone.now(), action="login", prev_hash="0" * 64)
    forged.hash = forged.compute_hash()
    forged.save(force_insert=True)

    assert kinds(verify_chain()) == [(Kind.INSERTED, (1,))]


def swap(attacker, first: int, second: int) -> None:
    attacker("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", [FAR, first])
    attacker("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", [first, second])
    attacker("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", [second, FAR])


def test_a_reordered_pair_is_reported(log, attacker):
    swap(attacker, 3, 4)

    [problem] = verify_chain()
    assert (problem.kind, problem.seqs) == (Kind.REORDERED, (3, 4))
    status, output = verify_command()
    assert status == 1
    assert output.splitlines() == [
        "reordered: entries 3, 4 are out of order: 3 was written as 4, 4 was written as 3."
    ]


def test_a_pair_reordered_far_apart_is_reported(log, attacker):
    swap(attacker, 2, 5)

    assert kinds(verify_chain()) == [(Kind.REORDERED, (2, 5))]


@pytest.mark.parametrize("tampering", ["delete last", "rewrite all"])
def test_an_anchor_reveals_what_the_chain_alone_cannot(log, attacker, tampering):
    seq, digest = last_entry()
    if tampering == "delete last":
        attacker("DELETE FROM audit_auditevent WHERE seq = %s", [seq])
    else:
        # Rewrite entry 6 with a fresh hash: it is the end of the chain, so
        # nothing links to it and only the anchor tells.
        event = AuditEvent.objects.get(seq=seq)
        event.actor_name = "rui"
        attacker(
            "UPDATE audit_auditevent SET actor_name = %s, hash = %s WHERE seq = %s",
            ["rui", event.compute_hash(), seq],
        )
    assert verify_chain() == []

    problems = verify_chain(anchor=(seq, digest))
    expected = Kind.DELETED if tampering == "delete last" else Kind.ALTERED
    assert kinds(problems) == [(expected, (6,))]
    assert verify_command("--anchor", f"{seq}:{digest}")[0] == 1
