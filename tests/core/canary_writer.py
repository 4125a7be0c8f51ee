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
    # UN engagement: who cooperated with the UN, what they said, and where it is filed.
    "cycle_notes": "CanaryCycleNotes-0e5b",
    "engagement_reference": "CanaryEngagementRef-a7c2",
    "engagement_notes": "CanaryEngagementNotes-19f4",
    "submission_title": "CanarySubmissionTitle-6b3d",
    "submission_reference": "CanarySubmissionRef-c80e",
    "reprisal_note": "CanaryReprisalNote-44a1",
    "communication_title": "CanaryCommunicationTitle-d2f7",
    "communication_text": "CanaryCommunicationText-5e90",
    "communication_reference": "CanaryUNReference-AL-0000-73",
    "state_reply": "CanaryStateReply-b6c8",
    "sg_report_reference": "CanarySGReportRef-2d5a",
}
# The model field each UN canary is written into (test_canary checks none is missing).
UN_CANARY_FIELDS = {
    "cycle_notes": "un.ReviewCycle.notes",
    "engagement_reference": "un.Engagement.document_reference",
    "engagement_notes": "un.Engagement.notes",
    "submission_title": "un.Submission.title",
    "submission_reference": "un.Submission.document_reference",
    "reprisal_note": "un.ReprisalLink.note",
    "communication_title": "un.Communication.title",
    "communication_text": "un.Communication.text",
    "communication_reference": "un.Communication.reference",
    "state_reply": "un.Communication.state_reply",
    "sg_report_reference": "un.Communication.sg_report_reference",
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
    write_un_engagement(user=user, home=home, person=person)
    # Read them back, as a page would, so that any read-side logging happens too.
    again = Person.objects.get(pk=person.pk)
    assert again.legal_name == CANARIES["legal_name"], "the canary did not round-trip"
    read_un_engagement_back(user=user, person=again)

    if connection.vendor == "sqlite":
        snapshot = out / "open-snapshot"
        snapshot.mkdir()
        database = Path(connection.settings_dict["NAME"])
        for suffix in ("", "-wal", "-shm"):
            source = database.with_name(database.name + suffix)
            if source.exists():
                shutil.copy(source, snapshot / source.name)
    call_command("backup", output=out / "backup")


def write_un_engagement(*, user, home, person) -> None:
    """Every free text of the UN models, through the services (twice where they edit)."""
    from solidarity.incidents.models import Incident
    from solidarity.incidents.services import ActInput, PartyRef, save_incident
    from solidarity.lib.fuzzydate import FuzzyDate
    from solidarity.un import communications
    from solidarity.un import services as un
    from solidarity.un.models import EngagementType
    from solidarity.vocab.models import Term

    cedaw = Term.objects.of("un_mechanisms").get(code="cedaw")
    cycle = un.add_cycle(
        user=user,
        country="CN",
        mechanism=cedaw,
        label="Synthetic canary cycle",
        notes=CANARIES["cycle_notes"],
    )
    un.add_submission(
        user=user,
        cycle=cycle,
        organisation=home,
        title=CANARIES["submission_title"],
        date=date(2019, 2, 1),
        document_reference=CANARIES["submission_reference"],
    )
    engagement = un.add_engagement(
        user=user,
        party=person,
        engagement_type=EngagementType.GAVE_TESTIMONY,
        date=FuzzyDate(2019, 3, 4),
        mechanism=cedaw,
        cycle=cycle,
        document_reference=CANARIES["engagement_reference"],
        notes=CANARIES["engagement_notes"],
    )
    incident = save_incident(
        user=user,
        incident=Incident(title="Synthetic canary reprisal", country="CN"),
        context_tags=[],
        acts=[
            ActInput(
                victim=PartyRef(kind="person", code=person.code),
                violation_type=Term.objects.of("violation_types").get(code="forced_closure"),
                date=FuzzyDate(2019, 9, 1),
            )
        ],
        sources=[],
    )
    act = incident.acts.get()
    for note in ("old-" + CANARIES["reprisal_note"], CANARIES["reprisal_note"]):
        un.decide_reprisal(
            user=user, act_id=act.pk, engagement=engagement.code, status="alleged", note=note
        )
    # A communication about an incident without victims needs no consent to draft.
    about = Incident(title="Synthetic canary communication", country="CN")
    save_incident(user=user, incident=about, context_tags=[], acts=[], sources=[])
    communication = communications.draft_sp_communication(user=user, incident=about, mandates=[])
    for prefix in ("old-", ""):
        communications.update_communication(
            user=user,
            communication=communication,
            title=prefix + CANARIES["communication_title"],
            text=prefix + CANARIES["communication_text"],
            reference=prefix + CANARIES["communication_reference"],
            sent_on=date(2021, 4, 1),
            state_reply_on=date(2021, 6, 1),
            state_reply=prefix + CANARIES["state_reply"],
            sg_report_reference=prefix + CANARIES["sg_report_reference"],
        )


def read_un_engagement_back(*, user, person) -> None:
    from solidarity.un import communications
    from solidarity.un import services as un

    [engagement] = un.engagements_of(user=user, party=person)
    [link] = un.confirmed_links(user)
    [communication] = communications.communications_for(user=user)
    [submission] = un.visible_submissions(user)
    values = {
        "cycle_notes": submission.cycle.notes,
        "engagement_reference": engagement.document_reference,
        "engagement_notes": engagement.notes,
        "submission_title": submission.title,
        "submission_reference": submission.document_reference,
        "reprisal_note": link.note,
        "communication_title": communication.title,
        "communication_text": communication.text,
        "communication_reference": communication.reference,
        "state_reply": communication.state_reply,
        "sg_report_reference": communication.sg_report_reference,
    }
    for name, value in values.items():
        assert value == CANARIES[name], f"the {name} canary did not round-trip"


if __name__ == "__main__":
    main(Path(sys.argv[1]))
