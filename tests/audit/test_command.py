"""``solidarity audit tail`` and the exit status of ``solidarity audit verify``."""

import os
import shutil
import sqlite3
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string

from solidarity.audit.services import history_for

ROOT = Path(__file__).resolve().parents[2]


def test_tail_shows_the_newest_events_without_values(log, person):
    out = StringIO()
    call_command("audit", "tail", "-n", "3", stdout=out)
    lines = out.getvalue().splitlines()

    assert len(lines) == 3
    assert lines[0].split()[0] == "4"
    assert f"update  people.person {person.code}  nationality" in lines[0]
    assert "CN" not in lines[0]
    assert lines[-1].split()[0] == "6" and "logout" in lines[-1]


def test_the_history_partial_shows_when_who_what_and_which_fields(log, person):
    html = render_to_string("audit/_history.html", {"events": history_for(person)})

    assert html.count("<li") == 3
    assert "dana" in html
    assert "nationality" in html and "occupation" in html
    assert "CN" not in html and "lawyer" not in html


def solidarity(*args: str, database: Path) -> subprocess.CompletedProcess:
    """Run the ``solidarity`` command on an SQLite file, as an administrator would."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "SOLIDARITY_VAR_DIR": str(database.parent),
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    command = [sys.executable, "-m", "solidarity.cli", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)  # noqa: S603


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    database = tmp_path_factory.mktemp("migrated") / "solidarity.sqlite3"
    result = solidarity("migrate", "--no-input", database=database)
    assert result.returncode == 0, result.stderr
    return database


@pytest.fixture
def database(migrated, tmp_path) -> Path:
    """A fresh copy of a migrated SQLite file."""
    copy = tmp_path / "solidarity.sqlite3"
    shutil.copyfile(migrated, copy)
    return copy


def test_the_verify_command_exits_with_status_1_on_a_tampered_database(database):
    script = (
        "from solidarity.audit.services import record; "
        "[record(actor=None, action='login_failed') for _ in range(5)]"
    )
    assert solidarity("shell", "-c", script, database=database).returncode == 0
    intact = solidarity("audit", "verify", database=database)
    assert (intact.returncode, intact.stdout.splitlines()[0]) == (
        0,
        "Audit log intact: 5 entries.",
    )

    with sqlite3.connect(database) as db:
        db.execute("DROP TRIGGER audit_auditevent_no_delete")
        db.execute("DELETE FROM audit_auditevent WHERE seq = 2")

    tampered = solidarity("audit", "verify", database=database)
    assert tampered.returncode == 1
    assert tampered.stdout.splitlines() == ["deleted: entry 2 is missing."]
    assert "1 problem" in tampered.stderr


CONCURRENT_WRITERS = """
import threading
from django.db import connection
from solidarity.audit.services import record

errors = []

def write():
    try:
        for _ in range(25):
            record(actor=None, action="export")
    except Exception as error:
        errors.append(repr(error))
    finally:
        connection.close()

threads = [threading.Thread(target=write) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(errors)
"""


def test_concurrent_writers_on_an_sqlite_file_take_turns(database):
    result = solidarity("shell", "-v", "0", "-c", CONCURRENT_WRITERS, database=database)
    assert (result.returncode, result.stdout.strip()) == (0, "[]"), result.stderr

    verified = solidarity("audit", "verify", database=database)
    assert verified.returncode == 0
    assert verified.stdout.splitlines()[0] == "Audit log intact: 200 entries."
