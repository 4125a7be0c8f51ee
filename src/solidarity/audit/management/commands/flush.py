"""Django's ``flush``, able to empty the audit log along with every other table.

The append-only triggers refuse the DELETE (SQLite) or TRUNCATE (PostgreSQL)
that flush runs, and Django's test framework flushes the database after every
transactional test (all the browser tests). So this command lifts the triggers
for the flush and restores them, in the same transaction: if the flush fails,
the triggers were never gone. Emptying every table at once is the one removal
that leaves no record for the log to speak of.
"""

from typing import Any

from django.core.management.commands import flush
from django.db import connections, transaction

from solidarity.audit.models import install_guard, remove_guard


class Command(flush.Command):
    help = flush.Command.help + " The audit log is emptied too."

    def handle(self, **options: Any) -> None:
        database = options["database"]
        connection = connections[database]
        if options["interactive"]:
            # Asked here, so that no transaction holds the database while the question waits.
            answer = input(
                "You have requested a flush of the database.\n"
                f"This will IRREVERSIBLY DESTROY all data currently in the "
                f"{connection.settings_dict['NAME']!r} database, the audit log included,\n"
                "and return each table to an empty state.\n"
                "Are you sure you want to do this?\n\n"
                "    Type 'yes' to continue, or 'no' to cancel: "
            )
            if answer != "yes":
                self.stdout.write("Flush cancelled.")
                return
        with transaction.atomic(using=database):
            remove_guard(connection)
            super().handle(**{**options, "interactive": False})
            install_guard(connection)
