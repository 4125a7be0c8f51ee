"""Helpers for the audit tests: a short log, and an attacker with database access."""

from collections.abc import Callable

import pytest
from django.db import connection

from solidarity.audit.models import Action, AuditEvent, remove_guard
from solidarity.audit.services import record
from solidarity.people.models import Person


@pytest.fixture
def person(home) -> Person:
    return Person.objects.create(display_name="Synthetic Defender", owner=home)


@pytest.fixture
def log(documenter, person) -> list[AuditEvent]:
    """Six events: a sign-in, a creation, two updates, an export, a sign-out."""
    return [
        record(actor=documenter, action=Action.LOGIN),
        record(
            actor=documenter,
            action=Action.CREATE,
            obj=person,
            changes=[{"field": "display_name", "sensitive": True}],
        ),
        record(
            actor=documenter,
            action=Action.UPDATE,
            obj=person,
            changes=[{"field": "occupation", "old": None, "new": "lawyer"}],
        ),
        record(
            actor=documenter,
            action=Action.UPDATE,
            obj=person,
            changes=[{"field": "nationality", "old": None, "new": "CN"}],
        ),
        record(actor=documenter, action=Action.EXPORT, detail={"format": "csv", "rows": 1}),
        record(actor=documenter, action=Action.LOGOUT),
    ]


def execute(sql: str, params: list | tuple = ()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def attacker(db) -> Callable[[str, list | tuple], None]:
    """Someone with write access to the database: drops the triggers, then runs raw SQL.

    The test's transaction rolls back, triggers included.
    """
    remove_guard(connection)
    return execute
