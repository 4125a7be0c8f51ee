"""Checking the chain: which events were altered, deleted, inserted or reordered.

Every event stores ``hash``, the SHA-256 of its content (its ``seq`` included)
and of ``prev_hash``, the hash of the event before it; the first event's
``prev_hash`` is 64 zeros.

First pass (streaming, in ``seq`` order): an event is *suspect* when its content
no longer gives its hash, when its ``prev_hash`` is not the hash of the event
before it, or when its ``seq`` skips numbers. An intact log has no suspect and
the check ends there.

Second pass: the suspects are explained by following links through the
database. An event's *origin* is the number at which its content gives its
stored hash: its own ``seq``; else the origin of the event its ``prev_hash``
names, plus one; else a number up to ``SEARCH`` places away. Then:

- **altered**: no number gives the event's hash, so its content was changed
  after it was written. Also an event that was changed and given a fresh hash:
  the event after it then names a hash that no event has, while no number is
  missing and the event after it is itself intact.
- **deleted**: an event names a predecessor that no event has, and numbers are
  missing before it (those are reported); or its origin shows that the events
  after the deleted one were renumbered to close the gap (the original numbers
  are reported).
- **inserted**: an event names a predecessor further back than the event before
  it, and an event in between hangs off the chain: it names the same
  predecessor as another event, and no event names it. The events after it,
  renumbered to make room, are counted in the same problem rather than
  reported one by one.
- **reordered**: events whose origin is not their ``seq`` and which trade places
  among themselves; a swap is one problem carrying both numbers. Renumbered
  events that no insertion or deletion explains are reported as reordered too.

Any tampering makes at least one event suspect, so it is always reported; the
rules above name its kind. Combined or unusual tampering may be named less
precisely (for instance every renumbered event after a change as altered).

What a chain cannot show: someone who can write to the database and knows this
scheme can rewrite every event from some point on with fresh hashes, or cut off
the newest events, and the chain will look intact. Keep the last hash that
``solidarity audit verify`` prints somewhere outside the server and pass it back
with ``--anchor SEQ:HASH``; a rewrite or truncation up to that entry is then
reported.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple

from django.db.models import Exists, OuterRef, QuerySet

from solidarity.audit.models import GENESIS, AuditEvent, chain_hash

CHUNK_SIZE = 2000
SEARCH = 16
"""How far from its ``seq`` an event's origin is looked for when links do not tell."""
MAX_DEPTH = 100


class Kind(StrEnum):
    ALTERED = "altered"
    DELETED = "deleted"
    INSERTED = "inserted"
    REORDERED = "reordered"


@dataclass(frozen=True)
class Problem:
    kind: Kind
    seqs: tuple[int, ...]
    message: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"


class Row(NamedTuple):
    """An event as stored, without building a model instance."""

    seq: int
    at: datetime
    actor_id: int | None
    actor_name: str
    action: str
    object_type: str
    object_code: str
    changes: Any
    detail: Any
    prev_hash: str
    hash: str

    def hash_at(self, seq: int) -> str:
        """The hash this event's content would have if it were number ``seq``."""
        content = self._asdict()
        del content["hash"]
        content["seq"] = seq
        return chain_hash(**content)

    @property
    def intact(self) -> bool:
        return self.hash_at(self.seq) == self.hash


def rows(queryset: QuerySet[AuditEvent]) -> Iterator[Row]:
    for values in queryset.values_list(*Row._fields).iterator(chunk_size=CHUNK_SIZE):
        yield Row(*values)


def _first(queryset: QuerySet[AuditEvent]) -> Row | None:
    return next(rows(queryset.order_by("seq")[:1]), None)


