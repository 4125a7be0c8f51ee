"""Build a SQLite database of N synthetic incidents for the list-page benchmark.

    .venv/bin/python bench/generate.py 100000
    .venv/bin/python bench/generate.py 1000000 --database bench/out/bench-1000000.sqlite3

The schema comes from the project's own migrations and vocabularies (Django
``migrate`` and ``load_vocab``); the rows are then written with plain sqlite3
``executemany`` in one transaction, because the ORM is far too slow for a
million incidents. Every name is synthetic ("Synthetic Defender 48213"). The
same seed gives the same database.
"""

from __future__ import annotations

import argparse
import calendar
import io
import os
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
BATCH = 20_000
NOW = datetime(2026, 1, 1)  # a fixed "now" keeps the data reproducible
FIRST_YEAR, LAST_YEAR = 2000, 2025

# Sixty countries, most documented first; weights fall off as 1/rank, so the
# first few dominate (about 21 %, 11 %, 7 % ...) and the tail is thin.
# fmt: off
COUNTRIES = (
    "CN", "MX", "CO", "BR", "PH", "IN", "RU", "TR", "HN", "GT", "IR", "EG", "VN", "BY", "NI",
    "VE", "PK", "BD", "TH", "KH", "MM", "ID", "SA", "AE", "BH", "ZW", "UG", "KE", "CD", "BI",
    "SD", "ET", "NG", "CM", "TZ", "RW", "AZ", "KZ", "UZ", "TJ", "AF", "IQ", "SY", "LB", "TN",
    "DZ", "MA", "PE", "EC", "AR", "CL", "BO", "PY", "SV", "CU", "LK", "NP", "KG", "UA", "HK",
)
# fmt: on

# Relative weights of violation types; every other active term weighs 0.3.
# Leaf and mid-level terms both occur, as in real documentation.
VIOLATION_WEIGHTS = {
    "arrest": 14,
    "detention_imprisonment": 10,
    "judicial_harassment": 10,
    "threat": 8,
    "smear_campaign": 6,
    "death_threat": 5,
    "harassment": 5,
    "intimidation": 4,
    "surveillance_stalking": 4,
    "physical_assault": 4,
    "online_harassment": 4,
    "arbitrary_detention": 3,
    "attack_on_honour_or_reputation": 3,
    "travel_restriction_ban": 3,
    "raid_search_confiscation": 3,
    "summons_interrogation": 3,
    "labelling_as_foreign_agent_traitor_terrorist": 2,
    "house_arrest": 2,
    "slapp": 2,
    "administrative_harassment": 2,
    "residential_surveillance_designated_location": 1,
    "killing": 1.5,
    "torture": 1,
    "enforced_disappearance": 1,
    "sexual_violence": 1,
}
PERPETRATOR_WEIGHTS = {
    "police": 20,
    "judiciary_prosecution": 12,
    "relevant_authorities_unspecified": 10,
    "local_government": 8,
    "unknown": 8,
    "state": 5,
    "state_executive_national": 5,
    "intelligence_services": 5,
    "online_unknown_virtual": 4,
    "pro_government_groups": 3,
    "community_members": 3,
    "armed_forces": 2,
    "state_controlled_media": 2,
    "organised_crime": 2,
    "corporation_national": 2,
    "corporation_transnational": 1,
    "private_security": 1,
    "family_member": 1,
    "religious_leaders": 1,
}
OTHER_TERM_WEIGHT = 0.3
VERIFICATION_WEIGHTS = {
    "unverified": 30,
    "alleged": 30,
    "partially_verified": 15,
    "verified_two_independent_sources": 15,
    "confirmed_by_un_or_official": 5,
    "disputed": 5,
}
# Member organisations own the records; the first few own most of them.
MEMBERS = 30
INCIDENT_VISIBILITY = (("owner", "shared", "coalition", "public"), (50, 10, 35, 5))
PARTY_VISIBILITY = (("owner", "coalition"), (40, 60))
PRECISIONS = ("day", "month", "year", "unknown")
PRECISION_WEIGHTS = (60, 20, 15, 5)
ACTS_PER_INCIDENT = ((1, 2, 3), (60, 30, 10))  # mean 1.5
INVOLVEMENTS_PER_ACT = ((0, 1, 2), (25, 55, 20))  # mean 0.95
VICTIM_KINDS = (("person", "organisation", "group"), (75, 15, 10))
PERPETRATOR_KINDS = (("unknown", "organisation", "person"), (75, 15, 10))
GROUPS = (
    "staff of synthetic centre {n}",
    "members of synthetic network {n}",
    "participants in synthetic assembly {n}",
    "residents of synthetic village {n}",
)
# Encrypted fields of a person (contact, health ...): empty, so no ciphertext is needed.
ENCRYPTED_EMPTY = ("", "", "", "")
UNKNOWN_ACTORS = ("relevant authorities", "unidentified men", "unknown online accounts")
FILLER = (
    "This is synthetic text generated for a performance benchmark; it describes no real "
    "event, person or organisation. "
) * 12


