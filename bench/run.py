"""Time the incident list at scale: the raw SQL, the ORM query, and the rendered page.

    .venv/bin/python bench/run.py --database bench/out/bench-1000000.sqlite3 --repeat 30

For each scenario (a set of list filters) it measures, after a warm-up and
interleaved so that machine noise falls on all four alike:

raw   the exact SQL statements the view's queryset executed (count and page
      rows), run with Python's sqlite3 module on one open connection;
orm   ``search_incidents`` + ``Paginator.count`` + the page's rows, as the
      view runs them (connection already open);
page  ``GET /incidents/?...`` through Django's test Client as a documenter,
      on a fresh database connection as in production (CONN_MAX_AGE=0);
htmx  the same GET as htmx sends it when a filter changes (``HX-Request``):
      the view then renders only the results, not the filter form.

Then it times ``save_incident`` with 1,000 acts. The database is the one made
by bench/generate.py; this script adds a user (documenter of the member
organisation owning the most incidents), sessions, audit events, and (briefly)
the saved incidents to it.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

if TYPE_CHECKING:
    from django.test import Client

    from solidarity.accounts.models import User
    from solidarity.vocab.models import Term

BENCH_DIR = Path(__file__).resolve().parent
PER_PAGE = 25  # as in incidents.views.incident_list
P95_TARGET_MS = 300.0
RATIO_TARGET = 3.0
SAVE_TARGET_MS = 2000.0
BENCH_USER = "bench-documenter"
HTMX = {"HX-Request": "true", "HX-Target": "results"}

Statement = tuple[str, Sequence[Any]]


# ---------------------------------------------------------------- timing


@dataclass
class Timings:
    samples: list[float] = field(default_factory=list)  # milliseconds

    def add(self, started: float) -> None:
        self.samples.append((time.perf_counter() - started) * 1000)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        """Nearest-rank 95th percentile."""
        ordered = sorted(self.samples)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass
class Scenario:
    key: str
    label: str
    query: dict[str, str]
    in_targets: bool = True
    baseline: bool = False
    matches: int = 0
    statements: list[Statement] = field(default_factory=list)
    page_queries: int = 0
    raw: Timings = field(default_factory=Timings)
    orm: Timings = field(default_factory=Timings)
    page: Timings = field(default_factory=Timings)
    htmx: Timings = field(default_factory=Timings)
    raw_each: list[Timings] = field(default_factory=list)

    def all_timings(self) -> list[Timings]:
        return [self.raw, self.orm, self.page, self.htmx, *self.raw_each]

    @property
    def url(self) -> str:
        return "/incidents/" + (f"?{urlencode(self.query)}" if self.query else "")

    def met(self) -> bool:
        return self.page.p95 < P95_TARGET_MS and self.page.median <= RATIO_TARGET * self.raw.median


# ---------------------------------------------------------------- Django


def setup_django(database: Path, var_dir: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["SOLIDARITY_VAR_DIR"] = var_dir
    os.environ["SOLIDARITY_ALLOWED_HOSTS"] = "testserver"
    os.environ["SOLIDARITY_DEBUG"] = "0"  # DEBUG would record every query
    os.environ["DJANGO_SETTINGS_MODULE"] = "solidarity.settings"
    from generate import throwaway_encryption_key

    throwaway_encryption_key()
    import django

    django.setup()


class Recorder:
    """An execute wrapper that keeps the SQL and parameters Django sends to SQLite."""

    def __init__(self) -> None:
        self.statements: list[Statement] = []

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict
    ) -> Any:
        self.statements.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)


def recorded(action: Callable[[], object]) -> list[Statement]:
    from django.db import connection

    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        action()
    return recorder.statements


def bench_user(db: sqlite3.Connection) -> tuple[User, str]:
    """A documenter of the member organisation that owns the most incidents.

    Not a superuser: superusers see records only through their memberships like
    everyone else, and are sent to set up TOTP before anything else (as are
    coordinators), which the test client cannot do.
    """
    from django.contrib.auth import get_user_model

    from solidarity.accounts.models import MemberOrganisation, Membership, Role

    user, created = get_user_model().objects.get_or_create(username=BENCH_USER)
    if created:
        user.set_unusable_password()
        user.save()
    owner_id, owned = db.execute(
        "SELECT owner_id, count(*) FROM incidents_incident GROUP BY owner_id "
        "ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    organisation = MemberOrganisation.objects.get(pk=owner_id)
    Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": Role.DOCUMENTER}
    )
    return user, f"{BENCH_USER}, documenter of {organisation} (owner of {owned:,} incidents)"


def forget_roles(user: User) -> None:
    """Drop the memberships that accounts.access caches on the user object."""
    for name in [n for n in vars(user) if n.startswith("_solidarity")]:
        delattr(user, name)


def term(vocabulary: str, code: str) -> Term:
    from solidarity.vocab.models import Term

    return Term.objects.of(vocabulary).get(code=code)


def scenarios(top_country: str) -> list[Scenario]:
    detention = str(term("violation_types", "arbitrary_detention").pk)
    state = str(term("perpetrator_types", "state").pk)
    femicide = str(term("violation_types", "femicide").pk)
    return [
        Scenario(
            "a",
            f"country {top_country} + 2016-03..2016-06",
            {"country": top_country, "date_from": "2016-03", "date_to": "2016-06"},
        ),
        Scenario("b", "violation arbitrary_detention (+children)", {"violation_type": detention}),
        Scenario(
            "c",
            "perpetrator state (+children) + victim organisation",
            {"perpetrator_type": state, "victim_kind": "organisation"},
        ),
        Scenario("d", "no filter, first page", {}),
        Scenario(
            "e", "arbitrary_detention, page 200", {"violation_type": detention, "page": "200"}
        ),
        Scenario("f", "title contains '12345' (extra)", {"q": "12345"}, in_targets=False),
        Scenario(
            "g",
            "violation femicide, a rare type (extra)",
            {"violation_type": femicide},
            in_targets=False,
        ),
        Scenario(
            "h",
            "2016-03..2016-06, any country (extra)",
            {"date_from": "2016-03", "date_to": "2016-06"},
            in_targets=False,
        ),
        Scenario(
            "z",
            "country with no incidents (fixed cost)",
            {"country": "FR"},
            in_targets=False,
            baseline=True,
        ),
    ]


def orm_runner(user: User, query: dict[str, str]) -> Callable[[], int]:
    """The queryset work of incidents.views.incident_list, without the template."""
    from django.http import QueryDict

    from solidarity.core.pagination import CappedPaginator
    from solidarity.incidents import services
    from solidarity.incidents.forms import IncidentFilterForm

    data = QueryDict(urlencode(query))
    form = IncidentFilterForm(data or None)
    if form.is_bound and not form.is_valid():
        raise SystemExit(f"invalid filters {query}: {form.errors.as_text()}")
    filters = form.filters() if form.is_bound else services.IncidentFilters()

    def run() -> int:
        forget_roles(user)  # the view reads them afresh on every request
        incidents = services.search_incidents(user=user, filters=filters)
        page = CappedPaginator(incidents, per_page=PER_PAGE).get_page(query.get("page"))
        list(page.object_list)
        return page.paginator.count

    return run


# ---------------------------------------------------------------- raw sqlite3


def raw_connection(database: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection set up like Django's (pragmas and SQL functions)."""
    from django.db.backends.sqlite3._functions import register

    db = sqlite3.connect(database, isolation_level=None)
    db.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;")
    register(db)
    return db


