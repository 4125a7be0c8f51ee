import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from solidarity.incidents.models import EvidenceFile, Incident
from tests.factories import make_incident, term

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def editor_data(**overrides) -> dict[str, str]:
    """A complete, valid new-incident submission with one act, one perpetrator, one source."""
    data = {
        "title": "Synthetic detention",
        "date": "2016-03",
        "country": "CN",
        "confidentiality": "standard",
        "acts-TOTAL_FORMS": "1",
        "acts-INITIAL_FORMS": "0",
        "acts-0-violation_type": str(term("violation_types", "arrest").pk),
        "acts-0-victim_kind": "person",
        "acts-0-victim": "Synthetic Defender Alpha",
        "acts-0-date": "2016-03-08",
        "acts-0-perps-TOTAL_FORMS": "1",
        "acts-0-perps-INITIAL_FORMS": "0",
        "acts-0-perps-0-perpetrator_kind": "unknown",
        "acts-0-perps-0-perpetrator_type": str(term("perpetrator_types", "police").pk),
        "sources-TOTAL_FORMS": "1",
        "sources-INITIAL_FORMS": "0",
        "sources-0-name": "Synthetic news report",
        "sources-0-independent": "on",
    }
    data.update(overrides)
    return data


# ------------------------------------------------------------------ list


def test_the_list_shows_incidents_and_filters_them(documenter_client, documenter):
    make_incident(documenter, "Closure in China", country="CN")
    make_incident(documenter, "Threat in Mexico", country="MX", violation="threat")
    response = documenter_client.get(reverse("incidents:list"))
    assert response.status_code == 200
    assert b"Closure in China" in response.content and b"Threat in Mexico" in response.content
    response = documenter_client.get(
        reverse("incidents:list"),
        {"violation_type": term("violation_types", "other_harmful_acts").pk, "country": "MX"},
    )
    assert b"Threat in Mexico" in response.content
    assert b"Closure in China" not in response.content


def test_the_list_marks_a_less_precise_date_as_possibly_in_range(documenter_client, documenter):
    make_incident(documenter, "Sometime in 2016", date="2016")
    response = documenter_client.get(
        reverse("incidents:list"), {"date_from": "2016-03", "date_to": "2016-06"}
    )
    assert b"Sometime in 2016" in response.content
    assert b"possibly in range" in response.content
    response = documenter_client.get(
        reverse("incidents:list"), {"date_from": "2016", "date_to": "2016"}
    )
    assert b"possibly in range" not in response.content


def test_a_malformed_filter_date_is_explained_not_an_error_page(documenter_client, documenter):
    make_incident(documenter)
    response = documenter_client.get(reverse("incidents:list"), {"date_from": "March"})
    assert response.status_code == 200
    assert b"Enter a date as YYYY, YYYY-MM or YYYY-MM-DD." in response.content


def test_an_inverted_date_range_is_explained(documenter_client, documenter):
    response = documenter_client.get(
        reverse("incidents:list"), {"date_from": "2017", "date_to": "2016"}
    )
    assert b"The end of the range is before its start." in response.content


def test_the_list_is_paginated(documenter_client, documenter):
    for n in range(27):
        make_incident(documenter, f"Synthetic incident {n:02d}", date=f"20{n:02d}")
    first = documenter_client.get(reverse("incidents:list"))
    assert b"27 incidents" in first.content
    assert first.content.count(b"<tr>") == 26  # header + 25 rows
    second = documenter_client.get(reverse("incidents:list"), {"page": 2})
    assert second.content.count(b"<tr>") == 3
    assert b"Synthetic incident 00" in second.content


