"""Make a consistent backup of the database and the (encrypted) evidence files."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from solidarity.core.encryption import get_evidence_storage


class Command(BaseCommand):
    help = (
        "Back up the database and evidence files into a new folder. Sensitive fields and "
        "evidence stay encrypted in the backup; keep the keys elsewhere."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="folder to create (default var/backups/…)")

    def handle(self, *args, output: Path | None, **options):
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        target = output or settings.VAR_DIR / "backups" / stamp
        if target.exists():
            raise CommandError(f"{target} exists already; choose a new folder.")
        target.mkdir(mode=0o700, parents=True)
        if connection.vendor == "sqlite":
            self._sqlite(target / "solidarity.sqlite3")
        elif connection.vendor == "postgresql":
            self._postgres(target / "solidarity.pgdump")
        else:
            raise CommandError(f"No backup method for {connection.vendor}.")
        evidence = Path(get_evidence_storage().location)
        if evidence.exists():
            shutil.copytree(evidence, target / "evidence")
        self.stdout.write(self.style.SUCCESS(f"Backup written to {target}"))

    def _sqlite(self, path: Path) -> None:
        connection.ensure_connection()
        destination = sqlite3.connect(path)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        os.chmod(path, 0o600)

    def _postgres(self, path: Path) -> None:
        db = settings.DATABASES["default"]
        env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
        command = ["pg_dump", "--format=custom", f"--file={path}", "--no-owner"]
        for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if db.get(key):
                command.append(f"{flag}={db[key]}")
        command.append(connection.settings_dict["NAME"])
        try:
            subprocess.run(command, env=env, check=True)  # noqa: S603
        except (OSError, subprocess.CalledProcessError) as exc:
            raise CommandError(f"pg_dump failed: {exc}") from exc
        os.chmod(path, 0o600)