# ---------------------------------------------------------------- helpers


class Picker:
    """Weighted random choice, done in batches (``random.choices`` with cumulative weights)."""

    def __init__(self, rng: random.Random, values: Sequence[Any], weights: Sequence[float]):
        self.rng = rng
        self.values = list(values)
        self.cum = list(accumulate(weights))
        self.buffer: list[Any] = []

    def __call__(self) -> Any:
        if not self.buffer:
            self.buffer = self.rng.choices(self.values, cum_weights=self.cum, k=4096)
        return self.buffer.pop()


def columns(spec: str) -> list[str]:
    """Column names from a space-separated list."""
    return spec.split()


def uuid_hex(rng: random.Random) -> str:
    """A version-4 UUID as Django stores a UUIDField on SQLite: 32 hex digits, no dashes."""
    bits = rng.getrandbits(128)
    bits &= ~(0xF000 << 64)
    bits |= 0x4000 << 64  # version 4
    bits &= ~(0xC000 << 48)
    bits |= 0x8000 << 48  # RFC 4122 variant
    return f"{bits:032x}"


def stamp(moment: datetime) -> str:
    """A DateTimeField value as Django writes it on SQLite (naive UTC text)."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def skewed_id(rng: random.Random, size: int) -> int:
    """An id in 1..size, low ids much more often (some victims recur in many incidents)."""
    return int(size * rng.random() ** 2) + 1


@dataclass
class Vocabularies:
    """Term ids by vocabulary code and term code, read from the migrated database."""

    terms: dict[str, dict[str, int]]

    @classmethod
    def read(cls, db: sqlite3.Connection) -> Vocabularies:
        terms: dict[str, dict[str, int]] = {}
        rows = db.execute(
            "SELECT v.code, t.code, t.id FROM vocab_term t "
            "JOIN vocab_vocabulary v ON v.id = t.vocabulary_id WHERE NOT t.deprecated"
        )
        for vocabulary, code, pk in rows:
            terms.setdefault(vocabulary, {})[code] = pk
        return cls(terms)

    def ids(self, vocabulary: str) -> list[int]:
        return list(self.terms[vocabulary].values())

    def weighted(self, rng: random.Random, vocabulary: str, weights: dict[str, float]) -> Picker:
        """A picker over every active term, favouring the listed ones."""
        known = self.terms[vocabulary]
        missing = set(weights) - set(known)
        if missing:
            raise SystemExit(f"{vocabulary}: terms {sorted(missing)} are not in the vocabulary")
        codes = list(known)
        return Picker(
            rng, [known[c] for c in codes], [weights.get(c, OTHER_TERM_WEIGHT) for c in codes]
        )


class Table:
    """Writes rows into one migrated table, checking our columns against the real ones.

    Columns of the table that we do not fill must be nullable or get a neutral
    value ('' or 0) so that a new migration does not silently break the bench.
    """

    def __init__(self, db: sqlite3.Connection, name: str, columns: Sequence[str]) -> None:
        info = {row[1]: row for row in db.execute(f'PRAGMA table_info("{name}")')}
        if not info:
            raise SystemExit(f"table {name} does not exist; did the migrations change?")
        unknown = [c for c in columns if c not in info]
        if unknown:
            raise SystemExit(f"{name}: no such columns {unknown}; update bench/generate.py")
        self.extra: dict[str, object] = {}
        for column, (_cid, _name, decl, notnull, default, pk) in info.items():
            if column in columns or not notnull or default is not None or pk:
                continue
            if column.endswith("_id"):
                raise SystemExit(f"{name}.{column}: a required reference; update generate.py")
            neutral: object = 0 if any(t in decl.lower() for t in ("int", "bool")) else ""
            print(f"  note: {name}.{column} is not generated; writing {neutral!r}")
            self.extra[column] = neutral
        self.extra_values = tuple(self.extra.values())
        all_columns = [*columns, *self.extra]
        quoted = ", ".join(f'"{column}"' for column in all_columns)
        marks = ", ".join("?" * len(all_columns))
        self.sql = f'INSERT INTO "{name}" ({quoted}) VALUES ({marks})'
        self.db = db
        self.rows: list[tuple[object, ...]] = []

    def add(self, row: tuple[object, ...]) -> None:
        self.rows.append(row + self.extra_values if self.extra_values else row)
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.db.executemany(self.sql, self.rows)
            self.rows = []


# ---------------------------------------------------------------- fuzzy dates

# date_from, date_to, date_precision, date_estimated as written to SQLite.
DateColumns = tuple[str | None, str | None, str, int]


@cache
def date_columns(
    year: int | None, month: int | None, day: int | None, estimated: bool
) -> DateColumns:
    """The four stored columns of a fuzzy date, via the project's own fuzzy_columns()."""
    from solidarity.core.models import fuzzy_columns
    from solidarity.lib.fuzzydate import FuzzyDate

    stored = fuzzy_columns(FuzzyDate(year, month, day, estimated=estimated))
    low, high, precision, flag = stored.values()
    return (
        low.isoformat() if isinstance(low, date) else None,
        high.isoformat() if isinstance(high, date) else None,
        str(precision),
        int(bool(flag)),
    )