def test_an_htmx_request_gets_only_the_results(documenter_client, documenter):
    make_incident(documenter, "Closure in China")
    response = documenter_client.get(reverse("incidents:list"), headers={"HX-Request": "true"})
    assert b"Closure in China" in response.content
    assert b"<html" not in response.content


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, documenter):
    incident = make_incident(documenter)
    for url in (reverse("incidents:list"), incident.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


# ------------------------------------------------------------------ detail


def test_the_incident_page_shows_who_did_what_to_whom_when_and_where(documenter_client, documenter):
    incident = make_incident(
        documenter, "Closure", date="2016-01", victim_name="Synthetic Centre", sources=1
    )
    response = documenter_client.get(incident.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Forced closure",
        "Synthetic Centre",
        "Synthetic authorities",
        "Police",
        "January 2016",
        "China",
        "Synthetic source 0",
    ):
        assert text in content


def test_an_unknown_incident_code_is_not_found(documenter_client):
    response = documenter_client.get("/incidents/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404


# ------------------------------------------------------------------ create and edit


def test_a_documenter_creates_an_incident_in_one_submission(documenter_client):
    response = documenter_client.post(reverse("incidents:create"), editor_data())
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == incident.get_absolute_url()
    act = incident.acts.get()
    assert act.victim_person.display_name == "Synthetic Defender Alpha"
    assert act.date.iso() == "2016-03-08"
    assert act.involvements.get().perpetrator_type.code == "police"
    assert incident.sources.get().name == "Synthetic news report"
    assert incident.date.iso() == "2016-03"


def test_invalid_input_is_explained_and_nothing_typed_is_lost(documenter_client):
    data = editor_data(**{"date": "2016-13-45", "acts-0-victim": "", "sources-0-name": ""})
    data["sources-0-url"] = "not a url"
    response = documenter_client.post(reverse("incidents:create"), data)
    content = response.content.decode()
    assert response.status_code == 400
    assert not Incident.objects.exists()
    assert "Nothing was saved" in content
    assert "Enter a date as YYYY, YYYY-MM or YYYY-MM-DD" in content
    assert "Name the victim" in content
    assert 'value="Synthetic detention"' in content
    assert 'value="2016-13-45"' in content
    assert 'value="2016-03-08"' in content
    assert 'value="not a url"' in content


def test_adding_an_act_keeps_what_was_typed_and_saves_nothing(documenter_client):
    data = editor_data(add_act="1")
    response = documenter_client.post(reverse("incidents:create"), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert not Incident.objects.exists()
    assert 'name="acts-TOTAL_FORMS" value="2"' in content
    assert 'name="acts-1-victim"' in content
    assert 'value="Synthetic Defender Alpha"' in content
    assert "Nothing was saved" not in content
    assert 'class="errorlist' not in content


def test_adding_a_perpetrator_and_a_source_adds_a_row(documenter_client):
    content = documenter_client.post(
        reverse("incidents:create"), editor_data(add_perpetrator="0")
    ).content.decode()
    assert 'name="acts-0-perps-TOTAL_FORMS" value="2"' in content
    content = documenter_client.post(
        reverse("incidents:create"), editor_data(add_source="1")
    ).content.decode()
    assert 'name="sources-TOTAL_FORMS" value="2"' in content


def test_an_empty_extra_act_row_is_ignored(documenter_client):
    data = editor_data(
        **{
            "acts-TOTAL_FORMS": "2",
            "acts-1-victim_kind": "person",
            "acts-1-perps-TOTAL_FORMS": "1",
            "acts-1-perps-INITIAL_FORMS": "0",
            "acts-1-perps-0-perpetrator_kind": "unknown",
        }
    )
    response = documenter_client.post(reverse("incidents:create"), data)
    assert response.status_code == 302
    assert Incident.objects.get().acts.count() == 1


def test_editing_shows_the_existing_acts_and_saves_changes(documenter_client, documenter):
    incident = make_incident(documenter, "Before", victim_name="Synthetic Centre")
    page = documenter_client.get(reverse("incidents:edit", args=[incident.code]))
    content = page.content.decode()
    act = incident.acts.get()
    centre = act.victim_organisation
    assert f"Synthetic Centre [{centre.code}]" in content
    data = editor_data(
        title="After",
        **{
            "acts-INITIAL_FORMS": "1",
            "acts-0-id": str(act.pk),
            "acts-0-victim_kind": "organisation",
            "acts-0-victim": f"Synthetic Centre [{centre.code}]",
            "acts-0-violation_type": str(term("violation_types", "forced_closure").pk),
        },
    )
    response = documenter_client.post(reverse("incidents:edit", args=[incident.code]), data)
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.title == "After"
    assert incident.acts.get().pk == act.pk
    assert incident.acts.get().victim_organisation == centre


def test_deleting_an_act_in_the_form_removes_it(documenter_client, documenter):
    incident = make_incident(documenter)
    act = incident.acts.get()
    data = editor_data(
        **{"acts-INITIAL_FORMS": "1", "acts-0-id": str(act.pk), "acts-0-DELETE": "on"}
    )
    response = documenter_client.post(reverse("incidents:edit", args=[incident.code]), data)
    assert response.status_code == 302
    assert not incident.acts.exists()


def test_a_retired_term_cannot_be_newly_chosen(documenter_client):
    arrest = term("violation_types", "arrest")
    arrest.deprecated = True
    arrest.save()
    response = documenter_client.post(reverse("incidents:create"), editor_data())
    assert response.status_code == 400
    assert b"This term is retired" in response.content


def test_a_reader_may_not_open_the_forms(reader_client, documenter):
    incident = make_incident(documenter)
    assert reader_client.get(reverse("incidents:create")).status_code == 403
    assert reader_client.get(reverse("incidents:edit", args=[incident.code])).status_code == 403
    assert reader_client.post(reverse("incidents:create"), editor_data()).status_code == 403
    assert reader_client.get(incident.get_absolute_url()).status_code == 200


# ------------------------------------------------------------------ evidence


def upload(client, incident, name: str, content: bytes, **extra):
    return client.post(
        reverse("incidents:evidence-upload", args=[incident.code]),
        {"file": SimpleUploadedFile(name, content, content_type="application/pdf"), **extra},
    )


def test_an_evidence_file_is_stored_with_its_sha256_and_downloaded_as_an_attachment(
    documenter_client, documenter
):
    incident = make_incident(documenter, sources=1)
    response = upload(documenter_client, incident, "photo.png", PNG, description="Notice")
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert evidence.sha256 == hashlib.sha256(PNG).hexdigest()
    assert evidence.content_type == "image/png"  # sniffed, not the claimed PDF
    assert evidence.size == len(PNG)
    assert "photo" not in evidence.file.name
    download = documenter_client.get(reverse("incidents:evidence-download", args=[evidence.code]))
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PNG


def test_a_plain_text_file_is_accepted(documenter_client, documenter):
    incident = make_incident(documenter)
    response = upload(documenter_client, incident, "notes.txt", "证词 testimony\n".encode())
    assert response.status_code == 302
    assert EvidenceFile.objects.get().content_type == "text/plain"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "not accepted"),
        ("blob.bin", bytes(range(256)) * 4, "not accepted"),
        ("empty.txt", b"", "empty"),
    ],
)
def test_a_file_of_the_wrong_kind_is_refused_with_a_reason(
    documenter_client, documenter, name, content, message
):
    incident = make_incident(documenter)
    response = upload(documenter_client, incident, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not EvidenceFile.objects.exists()


def test_a_file_over_the_size_limit_is_refused(documenter_client, documenter, settings):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    incident = make_incident(documenter)
    response = upload(documenter_client, incident, "big.txt", b"a" * (1024 * 1024 + 1))
    assert response.status_code == 400
    assert re.search(r"larger than the limit of 1\s*MB", response.content.decode())
    assert not EvidenceFile.objects.exists()


def test_a_reader_may_not_upload_evidence(reader_client, documenter):
    incident = make_incident(documenter)
    assert upload(reader_client, incident, "photo.png", PNG).status_code == 403


def test_saving_the_edit_form_unchanged_keeps_every_act_perpetrator_and_source(
    documenter_client, documenter
):
    incident = make_incident(documenter, "Untouched", sources=2)
    page = documenter_client.get(reverse("incidents:edit", args=[incident.code]))
    # Resubmit exactly what the form shows, as a browser would, changing only the title.
    data = {}
    for form in [
        page.context["editor"].form,
        *page.context["editor"].acts.forms,
        *page.context["editor"].sources.forms,
        *[f for p in page.context["editor"].perpetrators for f in p.forms],
    ]:
        for name in form.fields:
            bound = form[name]
            value = bound.value()
            if value is None or value is False:
                continue
            if hasattr(value, "iso"):
                data[bound.html_name] = value.iso()
            elif isinstance(value, list):
                data[bound.html_name] = value
            else:
                data[bound.html_name] = value
    editor = page.context["editor"]
    for formset in [editor.acts, editor.sources, *editor.perpetrators]:
        management = formset.management_form
        for name in management.fields:
            data[management[name].html_name] = management[name].value()
    data["title"] = "Touched"
    response = documenter_client.post(reverse("incidents:edit", args=[incident.code]), data)
    assert response.status_code == 302, response.content[:3000]
    incident.refresh_from_db()
    assert incident.title == "Touched"
    assert incident.acts.count() == 1
    assert incident.acts.get().involvements.count() == 1
    assert incident.sources.count() == 2
