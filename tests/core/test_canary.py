"""The encryption canary: known plaintexts written into every encrypted field and an
evidence file must appear nowhere at rest: not in the SQLite file or its WAL, a
PostgreSQL dump, the audit tables (inside those), the log output, or a backup."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from solidarity.core.encryption import encrypted_columns
from solidarity.lib.crypto import generate_key
from tests.core.canary_writer import CANARIES, UN_CANARY_FIELDS

ROOT = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).with_name("canary_writer.py")


def run_writer(tmp_path: Path, database_url: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOLIDARITY_", "DJANGO_"))}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="solidarity.settings",
        SOLIDARITY_VAR_DIR=str(tmp_path / "var"),
        SOLIDARITY_ENCRYPTION_KEYS=generate_key(),
        SOLIDARITY_DEBUG="1",  # Django logs every SQL statement with its parameters
        SOLIDARITY_LOG_LEVEL="DEBUG",
        PYTHONPATH=str(ROOT),
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(WRITER), str(tmp_path)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-3000:]
    return result


def occurrences(tmp_path: Path, result: subprocess.CompletedProcess) -> list[str]:
    """Every (place, canary) pair found: files at rest and the process's output."""
    places: dict[str, bytes] = {
        "stdout": result.stdout,
        "stderr (logs)": result.stderr,
    }
    for path in tmp_path.rglob("*"):
        if path.is_file():
            places[str(path.relative_to(tmp_path))] = path.read_bytes()
    found = []
    for place, content in places.items():
        for name, canary in CANARIES.items():
            if canary.encode() in content or canary.encode("utf-16-le") in content:
                found.append(f"{name} in {place}")
    return found


def test_no_encrypted_plaintext_is_found_in_the_sqlite_files_logs_or_backup(tmp_path):
    database = tmp_path / "var" / "canary.sqlite3"
    result = run_writer(tmp_path, f"sqlite:///{database}")
    scanned = {p.name for p in tmp_path.rglob("*") if p.is_file()}
    assert "canary.sqlite3" in scanned and "solidarity.sqlite3" in scanned  # live and backup
    assert any(name.endswith("-wal") for name in scanned), "the WAL was not captured"
    assert b"SELECT" in result.stderr, "SQL logging was not captured"
    assert occurrences(tmp_path, result) == []


def test_every_encrypted_field_of_the_un_models_gets_a_canary():
    encrypted = {
        column.label for column in encrypted_columns() if column.model._meta.app_label == "un"
    }
    assert encrypted == set(UN_CANARY_FIELDS.values())
    assert set(UN_CANARY_FIELDS) <= set(CANARIES)


def test_the_canary_check_would_find_a_plaintext(tmp_path):
    (tmp_path / "leak.txt").write_text(f"x {CANARIES['health']} x")
    fake = subprocess.CompletedProcess([], 0, stdout=b"", stderr=b"")
    assert occurrences(tmp_path, fake) == ["health in leak.txt"]


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="runs when the suite runs on PostgreSQL (CI does both)",
)
def test_no_encrypted_plaintext_is_found_in_a_postgresql_dump(tmp_path):
    import psycopg

    db = settings.DATABASES["default"]
    name = f"solidarity_canary_{uuid.uuid4().hex[:8]}"
    server = {
        "host": db["HOST"],
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**server) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        url = f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{name}"
        result = run_writer(tmp_path, url)
        dumps = list(tmp_path.rglob("*.pgdump"))
        assert dumps and dumps[0].stat().st_size > 0
        plain = tmp_path / "plain.sql"
        subprocess.run(  # noqa: S603
            ["pg_dump", "--no-owner", f"--file={plain}", url],  # noqa: S607
            check=True,
            timeout=300,
        )
        assert occurrences(tmp_path, result) == []
    finally:
        with psycopg.connect(**server) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
