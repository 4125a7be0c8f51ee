"""A documenter pastes a report, reviews the proposed record and creates the incident from it."""

import hashlib
import re

import pytest
from django.db import connection
from django.urls import reverse

from solidarity.accounts.models import Visibility
from solidarity.audit.models import AuditEvent
from solidarity.context.models import Law
from solidarity.incidents.models import Act, EvidenceFile, Incident, Involvement, Source
from solidarity.intake.models import IntakeDocument, State
from solidarity.people.models import Organisation, Person
from tests.intake.intake_helpers import CENTRE, form_data, seed_text


def paste(client, text, **fields):
    response = client.post(reverse("intake:new"), {"text": text, **fields})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def record_counts():
    return [m.objects.count() for m in (Incident, Act, Person, Organisation, Source, EvidenceFile)]


@pytest.fixture
def laws(vocab):
    return [
        Law.objects.create(country="CN", title="National Security Law", law_type="law"),
        Law.objects.create(country="CN", title="Charity Law", law_type="law"),
    ]


def test_pasting_the_seed_statement_shows_the_proposed_record_with_its_evidence(
    documenter_client, laws
):
    review = documenter_client.get(paste(documenter_client, seed_text(), published="2016-02-09"))
    assert review.status_code == 200
    page = review.content.decode()
    form = review.context["form"]
    victims = {
        form[row["fields"][0]].value(): form[row["fields"][1]].value() for row in form.victim_rows
    }
    assert victims.get(CENTRE) == "organisation", victims
    centre_row = next(r for r in form.victim_rows if r["proposal"].name == CENTRE)
    assert form[centre_row["accept"]].value() is True
    violations = [form.initial[row["field"]] for row in form.violation_rows]
    assert any(t.code == "forced_closure" for t in violations)
    assert form["country"].value() == "CN"
    assert "Beijing" in (form["place"].value(), form["admin_area"].value())
    date = form["date"].value()
    assert (date.month, date.day) == (1, 29)
    assert date.year in (None, 2016)
    if date.year:  # inferred from the publication date, and said so
        assert "The year is inferred from the publication date" in page
    assert form.initial["perpetrator_type"].code in ("state", "relevant_authorities_unspecified")
    law_names = " ".join(form[row["fields"][0]].value().lower() for row in form.law_rows)
    assert "national security" in law_names and "charity" in law_names
    # Mentioned laws are linked to the recorded ones where the names match.
    records = {form.initial[row["fields"][1]] for row in form.law_rows}
    assert laws[0] in records
    mechanisms = [form.initial[row["field"]].code for row in form.mechanism_rows]
    assert "cedaw" in mechanisms
    # The supporting words are highlighted in the text, and each value links to them.
    assert re.search(r'<mark id="mark-date-0"[^>]*>29 January</mark>', page)
    assert '<mark id="mark-victim-' in page and 'href="#mark-victim-' in page
    assert "Zhongze" in page


def test_nothing_is_created_before_the_documenter_accepts(documenter_client):
    before = record_counts()
    url = paste(documenter_client, seed_text(), published="2016-02-09")
    assert documenter_client.get(url).status_code == 200
    assert record_counts() == before
    assert IntakeDocument.objects.get().state == State.EXTRACTED


def test_accepting_creates_the_incident_with_its_act_involvement_source_and_evidence(
    documenter_client, documenter, laws
):
    text = seed_text()
    url = paste(
        documenter_client,
        text,
        published="2016-02-09",
        source_name="WHRDIC statement",
        source_url="https://example.org/statement",
    )
    form = documenter_client.get(url).context["form"]
    response = documenter_client.post(url, form_data(form))
    assert response.status_code == 302, response.content.decode()[:3000]
    incident = Incident.objects.get()
    assert response["Location"] == incident.get_absolute_url()
    assert incident.owner == documenter.memberships.get().organisation
    assert incident.visibility == Visibility.OWNER
    assert incident.country == "CN"
    assert incident.date.month == 1 and incident.date.day == 29
    closure = incident.acts.get(violation_type__code="forced_closure", victim_kind="organisation")
    assert closure.victim_organisation.name == CENTRE
    involvement = Involvement.objects.filter(act=closure).get()
    assert involvement.perpetrator_type.code in ("state", "relevant_authorities_unspecified")
    assert laws[0] in incident.laws.all()
    source = incident.sources.get()
    assert (source.name, source.url, source.language) == (
        "WHRDIC statement",
        "https://example.org/statement",
        "en",
    )
    assert source.date.iso() == "2016-02-09"
    assert "CEDAW" in source.notes
    evidence = EvidenceFile.objects.get(incident=incident)
    assert evidence.source == source
    assert evidence.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    with evidence.file.open("rb") as handle:
        assert handle.read().decode("utf-8") == text
    document = IntakeDocument.objects.get()
    assert (document.state, document.incident) == (State.REVIEWED, incident)
    # Audited: the incident, the organisation created, the evidence and the review.
    logged = set(AuditEvent.objects.values_list("object_type", "action"))
    assert {
        ("incidents.incident", "create"),
        ("people.organisation", "create"),
        ("incidents.evidencefile", "create"),
        ("intake.intakedocument", "create"),
        ("intake.intakedocument", "update"),
    } <= logged
    page = documenter_client.get(response["Location"]).content.decode()
    assert "The incident was created from the document." in page
    # A document is reviewed once.
    assert documenter_client.post(url, form_data(form)).status_code == 400
    assert Incident.objects.count() == 1