def qmark(sql: str) -> str:
    """Django's %s placeholders as sqlite3's ?, exactly as Django's SQLite cursor does."""
    from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX

    return FORMAT_QMARK_REGEX.sub("?", sql).replace("%%", "%")


# ---------------------------------------------------------------- measuring


def measure(
    scenario: Scenario,
    user: User,
    client: Client,
    db: sqlite3.Connection,
    repeat: int,
    warmup: int,
) -> None:
    from django.db import connection

    from solidarity.core.pagination import COUNT_CAP

    run_orm = orm_runner(user, scenario.query)
    connection.ensure_connection()
    scenario.statements = recorded(run_orm)
    scenario.matches = run_orm()
    statements = [(qmark(sql), params) for sql, params in scenario.statements]
    scenario.raw_each = [Timings() for _ in statements]

    page_statements = recorded(lambda: client.get(scenario.url))
    scenario.page_queries = len(page_statements)
    missing = [s for s in scenario.statements if s not in page_statements]
    if missing:
        print(f"  warning: the view did not run {len(missing)} statement(s) of the ORM step")

    # The raw statements find what the ORM found (the paginator's count comes last).
    counts = [(sql, params) for sql, params in statements if sql.startswith("SELECT COUNT(*)")]
    if counts and (found := db.execute(*counts[-1]).fetchone()[0]) != scenario.matches:
        raise SystemExit(f"{scenario.url}: raw count {found}, ORM count {scenario.matches}")

    def raw() -> None:
        started = time.perf_counter()
        for index, (sql, params) in enumerate(statements):
            one = time.perf_counter()
            db.execute(sql, params).fetchall()
            scenario.raw_each[index].add(one)
        scenario.raw.add(started)

    def orm() -> None:
        connection.ensure_connection()
        started = time.perf_counter()
        run_orm()
        scenario.orm.add(started)

    def page(timings: Timings, headers: dict[str, str]) -> None:
        connection.close()  # production opens a connection per request (CONN_MAX_AGE=0)
        started = time.perf_counter()
        response = client.get(scenario.url, headers=headers)
        timings.add(started)
        if response.status_code != 200:
            raise SystemExit(f"{scenario.url} answered {response.status_code}")

    def once() -> None:
        raw()
        orm()
        page(scenario.page, {})
        page(scenario.htmx, HTMX)

    for _ in range(warmup):
        once()
    for timings in scenario.all_timings():
        timings.samples.clear()
    for _ in range(repeat):
        once()

    response = client.get(scenario.url)
    # The list counts up to COUNT_CAP and then says "More than COUNT_CAP incidents".
    shown = (
        f"More than {COUNT_CAP} incidents"
        if scenario.matches > COUNT_CAP
        else f"{scenario.matches} incident"
    )
    if shown.encode() not in response.content:
        raise SystemExit(f"{scenario.url}: the page does not show '{shown}'")


