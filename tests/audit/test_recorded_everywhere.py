"""The services record every write, publication and export in the audit log."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from solidarity.accounts.models import Visibility
from solidarity.audit.models import AuditEvent
from solidarity.audit.verify import verify_chain
from solidarity.incidents.services import add_evidence, set_visibility
from solidarity.people.models import Person
from solidarity.people.services import add_consent, revoke_consent
from tests.factories import make_incident, term


def actions(**filters) -> list[str]:
    return list(
        AuditEvent.objects.filter(**filters).order_by("seq").values_list("action", flat=True)
    )


def test_documenting_an_incident_records_it_and_the_people_it_created(documenter):
    incident = make_incident(
        documenter,
        "Synthetic title never logged",
        victim_kind="person",
        victim_name="Synthetic Victim Never Logged",
    )
    person = Person.objects.get(display_name="Synthetic Victim Never Logged")
    assert actions(object_code=str(incident.code)) == ["create"]
    assert actions(object_code=str(person.code)) == ["create"]
    event = AuditEvent.objects.get(object_code=str(incident.code))
    assert {"field": "acts", "old": "0", "new": "1"} in event.changes
    logged = str(list(AuditEvent.objects.values_list("changes", "detail")))
    assert "Synthetic title never logged" not in logged
    assert "Synthetic Victim Never Logged" not in logged
    assert verify_chain() == []


def test_editing_through_the_form_records_an_update_with_the_changed_fields(
    documenter_client, documenter
):
    incident = make_incident(documenter, country="CN")
    act = incident.acts.get()
    data = {
        "title": "Synthetic changed",
        "country": "MX",
        "confidentiality": "confidential",
        "acts-TOTAL_FORMS": "1",
        "acts-INITIAL_FORMS": "1",
        "acts-0-id": str(act.pk),
        "acts-0-violation_type": str(act.violation_type_id),
        "acts-0-victim_kind": "group",
        "acts-0-victim": "synthetic villagers",
        "acts-0-perps-TOTAL_FORMS": "0",
        "acts-0-perps-INITIAL_FORMS": "0",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
    }
    assert (
        documenter_client.post(reverse("incidents:edit", args=[incident.code]), data).status_code
        == 302
    )
    update = AuditEvent.objects.filter(object_code=str(incident.code), action="update").get()
    fields = {change["field"]: change for change in update.changes}
    assert fields["confidentiality"] == {
        "field": "confidentiality",
        "old": "standard",
        "new": "confidential",
    }
    assert fields["country"] == {"field": "country", "sensitive": True}  # free text: no values
    assert fields["title"] == {"field": "title", "sensitive": True}


def test_publishing_records_the_change_and_the_publication(coordinator, documenter):
    incident = make_incident(documenter, victim_kind="group", victim_name="villagers")
    set_visibility(
        user=coordinator,
        record=incident,
        visibility=Visibility.PUBLIC,
        shared_read=[],
        shared_edit=[],
    )
    assert actions(object_code=str(incident.code)) == ["create", "update", "publish"]


def test_downloading_evidence_is_recorded_as_an_export(documenter_client, documenter):
    incident = make_incident(documenter)
    evidence = add_evidence(
        user=documenter, incident=incident, upload=SimpleUploadedFile("n.txt", b"synthetic")
    )
    documenter_client.get(reverse("incidents:evidence-download", args=[evidence.code]))
    assert actions(object_code=str(evidence.code)) == ["create", "export"]


def test_consent_given_and_revoked_is_recorded(documenter, home):
    person = Person.objects.create(display_name="Synthetic Consenting", owner=home)
    consent = add_consent(
        user=documenter,
        party=person,
        scopes=[term("consent_scopes", "public_statement_named")],
        given_by="self",
        method="written",
        given_on=date(2026, 1, 1),
    )
    revoke_consent(user=documenter, code=consent.code)
    assert actions(object_code=str(consent.code)) == ["create", "update"]


def test_a_records_history_is_shown_to_those_who_may_see_it(
    documenter_client, documenter, client, outsider
):
    incident = make_incident(documenter)
    content = documenter_client.get(incident.get_absolute_url()).content.decode()
    assert "History" in content and "dana" in content
    client.force_login(outsider)
    assert client.get(incident.get_absolute_url()).status_code == 404
