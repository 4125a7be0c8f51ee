"""A document is reviewed once: double clicks, second tabs and dead workers change nothing twice."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from solidarity.audit.models import AuditEvent
from solidarity.incidents.models import Incident, VictimKind
from solidarity.intake import services
from solidarity.intake.models import IntakeDocument, State
from solidarity.people.models import Person
from tests.conftest import term

TEXT = (
    "Defender detained in Exampleton\n"
    "On 3 March 2024 police arrested the lawyer Ana Example in Exampleton. "
    "She was held for two days."
)


@pytest.fixture
def document(documenter):
    return services.paste(user=documenter, text=TEXT)


def decisions(**changes):
    values = {
        "title": "Arrest of a lawyer",
        "violation_types": [term("violation_types", "arrest")],
        "victims": [services.VictimDecision(name="Ana Example", kind=VictimKind.PERSON)],
    }
    return services.Decisions(**{**values, **changes})


def test_accepting_twice_creates_one_incident(documenter, document):
    services.accept(user=documenter, code=document.code, decisions=decisions())
    with pytest.raises(ValidationError):
        services.accept(user=documenter, code=document.code, decisions=decisions())
    assert Incident.objects.count() == 1
    assert Person.objects.filter(display_name="Ana Example").count() == 1


def test_a_document_accepted_in_one_tab_cannot_be_rejected_in_another(documenter, document):
    stale = IntakeDocument.objects.get(pk=document.pk)  # what the other tab loaded
    incident = services.accept(user=documenter, code=document.code, decisions=decisions())
    assert stale.state == State.EXTRACTED
    with pytest.raises(ValidationError):
        services.reject(user=documenter, code=stale.code)
    document.refresh_from_db()
    assert (document.state, document.incident) == (State.REVIEWED, incident)


def test_when_the_evidence_cannot_be_kept_nothing_is_created_and_the_document_waits(
    documenter, document, monkeypatch
):
    def refuse(**kwargs):
        raise ValidationError("refused")

    monkeypatch.setattr(services.incidents, "add_evidence", refuse)
    with pytest.raises(ValidationError):
        services.accept(user=documenter, code=document.code, decisions=decisions())
    document.refresh_from_db()
    assert document.state == State.EXTRACTED
    assert Incident.objects.count() == 0


def test_a_new_person_gets_the_accepted_sex_and_roles_in_one_audited_creation(documenter, document):
    female, lawyer = term("sex", "female"), term("defender_roles", "lawyer")
    services.accept(
        user=documenter,
        code=document.code,
        decisions=decisions(
            victims=[
                services.VictimDecision(
                    name="Ana Example", kind=VictimKind.PERSON, sex=female, roles=[lawyer]
                )
            ]
        ),
    )
    person = Person.objects.get(display_name="Ana Example")
    assert person.sex == female
    assert list(person.roles.all()) == [lawyer]
    events = AuditEvent.objects.filter(object_type="people.person", object_code=str(person.code))
    assert [e.action for e in events] == ["create"]


def test_two_namesakes_are_not_linked_for_the_documenter(documenter, document, home):
    for _ in range(2):
        Person.objects.create(owner=home, display_name="Ana Example")
    services.accept(user=documenter, code=document.code, decisions=decisions())
    # Neither namesake is guessed: a third record is made, for the documenter to merge or fix.
    assert Person.objects.filter(display_name="Ana Example").count() == 3


def test_a_reading_stopped_by_a_dead_worker_ends_as_failed(documenter):
    batch = services.upload(user=documenter, files=[("appeal.txt", TEXT.encode())])
    IntakeDocument.objects.filter(batch=batch).update(
        state=State.READING, updated_at=timezone.now() - timedelta(hours=1)
    )
    progress = services.batch_progress(user=documenter, code=batch)
    assert progress.finished
    document = IntakeDocument.objects.get(batch=batch)
    assert document.state == State.FAILED and "stopped" in document.error


def test_a_job_that_breaks_off_leaves_a_reason_and_an_audit_entry(documenter):
    batch = services.upload(user=documenter, files=[("appeal.txt", TEXT.encode())])
    document = IntakeDocument.objects.get(batch=batch)
    services.fail_job(document.code)
    document.refresh_from_db()
    assert document.state == State.FAILED and document.error
    assert AuditEvent.objects.filter(
        object_type="intake.intakedocument", object_code=str(document.code), action="update"
    ).exists()
