"""``solidarity audit verify`` checks the hash chain; ``audit tail`` shows the newest events."""

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from solidarity.audit.models import AuditEvent
from solidarity.audit.verify import last_entry, verify_chain

ANCHOR = re.compile(r"^(\d+):([0-9a-f]{64})$")


def anchor(value: str) -> tuple[int, str]:
    match = ANCHOR.match(value.strip().lower())
    if not match:
        raise ValueError(value)
    return int(match[1]), match[2]


class Command(BaseCommand):
    help = "Check the audit log's hash chain, or show its newest events."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        verify = subcommands.add_parser(
            "verify",
            help="Report every event that was altered, deleted, inserted or reordered; "
            "exit with status 1 if there is any.",
        )
        verify.add_argument(
            "--anchor",
            type=anchor,
            metavar="SEQ:HASH",
            help="An entry number and hash printed by an earlier verify and kept elsewhere; "
            "also reports a log cut short or rewritten up to that entry.",
        )
        tail = subcommands.add_parser("tail", help="Show the newest events.")
        tail.add_argument("-n", type=int, default=20, help="How many events (default 20).")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "verify":
            self.verify(options["anchor"])
        else:
            self.tail(options["n"])

    def verify(self, anchor: tuple[int, str] | None) -> None:
        problems = verify_chain(anchor=anchor)
        if problems:
            for problem in problems:
                self.stdout.write(str(problem))
            raise CommandError(
                f"The audit log has {len(problems)} problem{'s' if len(problems) != 1 else ''}."
            )
        self.stdout.write(f"Audit log intact: {AuditEvent.objects.count()} entries.")
        if last := last_entry():
            self.stdout.write(
                f"Last entry (keep it elsewhere, use with --anchor): {last[0]}:{last[1]}"
            )

    def tail(self, count: int) -> None:
        events = list(AuditEvent.objects.order_by("-seq")[: max(count, 0)])
        for event in reversed(events):
            fields = ", ".join(event.changed_field_names)
            columns = [
                f"{event.seq:>6}",
                event.at.isoformat(timespec="seconds"),
                event.actor_name or "-",
                event.action,
                f"{event.object_type} {event.object_code}".strip() or "-",
                fields,
            ]
            self.stdout.write("  ".join(columns).rstrip())
