"""Run in a subprocess by test_canary.py: write known plaintexts everywhere they are
encrypted, change them (so the audit log and any history see them), log at DEBUG,
snapshot the database files while they are open, and make a backup."""

import logging
import os
import shutil
import sys
from datetime import date
from pathlib import Path

import django

CANARIES = {
    "legal_name": "CanaryLegalName-3f9a",
    "aliases": "CanaryAlias-81bd",
    "gender_identity": "CanaryGender-55e2",
    "sexual_orientation": "CanaryOrientation-9c41",
    "contact": "CanaryContact-+00 555 0142-d7",
    "health": "CanaryHealth-2a6f",
    "confidential_notes": "CanaryPersonNotes-b13e",
    "incident_notes": "CanaryIncidentNotes-6d08",
    "evidence": "CanaryEvidenceBytes-4c7e",
    "date_of_birth": "1961-07-19",
}


def main(out: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidarity.settings")
    django.setup()
    logging.getLogger().setLevel(logging.DEBUG)
    logging.getLogger("django.db.backends").setLevel(logging.DEBUG)

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection

    from solidarity.accounts.models import MemberOrganisation, Membership, Role, User
    from solidarity.incidents.models import Incident
    from solidarity.incidents.services import add_evidence, save_incident
    from solidarity.people.models import Person

    call_command("migrate", verbosity=0)
    call_command("load_vocab", verbosity=0)
    home = MemberOrganisation.objects.create(name="Synthetic Canary Organisation")
    user = User.objects.create_user("canary-writer", password="canary-password-1")
    Membership.objects.create(user=user, organisation=home, role=Role.DOCUMENTER)

    person = Person.objects.create(display_name="Synthetic Canary Person", owner=home)
    for field in (
        "legal_name",
        "aliases",
        "gender_identity",
        "sexual_orientation",
        "contact",
        "health",
        "confidential_notes",
    ):
        setattr(person, field, "old-" + CANARIES[field])
    person.date_of_birth = date(1950, 1, 1)
    person.save()
    for field in (
        "legal_name",
        "aliases",
        "gender_identity",
        "sexual_orientation",
        "contact",
        "health",
        "confidential_notes",
    ):
        setattr(person, field, CANARIES[field])
    person.date_of_birth = date.fromisoformat(CANARIES["date_of_birth"])
    person.save()
    logging.getLogger("canary").debug("saved person %r", person)

    incident = Incident(
        title="Synthetic canary incident", confidential_notes=CANARIES["incident_notes"]
    )
    save_incident(user=user, incident=incident, context_tags=[], acts=[], sources=[])
    incident.confidential_notes = CANARIES["incident_notes"] + "-edited"
    save_incident(user=user, incident=incident, context_tags=[], acts=[], sources=[])
    add_evidence(
        user=user,
        incident=incident,
        upload=SimpleUploadedFile("canary.txt", CANARIES["evidence"].encode()),
    )
    # Read them back, as a page would, so that any read-side logging happens too.
    again = Person.objects.get(pk=person.pk)
    assert again.legal_name == CANARIES["legal_name"], "the canary did not round-trip"

    if connection.vendor == "sqlite":
        snapshot = out / "open-snapshot"
        snapshot.mkdir()
        database = Path(connection.settings_dict["NAME"])
        for suffix in ("", "-wal", "-shm"):
            source = database.with_name(database.name + suffix)
            if source.exists():
                shutil.copy(source, snapshot / source.name)
    call_command("backup", output=out / "backup")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