def verify_chain(*, anchor: tuple[int, str] | None = None) -> list[Problem]:
    """Every problem in the log, in order; an empty list when the chain is intact.

    ``anchor`` is a (seq, hash) pair noted down earlier, outside the database.
    """
    suspects: list[tuple[Row, Row | None]] = []
    previous: Row | None = None
    for row in rows(AuditEvent.objects.order_by("seq")):
        expected_prev, expected_seq = (
            (previous.hash, previous.seq + 1) if previous else (GENESIS, 1)
        )
        if row.prev_hash != expected_prev or row.seq != expected_seq or not row.intact:
            suspects.append((row, previous))
        previous = row
    problems = _Explanation().explain(suspects) if suspects else []
    if anchor is not None:
        problems += _check_anchor(*anchor)
    return sorted(problems, key=lambda problem: problem.seqs)


def last_entry() -> tuple[int, str] | None:
    """The newest event's (seq, hash): the anchor to keep outside the database."""
    return AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()


def _check_anchor(seq: int, digest: str) -> list[Problem]:
    stored = AuditEvent.objects.filter(seq=seq).values_list("hash", flat=True).first()
    if stored is None:
        message = f"entry {seq}, noted down earlier, is missing: the log was cut short."
        return [Problem(Kind.DELETED, (seq,), message)]
    if stored != digest:
        message = f"entry {seq} no longer has the hash noted down for it: the log was rewritten."
        return [Problem(Kind.ALTERED, (seq,), message)]
    return []


def _numbers(seqs: list[int] | tuple[int, ...]) -> str:
    if len(seqs) == 1:
        return f"entry {seqs[0]}"
    return "entries " + ", ".join(str(seq) for seq in seqs)