def connect_cost(repeat: int) -> Timings:
    """Opening a Django SQLite connection (init_command pragmas, functions)."""
    from django.db import connection

    timings = Timings()
    for _ in range(repeat):
        connection.close()
        started = time.perf_counter()
        connection.ensure_connection()
        timings.add(started)
    return timings


@dataclass
class SaveResult:
    create: Timings
    update: Timings


def measure_save(user: User, acts: int, repeat: int) -> SaveResult:
    """save_incident with ``acts`` group-victim acts of one involvement each."""
    from solidarity.incidents import services
    from solidarity.incidents.models import Incident, PerpetratorKind, VictimKind
    from solidarity.lib.fuzzydate import FuzzyDate

    arrest = term("violation_types", "arrest")
    police = term("perpetrator_types", "police")

    def inputs(ids: Sequence[int | None]) -> list[services.ActInput]:
        return [
            services.ActInput(
                id=pk,
                victim=services.PartyRef(kind=VictimKind.GROUP, name=f"synthetic group {i}"),
                violation_type=arrest,
                date=FuzzyDate(2016, 3),
                involvements=[
                    services.InvolvementInput(
                        perpetrator=services.PartyRef(
                            kind=PerpetratorKind.UNKNOWN, name="relevant authorities"
                        ),
                        perpetrator_type=police,
                    )
                ],
            )
            for i, pk in enumerate(ids)
        ]

    def save(incident: Incident, ids: Sequence[int | None], timings: Timings) -> None:
        data = inputs(ids)
        started = time.perf_counter()
        services.save_incident(user=user, incident=incident, context_tags=[], acts=data, sources=[])
        timings.add(started)

    def new_incident() -> Incident:
        incident = Incident(title="Synthetic benchmark incident with many acts", country="CN")
        incident.date = FuzzyDate(2016, 3, 29)
        return incident

    result = SaveResult(Timings(), Timings())
    for _ in range(repeat):
        incident = new_incident()
        save(incident, [None] * acts, result.create)
        incident.delete()
    incident = new_incident()
    save(incident, [None] * acts, Timings())
    ids = list(incident.acts.order_by("position").values_list("pk", flat=True))
    for _ in range(repeat):
        save(incident, ids, result.update)
    incident.delete()
    return result


# ---------------------------------------------------------------- report