UNKNOWN_DATE: DateColumns = (None, None, "unknown", 0)


class DateMaker:
    """Dates 2000-2025, more in recent years, with a day/month/year/unknown precision mix."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        years = list(range(FIRST_YEAR, LAST_YEAR + 1))
        self.year = Picker(rng, years, [1 + 0.15 * (y - FIRST_YEAR) for y in years])
        self.precision = Picker(rng, PRECISIONS, PRECISION_WEIGHTS)

    def __call__(self) -> tuple[str, int, int, int]:
        """(precision, year, month, day) of a new random date."""
        rng = self.rng
        year = self.year()
        month = rng.randint(1, 12)
        day = rng.randint(1, calendar.monthrange(year, month)[1])
        return self.precision(), year, month, day

    @staticmethod
    def columns(precision: str, year: int, month: int, day: int, estimated: bool) -> DateColumns:
        if precision == "day":
            return date_columns(year, month, day, estimated)
        if precision == "month":
            return date_columns(year, month, None, estimated)
        if precision == "year":
            return date_columns(year, None, None, estimated)
        return date_columns(None, None, None, estimated)


# ---------------------------------------------------------------- generation


def created_stamp(rng: random.Random, year: int, month: int, day: int, known: bool) -> str:
    """When the record was written: some days to a year after the event, never after NOW."""
    if known:
        moment = datetime(year, month, day) + timedelta(days=rng.randint(1, 400))
    else:
        moment = datetime(2010, 1, 1) + timedelta(days=rng.randint(0, 5800))
    moment += timedelta(seconds=rng.randint(0, 86_399), microseconds=rng.randint(0, 999_999))
    if moment > NOW:
        moment = NOW - timedelta(seconds=rng.randint(1, 30 * 86_400))
    return stamp(moment)


class Owners:
    """Which member organisation owns a record, and who else may see it."""

    def __init__(self, rng: random.Random, members: int) -> None:
        self.rng = rng
        self.members = members
        self.owner = Picker(rng, range(1, members + 1), [1 / r for r in range(1, members + 1)])
        self.incident_visibility = Picker(rng, *INCIDENT_VISIBILITY)
        self.party_visibility = Picker(rng, *PARTY_VISIBILITY)

    def others(self, owner: int) -> list[int]:
        """One to three other member organisations to share a record with."""
        count = min(self.rng.randint(1, 3), self.members - 1)
        choices = [m for m in range(1, self.members + 1) if m != owner]
        return self.rng.sample(choices, count)


def write_members(db: sqlite3.Connection, rng: random.Random, members: int) -> None:
    table = Table(db, "accounts_memberorganisation", columns("id code created_at updated_at name"))
    created = stamp(datetime(2015, 1, 1))
    for pk in range(1, members + 1):
        table.add((pk, uuid_hex(rng), created, created, f"Synthetic Member Organisation {pk}"))
    table.flush()


def write_parties(
    db: sqlite3.Connection,
    rng: random.Random,
    vocab: Vocabularies,
    owners: Owners,
    persons: int,
    orgs: int,
) -> None:
    sexes = vocab.weighted(rng, "sex", {"female": 80, "male": 15, "unknown": 3})
    org_types = vocab.weighted(rng, "organisation_types", {"ngo": 10, "womens_organisation": 5})
    country = Picker(rng, COUNTRIES, [1 / rank for rank in range(1, len(COUNTRIES) + 1)])
    table = Table(
        db,
        "people_person",
        columns(
            "id code created_at updated_at owner_id visibility display_name legal_name "
            "aliases pseudonym gender_identity nationality occupation notes sex_id "
            "confidential_notes contact health sexual_orientation"
        ),
    )
    for pk in range(1, persons + 1):
        created = stamp(datetime(2010, 1, 1) + timedelta(seconds=rng.randint(0, 500_000_000)))
        table.add(
            (
                pk,
                uuid_hex(rng),
                created,
                created,
                owners.owner(),
                owners.party_visibility(),
                f"Synthetic Defender {pk}",
                "",
                "",
                "",
                "",
                country(),
                "",
                "",
                sexes(),
                *ENCRYPTED_EMPTY,
            )
        )
    table.flush()
    table = Table(
        db,
        "people_organisation",
        columns(
            "id code created_at updated_at owner_id visibility name other_names country "
            "admin_area notes founded_from founded_to founded_precision founded_estimated "
            "org_type_id head_id"
        ),
    )
    for pk in range(1, orgs + 1):
        created = stamp(datetime(2010, 1, 1) + timedelta(seconds=rng.randint(0, 500_000_000)))
        table.add(
            (
                pk,
                uuid_hex(rng),
                created,
                created,
                owners.owner(),
                owners.party_visibility(),
                f"Synthetic Organisation {pk}",
                "",
                country(),
                "",
                "",
                *UNKNOWN_DATE,
                org_types(),
                None,
            )
        )
    table.flush()


def write_incidents(
    db: sqlite3.Connection,
    rng: random.Random,
    vocab: Vocabularies,
    owners: Owners,
    n: int,
    persons: int,
    orgs: int,
    progress: Callable[[int], None],
) -> tuple[int, int]:
    country = Picker(rng, COUNTRIES, [1 / rank for rank in range(1, len(COUNTRIES) + 1)])
    violation = vocab.weighted(rng, "violation_types", VIOLATION_WEIGHTS)
    perpetrator = vocab.weighted(rng, "perpetrator_types", PERPETRATOR_WEIGHTS)
    verification = vocab.weighted(rng, "verification_statuses", VERIFICATION_WEIGHTS)
    location = Picker(
        rng, [None, *vocab.ids("location_types")], [40] + [3] * len(vocab.ids("location_types"))
    )
    sphere = Picker(rng, [None, *vocab.ids("spheres")], [50] + [10] * len(vocab.ids("spheres")))
    relation = Picker(
        rng, [None, *vocab.ids("state_relations")], [60] + [8] * len(vocab.ids("state_relations"))
    )
    degree = Picker(
        rng,
        [None, *vocab.ids("degrees_of_involvement")],
        [60] + [8] * len(vocab.ids("degrees_of_involvement")),
    )
    acts_per = Picker(rng, *ACTS_PER_INCIDENT)
    involvements_per = Picker(rng, *INVOLVEMENTS_PER_ACT)
    victim_kind = Picker(rng, *VICTIM_KINDS)
    perpetrator_kind = Picker(rng, *PERPETRATOR_KINDS)
    confidentiality = Picker(rng, ("standard", "confidential", "strict"), (85, 12, 3))
    make_date = DateMaker(rng)

    incidents = Table(
        db,
        "incidents_incident",
        columns(
            "id code created_at updated_at title narrative country admin_area place "
            "related_laws confidentiality date_from date_to date_precision date_estimated "
            "end_date_from end_date_to end_date_precision end_date_estimated created_by_id "
            "location_type_id verification_status_id owner_id visibility public_summary "
            "confidential_notes"
        ),
    )
    shared_read = Table(
        db, "incidents_incident_shared_read", columns("incident_id memberorganisation_id")
    )
    shared_edit = Table(
        db, "incidents_incident_shared_edit", columns("incident_id memberorganisation_id")
    )
    acts = Table(
        db,
        "incidents_act",
        columns(
            "id position victim_kind victim_group victim_count consequences date_from "
            "date_to date_precision date_estimated end_date_from end_date_to "
            "end_date_precision end_date_estimated sphere_id victim_organisation_id "
            "victim_person_id violation_type_id incident_id"
        ),
    )
    involvements = Table(
        db,
        "incidents_involvement",
        columns(
            "id perpetrator_kind perpetrator_description act_id degree_id "
            "perpetrator_organisation_id perpetrator_person_id perpetrator_type_id "
            "state_relation_id"
        ),
    )
    # Records get their ids in the order they were written, as in real use: an
    # incident is documented some days to a year after it happened, so ids follow
    # dates loosely. (Random ids would give the date-ordered scans an unrealistic,
    # cache-hostile access pattern.)
    dated = []
    for _ in range(n):
        precision, year, month, day = make_date()
        known = precision != "unknown"
        dated.append((created_stamp(rng, year, month, day, known), precision, year, month, day))
    dated.sort()

    act_id = involvement_id = 0
    for pk, (created, precision, year, month, day) in enumerate(dated, start=1):
        estimated = rng.random() < 0.1
        when = DateMaker.columns(precision, year, month, day, estimated)
        known = precision != "unknown"
        end = UNKNOWN_DATE
        if known and rng.random() < 0.1:
            later = date(year, month, day) + timedelta(days=rng.randint(1, 200))
            end = DateMaker.columns("day", later.year, later.month, later.day, False)
        code = country()
        owner, visibility = owners.owner(), owners.incident_visibility()
        if visibility == "shared":
            others = owners.others(owner)
            for member in others:
                shared_read.add((pk, member))
            if rng.random() < 0.3:
                shared_edit.add((pk, others[0]))
        incidents.add(
            (
                pk,
                uuid_hex(rng),
                created,
                created,
                f"Synthetic incident {pk} ({code}, {year if known else 'date unknown'})",
                FILLER[: rng.randint(200, 1200)],
                code,
                "",
                "",
                "",
                confidentiality(),
                *when,
                *end,
                None,
                location(),
                verification(),
                owner,
                visibility,
                "",
                "",
            )
        )
        victim: tuple[str, int | None, int | None, str] | None = None
        for position in range(acts_per()):
            if victim is None or rng.random() < 0.4:
                kind = victim_kind()
                if kind == "person":
                    victim = (kind, skewed_id(rng, persons), None, "")
                elif kind == "organisation":
                    victim = (kind, None, skewed_id(rng, orgs), "")
                else:
                    group = rng.choice(GROUPS).format(n=rng.randint(1, 10_000))
                    victim = (kind, None, None, group)
            kind, person_id, org_id, group = victim
            act_id += 1
            acts.add(
                (
                    act_id,
                    position,
                    kind,
                    group,
                    rng.randint(2, 40) if kind == "group" else None,
                    "",
                    *when,
                    *UNKNOWN_DATE,
                    sphere(),
                    org_id,
                    person_id,
                    violation(),
                    pk,
                )
            )
            for _ in range(involvements_per()):
                involvement_id += 1
                who = perpetrator_kind()
                involvements.add(
                    (
                        involvement_id,
                        who,
                        rng.choice(UNKNOWN_ACTORS) if who == "unknown" else "",
                        act_id,
                        degree(),
                        skewed_id(rng, orgs) if who == "organisation" else None,
                        skewed_id(rng, persons) if who == "person" else None,
                        perpetrator(),
                        relation(),
                    )
                )
        if pk % 100_000 == 0:
            progress(pk)
    for table in (incidents, acts, involvements, shared_read, shared_edit):
        table.flush()
    return act_id, involvement_id


# ---------------------------------------------------------------- schema


def throwaway_encryption_key() -> None:
    """A fresh encryption key when none is configured (the system check requires one).

    The generated data holds no encrypted value (those fields are empty), so the
    key is never needed again.
    """
    if os.environ.get("SOLIDARITY_ENCRYPTION_KEYS") or os.environ.get(
        "SOLIDARITY_ENCRYPTION_KEYS_FILE"
    ):
        return
    try:
        from solidarity.lib.crypto import generate_key
    except ImportError:  # a version of the project without encryption at rest
        return
    os.environ["SOLIDARITY_ENCRYPTION_KEYS"] = generate_key()


def migrate(database: Path) -> None:
    """Create the schema and the vocabularies with the project's own commands."""
    with tempfile.TemporaryDirectory(prefix="solidarity-bench-") as var_dir:
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
        os.environ["SOLIDARITY_VAR_DIR"] = var_dir
        os.environ["DJANGO_SETTINGS_MODULE"] = "solidarity.settings"
        throwaway_encryption_key()
        import django
        from django.core.management import call_command
        from django.db import connections

        django.setup()
        call_command("migrate", verbosity=0, interactive=False)
        call_command("load_vocab", stdout=io.StringIO())
        connections.close_all()