class _Explanation:
    """The second pass: names the kind of each problem among the suspects."""

    def __init__(self) -> None:
        self._by_hash: dict[str, Row | None] = {}
        self._origins: dict[int, int | None] = {}
        self.altered: set[int] = set()
        self.inserted: set[int] = set()
        self.deleted: list[tuple[int, ...]] = []
        self.moved: dict[int, int] = {}  # seq -> origin

    def explain(self, suspects: list[tuple[Row, Row | None]]) -> list[Problem]:
        for row, previous in suspects:
            origin = self.origin(row)
            if origin is None:
                self.altered.add(row.seq)
            elif origin != row.seq:
                self.moved[row.seq] = origin
            if row.prev_hash != (previous.hash if previous else GENESIS):
                self._broken_link(row, previous, origin)
        return self._problems()

    def event_with_hash(self, digest: str) -> Row | None:
        if digest not in self._by_hash:
            self._by_hash[digest] = _first(AuditEvent.objects.filter(hash=digest))
        return self._by_hash[digest]

    def origin(self, row: Row, depth: int = 0) -> int | None:
        """The number at which the event's content gives its hash, if any."""
        if row.seq in self._origins:
            return self._origins[row.seq]
        if row.intact:
            self._origins[row.seq] = row.seq
            return row.seq
        self._origins[row.seq] = None  # breaks loops of forged links
        for candidate in self._candidates(row, depth):
            if candidate >= 1 and row.hash_at(candidate) == row.hash:
                self._origins[row.seq] = candidate
                break
        return self._origins[row.seq]

    def _candidates(self, row: Row, depth: int) -> Iterator[int]:
        if row.prev_hash == GENESIS:
            yield 1
        elif depth < MAX_DEPTH and (named := self.event_with_hash(row.prev_hash)) is not None:
            named_origin = self.origin(named, depth + 1)
            if named_origin is not None:
                yield named_origin + 1
        for distance in range(1, SEARCH + 1):
            yield row.seq - distance
            yield row.seq + distance

    def _broken_link(self, row: Row, previous: Row | None, origin: int | None) -> None:
        previous_seq = previous.seq if previous else 0
        if row.prev_hash == GENESIS:
            named_seq = 0
        else:
            named = self.event_with_hash(row.prev_hash)
            if named is None:
                self._lost_predecessor(row, previous, origin)
                return
            named_seq = named.seq
        if named_seq < previous_seq:
            self.inserted.update(self._branches_between(named_seq, row.seq))

    def _lost_predecessor(self, row: Row, previous: Row | None, origin: int | None) -> None:
        """The event names a predecessor that no event has."""
        previous_seq = previous.seq if previous else 0
        if row.seq - previous_seq > 1:
            self.deleted.append(tuple(range(previous_seq + 1, row.seq)))
        elif origin is None:
            pass  # the event itself was altered (its prev_hash with it): reported as such
        elif origin == row.seq and previous is not None:
            # Nothing missing and this event intact: the one before was
            # changed, then given a fresh hash.
            self.altered.add(previous.seq)
        else:
            shift = origin - row.seq
            if previous is not None and (previous_origin := self.origin(previous)) is not None:
                shift -= previous_origin - previous.seq
            first = origin - max(shift, 1)
            self.deleted.append(tuple(range(first, origin)))

    def _branches_between(self, low: int, high: int) -> list[int]:
        """Events numbered between ``low`` and ``high`` that hang off the chain.

        Such an event names the same predecessor as another event, and no event
        names it. (The newest event is named by none either, but shares its
        predecessor with no other.)
        """
        followed = AuditEvent.objects.filter(prev_hash=OuterRef("hash"))
        sibling = AuditEvent.objects.filter(prev_hash=OuterRef("prev_hash")).exclude(
            pk=OuterRef("pk")
        )
        return list(
            AuditEvent.objects.filter(seq__gt=low, seq__lt=high)
            .exclude(Exists(followed))
            .filter(Exists(sibling))
            .values_list("seq", flat=True)
        )

    def _problems(self) -> list[Problem]:
        cycles, shifted = self._cycles()
        causes = sorted(
            [
                *((seqs, Kind.DELETED) for seqs in self.deleted),
                *(((seq,), Kind.INSERTED) for seq in self.inserted),
            ]
        )
        renumbered: dict[tuple[tuple[int, ...], Kind], int] = {}
        unexplained: list[int] = []
        for seq in shifted:
            earlier = [cause for cause in causes if cause[0][0] <= seq]
            if earlier:
                renumbered[earlier[-1]] = renumbered.get(earlier[-1], 0) + 1
            else:
                unexplained.append(seq)

        problems = [
            Problem(Kind.ALTERED, (seq,), f"entry {seq} is not as it was written.")
            for seq in sorted(self.altered - self.inserted)
        ]
        for seqs, kind in causes:
            if kind == Kind.DELETED:
                message = f"{_numbers(seqs)} {'is' if len(seqs) == 1 else 'are'} missing"
                purpose = "to close the gap"
            else:
                message = f"entry {seqs[0]} was added: the chain does not pass through it"
                purpose = "to make room"
            if count := renumbered.get((seqs, kind)):
                later = (
                    "the entry after it was" if count == 1 else f"the {count} entries after it were"
                )
                message += f" ({later} renumbered {purpose})"
            problems.append(Problem(kind, seqs, message + "."))
        for cycle in cycles:
            moves = ", ".join(f"{seq} was written as {self.moved[seq]}" for seq in cycle)
            problems.append(
                Problem(Kind.REORDERED, cycle, f"{_numbers(cycle)} are out of order: {moves}.")
            )
        for seq in unexplained:
            problems.append(
                Problem(
                    Kind.REORDERED,
                    (seq,),
                    f"entry {seq} was renumbered: it was written as {self.moved[seq]}.",
                )
            )
        return problems

    def _cycles(self) -> tuple[list[tuple[int, ...]], list[int]]:
        """Moved events that trade places (cycles), and those merely shifted."""
        cycles: list[tuple[int, ...]] = []
        shifted: list[int] = []
        visited: set[int] = set()
        for start in sorted(self.moved):
            if start in visited:
                continue
            path = [start]
            visited.add(start)
            seq = self.moved[start]
            while seq in self.moved and seq not in visited:
                path.append(seq)
                visited.add(seq)
                seq = self.moved[seq]
            if seq == start:
                cycles.append(tuple(sorted(path)))
            else:
                shifted.extend(path)
        return cycles, sorted(shifted)
