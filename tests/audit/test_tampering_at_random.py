"""Tampering of every shape, at random places, is reported with the right kind and numbers.

Seeded, so a failure names a case that can be run again. Only the newest entry
is spared where the chain alone cannot tell (see the anchor tests).
"""

import random

import pytest
from django.utils import timezone

from solidarity.audit.models import GENESIS, Action, AuditEvent
from solidarity.audit.services import record
from solidarity.audit.verify import Kind, verify_chain

LENGTH = 12
FAR = 1_000_000
SHAPES = [
    "alter",
    "alter and rehash",
    "delete",
    "delete and renumber",
    "insert",
    "swap",
    "rotate three",
]


def shift(attacker, first: int, by: int) -> None:
    """Renumber the entries from ``first`` on by ``by``, as an attacker must (seq is unique)."""
    attacker("UPDATE audit_auditevent SET seq = seq + %s WHERE seq >= %s", [FAR, first])
    attacker("UPDATE audit_auditevent SET seq = seq - %s WHERE seq >= %s", [FAR - by, FAR])


def tamper(shape: str, rng: random.Random, attacker) -> tuple[Kind, tuple[int, ...]]:
    if shape == "alter":
        seq = rng.randint(1, LENGTH)
        attacker("UPDATE audit_auditevent SET action = 'delete' WHERE seq = %s", [seq])
        return Kind.ALTERED, (seq,)
    if shape == "alter and rehash":
        seq = rng.randint(1, LENGTH - 1)
        event = AuditEvent.objects.get(seq=seq)
        event.actor_name = "someone else"
        attacker(
            "UPDATE audit_auditevent SET actor_name = %s, hash = %s WHERE seq = %s",
            [event.actor_name, event.compute_hash(), seq],
        )
        return Kind.ALTERED, (seq,)
    if shape == "delete":
        first = rng.randint(1, LENGTH - 1)
        last = rng.randint(first, min(first + 2, LENGTH - 1))
        attacker("DELETE FROM audit_auditevent WHERE seq BETWEEN %s AND %s", [first, last])
        return Kind.DELETED, tuple(range(first, last + 1))
    if shape == "delete and renumber":
        seq = rng.randint(1, LENGTH - 1)
        attacker("DELETE FROM audit_auditevent WHERE seq = %s", [seq])
        shift(attacker, seq + 1, -1)
        return Kind.DELETED, (seq,)
    if shape == "insert":
        seq = rng.randint(1, LENGTH)
        before = AuditEvent.objects.filter(seq=seq - 1).values_list("hash", flat=True).first()
        shift(attacker, seq, 1)
        forged = AuditEvent(
            seq=seq, at=timezone.now(), action=Action.EXPORT, prev_hash=before or GENESIS
        )
        forged.hash = forged.compute_hash()
        forged.save(force_insert=True)
        return Kind.INSERTED, (seq,)
    seqs = sorted(rng.sample(range(1, LENGTH + 1), 2 if shape == "swap" else 3))
    # Each entry takes the next one's number; the last takes the first's.
    for seq in seqs:
        attacker("UPDATE audit_auditevent SET seq = seq + %s WHERE seq = %s", [FAR, seq])
    for seq, new in zip(seqs, [*seqs[1:], seqs[0]], strict=True):
        attacker("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", [new, seq + FAR])
    return Kind.REORDERED, tuple(seqs)


@pytest.mark.parametrize("seed", range(60))
def test_random_tampering_is_reported_with_its_kind_and_numbers(seed, attacker):
    rng = random.Random(seed)
    shape = SHAPES[seed % len(SHAPES)]
    for number in range(LENGTH):
        record(actor=None, action=Action.UPDATE, detail={"n": number})
    assert verify_chain() == []

    expected = tamper(shape, rng, attacker)

    problems = verify_chain()
    assert [(problem.kind, problem.seqs) for problem in problems] == [expected], (
        shape,
        [str(problem) for problem in problems],
    )