def test_the_documenter_edits_and_rejects_proposed_values_before_accepting(documenter_client):
    url = paste(documenter_client, seed_text(), published="2016-02-09")
    form = documenter_client.get(url).context["form"]
    centre_row = next(r for r in form.victim_rows if r["proposal"].name == CENTRE)
    changes = {row["accept"]: None for row in form.victim_rows if row is not centre_row}
    changes |= {row["accept"]: None for row in form.violation_rows[1:]}
    changes |= {row["accept"]: None for row in form.law_rows}
    changes[centre_row["fields"][0]] = "Zhongze Centre (synthetic edit)"
    changes["title"] = "Closure of the centre, as edited"
    changes["date"] = "2016-01"
    response = documenter_client.post(url, form_data(form, **changes))
    assert response.status_code == 302, response.content.decode()[:3000]
    incident = Incident.objects.get()
    assert incident.title == "Closure of the centre, as edited"
    assert incident.date.iso() == "2016-01"
    [act] = incident.acts.all()
    assert act.victim_organisation.name == "Zhongze Centre (synthetic edit)"
    assert not incident.laws.exists() and incident.related_laws == ""


def test_an_organisation_the_documenter_may_see_is_reused_not_created_again(
    documenter_client, home
):
    centre = Organisation.objects.create(name=CENTRE, owner=home)
    url = paste(documenter_client, seed_text(), published="2016-02-09")
    page = documenter_client.get(url)
    assert "Already recorded:" in page.content.decode()
    documenter_client.post(url, form_data(page.context["form"]))
    act = Incident.objects.get().acts.get(
        violation_type__code="forced_closure",
        victim_organisation__isnull=False,
        victim_organisation__name=CENTRE,
    )
    assert act.victim_organisation == centre
    assert Organisation.objects.filter(name=CENTRE).count() == 1


def test_a_text_about_something_else_is_flagged_and_needs_confirmation(documenter_client):
    text = (
        "The city council approved a new budget for public libraries on Tuesday. "
        "Opening hours will be extended and a reading festival is planned for the spring."
    )
    url = paste(documenter_client, text, published="2024-05-02")
    review = documenter_client.get(url)
    page = review.content.decode()
    assert "may not report an attack" in page
    form = review.context["form"]
    data = form_data(form, new_victim_name="Synthetic Library Group", new_victim_kind="group")
    response = documenter_client.post(url, data)
    assert response.status_code == 400
    assert "confirm that it does, or reject it" in response.content.decode()
    assert not Incident.objects.exists()


def test_rejecting_a_document_creates_nothing(documenter_client):
    before = record_counts()
    url = paste(documenter_client, seed_text())
    code = IntakeDocument.objects.get().code
    response = documenter_client.post(reverse("intake:reject", args=[code]))
    assert response.status_code == 302
    assert IntakeDocument.objects.get().state == State.REJECTED
    assert record_counts() == before
    assert "was rejected" in documenter_client.get(url).content.decode()


def test_other_organisations_and_readers_cannot_see_or_accept_an_intake_document(
    client, documenter, reader, outsider, partner
):
    client.force_login(documenter)
    url = paste(client, seed_text(), published="2016-02-09")
    form = client.get(url).context["form"]
    data = form_data(form)
    code = IntakeDocument.objects.get().code
    for user in (outsider, partner):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, data).status_code == 404
        assert client.post(reverse("intake:reject", args=[code])).status_code == 404
        assert "Zhongze" not in client.get(reverse("intake:new")).content.decode()
    client.force_login(reader)
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 403
    assert client.get(reverse("intake:new")).status_code == 403
    assert not Incident.objects.exists()


def test_the_text_is_escaped_around_the_highlights(documenter_client):
    text = (
        "<script>alert(1)</script> On 4 March 2021 police arrested the lawyer Synthetic "
        "Person Alpha in Nairobi, Kenya, and detained her for a week. <b>bold</b>"
    )
    page = documenter_client.get(paste(documenter_client, text)).content.decode()
    assert "<script>alert(1)</script>" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<mark " in page


def test_a_pasted_victim_name_never_reaches_the_database_in_clear(documenter_client, tmp_path):
    """The canary: the text, the proposal and the name are encrypted at rest until accepted."""
    name = "Canaryvictim Zqxjv"
    text = (
        f"On 12 June 2023 police arrested the journalist {name} in Kampala, Uganda, "
        f"and held {name} without charge for three days."
    )
    review = documenter_client.get(paste(documenter_client, text))
    assert name in review.content.decode()  # shown to the documenter
    documenter_client.post(
        reverse("intake:new"),
        {"files": [_upload("canary.txt", text.encode("utf-8"))]},
    )
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the schema
            for row in cursor.fetchall():
                if any(name.split()[0] in str(value) for value in row):
                    found.append(table)
    assert found == []
    for path in (tmp_path / "evidence").rglob("*"):
        if path.is_file():
            assert name.split()[0].encode() not in path.read_bytes(), path


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)