BIG_TABLES = (
    "people_person",
    "people_organisation",
    "incidents_incident",
    "incidents_incident_shared_read",
    "incidents_incident_shared_edit",
    "incidents_act",
    "incidents_involvement",
)


def drop_indexes(db: sqlite3.Connection) -> list[str]:
    """Drop the secondary indexes of the big tables (rebuilt afterwards, much faster)."""
    marks = ", ".join("?" * len(BIG_TABLES))
    rows = db.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks})",
        BIG_TABLES,
    ).fetchall()
    for name, _sql in rows:
        db.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in rows]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of incidents")
    parser.add_argument("--database", type=Path, help="default: bench/out/bench-N.sqlite3")
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--members", type=int, default=MEMBERS, help="member organisations")
    parser.add_argument("--force", action="store_true", help="replace an existing database")
    parser.add_argument("--check", action="store_true", help="run foreign_key_check at the end")
    args = parser.parse_args(argv)
    database: Path = (args.database or BENCH_DIR / "out" / f"bench-{args.n}.sqlite3").resolve()
    if database.exists():
        if not args.force:
            raise SystemExit(f"{database} exists; use --force to replace it")
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    database.parent.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()

    def say(message: str) -> None:
        print(f"[{time.perf_counter() - started:7.1f} s] {message}", flush=True)

    say(f"migrating a new database at {database}")
    migrate(database)
    rng = random.Random(args.seed)
    persons, orgs = max(1, args.n // 2), max(1, args.n // 20)
    db = sqlite3.connect(database, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA cache_size = -1000000")  # 1 GB
        db.execute("PRAGMA temp_store = MEMORY")
        vocab = Vocabularies.read(db)
        db.execute("BEGIN")
        indexes = drop_indexes(db)
        say(f"writing {args.members} member organisations")
        write_members(db, rng, args.members)
        owners = Owners(rng, args.members)
        say(f"writing {persons:,} persons and {orgs:,} organisations")
        write_parties(db, rng, vocab, owners, persons, orgs)
        say(f"writing {args.n:,} incidents")
        acts, involvements = write_incidents(
            db,
            rng,
            vocab,
            owners,
            args.n,
            persons,
            orgs,
            progress=lambda done: say(f"  {done:,} incidents"),
        )
        say(f"wrote {args.n:,} incidents, {acts:,} acts, {involvements:,} involvements")
        say(f"rebuilding {len(indexes)} indexes")
        for sql in indexes:
            db.execute(sql)
        db.execute("COMMIT")
        say("ANALYZE")
        db.execute("ANALYZE")
        db.execute("PRAGMA journal_mode = WAL")  # as the application runs it
        if args.check:
            say("checking foreign keys")
            problems = db.execute("PRAGMA foreign_key_check").fetchmany(5)
            if problems:
                raise SystemExit(f"foreign key problems, e.g. {problems}")
    finally:
        db.close()
    size = database.stat().st_size / 1e6
    say(f"done in {time.perf_counter() - started:.0f} s: {database} ({size:,.0f} MB)")


if __name__ == "__main__":
    sys.exit(main())
