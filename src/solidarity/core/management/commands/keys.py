from argparse import RawDescriptionHelpFormatter
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter

from solidarity.core.encryption import Tally, census, get_keyring, rotate_all
from solidarity.lib.crypto import generate_key


class _HelpFormatter(DjangoHelpFormatter, RawDescriptionHelpFormatter):
    """Keeps the line breaks of the rotation steps in --help."""


class Command(BaseCommand):
    help = """Manage the keys that encrypt sensitive fields and evidence files.

  solidarity keys generate   print a new key (and nothing else)
  solidarity keys status     the keys, and how many stored values are not on the primary key
  solidarity keys rotate     re-encrypt everything to the primary key

Keys come from SOLIDARITY_ENCRYPTION_KEYS (keys separated by commas, spaces or
newlines) or from the file named by SOLIDARITY_ENCRYPTION_KEYS_FILE (one key per
line; '#' starts a comment). The first key is the primary: new values are
encrypted with it. The others only decrypt. Keep the keys apart from the data and
its backups: whoever holds both can read everything.

Rotating to a new key while the site runs:
  1. Put the new key FIRST, keeping the old keys after it, and restart every
     process of the site (web server, workers) so that all of them write with it.
  2. Run `solidarity keys rotate`. It rewrites values in small batches, each in a
     short transaction, and never overwrites a value changed since it was read;
     run it again if it reports values changed meanwhile.
  3. When `solidarity keys status` shows 0 values on an older key, remove the old
     keys and restart. A value still on a removed key can no longer be read.
"""
    requires_system_checks: list[str] = []

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> Any:
        return super().create_parser(prog_name, subcommand, formatter_class=_HelpFormatter)

    def add_arguments(self, parser: Any) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("generate", help="Print a new key and nothing else.")
        actions.add_parser("status", help="Show the keys and what is not on the primary key.")
        rotate = actions.add_parser("rotate", help="Re-encrypt everything to the primary key.")
        rotate.add_argument(
            "--batch-size", type=int, default=500, help="Rows per transaction (default 500)."
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "generate":
            self.stdout.write(generate_key())
            return
        try:
            get_keyring()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from None
        if action == "status":
            self.status()
        else:
            self.rotate(batch_size=options["batch_size"])

    def status(self) -> None:
        keyring = get_keyring()
        self.stdout.write(f"{len(keyring)} key(s), primary first:")
        for position, fingerprint in enumerate(keyring.fingerprints(), start=1):
            role = "primary" if position == 1 else "decrypts only"
            self.stdout.write(f"  key {position}  fingerprint {fingerprint}  ({role})")
        report = census()
        self.stdout.write("Stored values not on the primary key:")
        for tally in report.tallies:
            self.stdout.write(f"  {_describe(tally)}")
        left = sum(tally.not_on_primary for tally in report.tallies)
        if left:
            self.stdout.write(
                self.style.WARNING(f"{left} not on the primary key: run `solidarity keys rotate`.")
            )
        elif len(keyring) > 1:
            self.stdout.write(
                self.style.SUCCESS("Everything is on the primary key: the older keys can go.")
            )
        else:
            self.stdout.write(self.style.SUCCESS("Everything is on the primary key."))

    def rotate(self, *, batch_size: int) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        report = rotate_all(batch_size=batch_size, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Rotated {report.rotated} value(s) and file(s)."))
        if report.changed_meanwhile:
            self.stdout.write(
                self.style.WARNING(
                    f"{report.changed_meanwhile} changed while rotating and were left as "
                    "written; run `solidarity keys rotate` again."
                )
            )
        if report.unreadable:
            raise CommandError(
                f"{report.unreadable} value(s) or file(s) cannot be decrypted by any configured "
                "key and were left as they are; `solidarity keys status` lists where."
            )


def _describe(tally: Tally) -> str:
    return (
        f"{tally.label}: {tally.old_key} on an older key, {tally.plaintext} plaintext, "
        f"{tally.unreadable} unreadable (of {tally.total})"
    )
