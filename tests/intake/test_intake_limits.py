"""Uploads are refused by their size before anything is read or kept; reviews keep names out.

Every name below is synthetic.
"""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from solidarity.incidents.models import EvidenceFile
from solidarity.intake import forms as intake_forms
from solidarity.intake import readers
from solidarity.intake.models import IntakeDocument, State
from tests.factories import make_incident
from tests.intake.intake_helpers import form_data

VICTIM = "Amara Testperson"
STATEMENT = (
    "On 3 March 2021 police in Nairobi, Kenya, arrested the woman human rights defender "
    f"{VICTIM}, a lawyer, and detained her for two days."
)


def stored_files() -> list[Path]:
    location = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    return [p for p in location.rglob("*") if p.is_file()] if location.exists() else []


def assert_nothing_stored():
    assert IntakeDocument.objects.count() == 0
    assert stored_files() == []


def text_file(name: str, size: int) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"x" * size, content_type="text/plain")


def paste(client, text: str) -> str:
    response = client.post(reverse("intake:new"), {"text": text})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


@pytest.fixture
def small_limits(monkeypatch):
    """Limits of a few kilobytes, so that the tests need not send megabytes."""
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 2 * 1024 * 1024)
    monkeypatch.setattr(readers, "MAX_ZIP_TOTAL_BYTES", 3 * 1024 * 1024)


def test_more_files_than_allowed_at_once_are_refused_and_nothing_is_kept(documenter_client):
    files = [text_file(f"note-{n}.txt", 10) for n in range(intake_forms.MAX_FILES + 1)]
    response = documenter_client.post(reverse("intake:new"), {"files": files})
    assert response.status_code == 400
    assert f"Upload at most {intake_forms.MAX_FILES} files at once." in response.content.decode()
    assert_nothing_stored()


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(
    documenter_client, small_limits, monkeypatch
):
    read = []
    monkeypatch.setattr(intake_forms.IntakeForm, "file_contents", lambda self: read.append(1))
    files = [text_file("small.txt", 10), text_file("huge.txt", 2 * 1024 * 1024 + 1)]
    response = documenter_client.post(reverse("intake:new"), {"files": files})
    assert response.status_code == 400
    assert "huge.txt is larger than 2 MB" in response.content.decode()
    assert read == []
    assert_nothing_stored()


def test_a_zip_may_be_larger_than_one_file_but_not_larger_than_the_zip_limit(
    documenter_client, small_limits
):
    response = documenter_client.post(
        reverse("intake:new"), {"files": [text_file("many.zip", 3 * 1024 * 1024 + 1)]}
    )
    assert response.status_code == 400
    assert "many.zip is larger than 3 MB" in response.content.decode()
    assert_nothing_stored()

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as zipped:
        zipped.writestr("statement.txt", STATEMENT + " " * (2 * 1024 * 1024))
    upload = SimpleUploadedFile("statements.zip", archive.getvalue())
    response = documenter_client.post(reverse("intake:new"), {"files": [upload]})
    assert response.status_code == 302


def test_files_together_larger_than_the_total_limit_are_refused_and_nothing_is_kept(
    documenter_client, small_limits
):
    files = [text_file(f"part-{n}.txt", 1024 * 1024 + 1) for n in range(3)]
    response = documenter_client.post(reverse("intake:new"), {"files": files})
    assert response.status_code == 400
    assert "more than 3 MB together" in response.content.decode()
    assert_nothing_stored()


def test_an_invalid_attach_form_shows_the_review_again_with_its_errors_and_attaches_nothing(
    documenter_client, documenter
):
    recorded = make_incident(documenter, "Synthetic recorded arrest", sources=1)
    url = paste(documenter_client, STATEMENT)
    document = IntakeDocument.objects.get()
    form = documenter_client.get(url).context["form"]
    response = documenter_client.post(
        reverse("intake:attach", args=[document.code, recorded.code]),
        form_data(form, source_url="not an address", source_date="sometime"),
    )
    assert response.status_code == 400
    shown = response.context["form"]
    assert set(shown.errors) == {"source_url", "source_date"}
    assert shown["source_url"].value() == "not an address"
    page = response.content.decode()
    assert "Enter a date as YYYY, YYYY-MM or YYYY-MM-DD" in page
    assert recorded.sources.count() == 1
    assert not EvidenceFile.objects.filter(incident=recorded).exists()
    document.refresh_from_db()
    assert (document.state, document.incident) == (State.EXTRACTED, None)


def test_the_proposed_title_names_the_violation_country_and_date_but_no_victim(
    documenter_client,
):
    form = documenter_client.get(paste(documenter_client, STATEMENT)).context["form"]
    assert any(row["proposal"].name == VICTIM for row in form.victim_rows)  # a named victim
    title = form.initial["title"]
    assert VICTIM not in title and "Testperson" not in title
    violation = form.initial[form.violation_rows[0]["field"]]
    assert title.startswith(f"{violation.label} — ")
    assert "Kenya" in title and "2021-03-03" in title


def test_a_document_is_listed_by_its_stored_title_without_decrypting_its_text(
    documenter_client,
):
    paste(documenter_client, STATEMENT)
    document = IntakeDocument.objects.get()
    assert document.label == document.title
    untitled = IntakeDocument.objects.defer("text").get()
    untitled.title = ""
    assert untitled.label.startswith("Pasted text, ")
    assert "text" in untitled.get_deferred_fields()  # the label did not load the text