def machine(database: Path, db: sqlite3.Connection) -> list[str]:
    import django

    import solidarity

    def count(table: str) -> int:
        return db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]

    package = Path(solidarity.__file__).resolve().parent
    revision = "not this checkout"
    git = shutil.which("git")
    if git and package.is_relative_to(BENCH_DIR.parent):
        describe = subprocess.run(  # noqa: S603 (fixed arguments)
            [git, "describe", "--always", "--dirty"],
            cwd=BENCH_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
        revision = describe.stdout.strip() or "unknown"
    return [
        f"database   {database} ({database.stat().st_size / 1e6:,.0f} MB)",
        f"rows       {count('incidents_incident'):,} incidents, {count('incidents_act'):,} acts, "
        f"{count('incidents_involvement'):,} involvements",
        f"machine    {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, "
        f"{platform.system()} {platform.release()}, {load()}",
        f"software   Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"Django {django.get_version()}",
        f"code       {package} (git {revision})",
    ]


def load() -> str:
    """The load average: other work on the machine makes the timings noisy."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [
            cell.ljust(w) if i < 2 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def report(results: list[Scenario]) -> str:
    rows = [
        [
            "",
            "scenario",
            "matches",
            "raw med",
            "raw p95",
            "orm med",
            "orm p95",
            "page med",
            "page p95",
            "orm/raw",
            "page/raw",
            "target",
            "htmx med",
            "htmx p95",
            "queries",
        ]
    ]
    for s in results:
        verdict = "met" if s.met() else "NOT MET"
        rows.append(
            [
                s.key,
                s.label,
                f"{s.matches:,}",
                f"{s.raw.median:.1f}",
                f"{s.raw.p95:.1f}",
                f"{s.orm.median:.1f}",
                f"{s.orm.p95:.1f}",
                f"{s.page.median:.1f}",
                f"{s.page.p95:.1f}",
                ratio(s.orm.median, s.raw.median),
                ratio(s.page.median, s.raw.median),
                "baseline" if s.baseline else verdict if s.in_targets else f"({verdict})",
                f"{s.htmx.median:.1f}",
                f"{s.htmx.p95:.1f}",
                str(s.page_queries),
            ]
        )
    return table(rows)


def ratio(part: float, whole: float) -> str:
    return f"{part / whole:.2f}" if whole >= 0.05 else "-"


def details(results: list[Scenario], db: sqlite3.Connection, explain: bool) -> str:
    lines = []
    for s in results:
        lines.append(f"{s.key}  {s.url}")
        for (sql, params), timings in zip(s.statements, s.raw_each, strict=True):
            kind = "count" if "COUNT(" in sql.upper() else "rows "
            lines.append(f"   {kind} raw median {timings.median:8.1f} ms  p95 {timings.p95:8.1f}")
            if explain:
                shown = tuple(repr(str(p) if isinstance(p, str) else p) for p in params)
                lines.append(f"      {sql % shown}")
                plan = db.execute(f"EXPLAIN QUERY PLAN {qmark(sql)}", params).fetchall()
                lines.extend(f"      plan: {row[-1]}" for row in plan)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument(
        "--extra-repeat",
        type=int,
        default=5,
        help="repeats for the extra scenarios f, g, h and z (f is slow)",
    )
    parser.add_argument("--only", default="", help="scenario keys to run, e.g. 'abc'")
    parser.add_argument("--save-acts", type=int, default=1000)
    parser.add_argument("--save-repeat", type=int, default=5)
    parser.add_argument("--no-save", action="store_true", help="skip the save_incident timing")
    parser.add_argument("--explain", action="store_true", help="print SQL and query plans")
    args = parser.parse_args(argv)
    database = args.database.resolve()
    if not database.exists():
        raise SystemExit(f"{database} does not exist; run bench/generate.py first")

    with tempfile.TemporaryDirectory(prefix="solidarity-bench-") as var_dir:
        setup_django(database, var_dir)
        from django.test import Client

        db = raw_connection(database)
        print("\n".join(machine(database, db)))
        print(
            f"settings   repeat {args.repeat} ({args.extra_repeat} for f-h, z) after "
            f"{args.warmup} warm-up, {PER_PAGE} per page; times in ms",
            flush=True,
        )
        user, who = bench_user(db)
        print(f"user       {who}\n", flush=True)
        client = Client()
        client.force_login(user)
        top_country = db.execute(
            "SELECT country FROM incidents_incident GROUP BY country ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
        results = []
        for scenario in scenarios(top_country):
            if args.only and scenario.key not in args.only:
                continue
            print(f"{scenario.key}  {scenario.label} ...", flush=True)
            repeat = args.repeat if scenario.in_targets else min(args.repeat, args.extra_repeat)
            measure(scenario, user, client, db, repeat, min(args.warmup, repeat))
            results.append(scenario)

        print()
        print(report(results))
        connect = connect_cost(max(args.repeat, 10))
        print(f"\nmachine {load()} at the end of the list timings")
        print(
            f"opening a Django connection (in 'page', not in 'orm'): median "
            f"{connect.median:.1f} ms, p95 {connect.p95:.1f} ms"
        )
        print("\nraw time per statement:")
        print(details(results, db, args.explain))
        targeted = [s for s in results if s.in_targets]
        if targeted:
            failed = [s.key for s in targeted if not s.met()]
            print(
                f"\nlist targets (page p95 < {P95_TARGET_MS:.0f} ms and page/raw <= "
                f"{RATIO_TARGET:.0f}): " + ("met" if not failed else f"NOT MET for {failed}")
            )

        if not args.no_save:
            save = measure_save(user, args.save_acts, args.save_repeat)
            verdict = "met" if save.create.median < SAVE_TARGET_MS else "NOT MET"
            print(
                f"\nsave_incident with {args.save_acts:,} acts (new incident), "
                f"{args.save_repeat} runs: median {save.create.median:.0f} ms, "
                f"max {max(save.create.samples):.0f} ms  "
                f"(target < {SAVE_TARGET_MS:.0f} ms: {verdict})"
            )
            verdict = "met" if save.update.median < SAVE_TARGET_MS else "NOT MET"
            print(
                f"save_incident again with the same {args.save_acts:,} acts (update), "
                f"{args.save_repeat} runs: median {save.update.median:.0f} ms, "
                f"max {max(save.update.samples):.0f} ms  (as editing: {verdict})"
            )
        db.close()


if __name__ == "__main__":
    sys.exit(main())
