"""A documenter uploads several files; they are read in the background, one failing alone."""

import io
import zipfile
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from solidarity.incidents.models import Incident
from solidarity.intake.models import IntakeDocument, State

GOOD = (
    "Synthetic statement. On 3 March 2021 police arrested the lawyer Synthetic Person Beta "
    "in Nairobi, Kenya, and detained her for two days."
)
OTHER = (
    "Synthetic appeal. On 9 May 2022 the authorities ordered the closure of the Synthetic "
    "Women's Rights Centre in Lima, Peru."
)


def uploads():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("appeal.txt", OTHER)
    return [
        SimpleUploadedFile("statement.txt", GOOD.encode("utf-8")),
        SimpleUploadedFile("broken.pdf", b"%PDF-1.4\nthis is not really a pdf\n%%EOF"),
        SimpleUploadedFile("appeals.zip", archive.getvalue()),
    ]


def run_worker():
    """What `solidarity db_worker` does, until the queue is empty.

    It runs inside the test's transaction, so it must not close the connection
    between jobs as a worker process does.
    """
    with mock.patch(f"{Worker.__module__}.close_old_connections"):
        _worker().run()


def _worker() -> Worker:
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


def test_a_batch_is_read_in_the_background_and_a_broken_file_does_not_stop_the_rest(
    documenter_client,
):
    response = documenter_client.post(
        reverse("intake:new"), {"files": uploads(), "published": "2022-06-01"}
    )
    assert response.status_code == 302
    batch_url = response["Location"]
    page = documenter_client.get(batch_url).content.decode()
    assert "0 of 3 done" in page
    assert page.count("Queued") == 3
    assert 'hx-trigger="every 2s"' in page  # htmx polls while work remains

    run_worker()

    page = documenter_client.get(batch_url).content.decode()
    assert "3 of 3 done" in page
    assert 'hx-trigger="every 2s"' not in page
    documents = {d.name: d for d in IntakeDocument.objects.all()}
    assert documents["statement.txt"].state == State.EXTRACTED
    assert documents["appeals.zip/appeal.txt"].state == State.EXTRACTED
    broken = documents["broken.pdf"]
    assert broken.state == State.FAILED and broken.error
    assert broken.error in page.replace("&#x27;", "'")
    assert page.count(">Review</a>") == 2
    assert not Incident.objects.exists()


def test_htmx_gets_just_the_progress_and_a_plain_reload_shows_the_same(documenter_client):
    response = documenter_client.post(reverse("intake:new"), {"files": uploads()})
    batch_url = response["Location"]
    partial = documenter_client.get(batch_url, headers={"HX-Request": "true"}).content.decode()
    full = documenter_client.get(batch_url).content.decode()
    assert "<html" not in partial and 'id="progress"' in partial
    assert "<html" in full and "0 of 3 done" in partial and "0 of 3 done" in full


def test_jobs_carry_only_the_documents_code(documenter_client):
    documenter_client.post(reverse("intake:new"), {"files": uploads()})
    codes = {str(code) for code in IntakeDocument.objects.values_list("code", flat=True)}
    for job in DBTaskResult.objects.all():
        assert job.args_kwargs == {"args": [job.args_kwargs["args"][0]], "kwargs": {}}
        assert job.args_kwargs["args"][0] in codes
    run_worker()
    for job in DBTaskResult.objects.all():
        assert job.status == "SUCCESSFUL"
        assert "Synthetic" not in str(job.return_value) and not job.traceback


@pytest.fixture
def immediate_jobs(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_with_an_immediate_backend_the_batch_is_done_when_the_page_opens(
    documenter_client, immediate_jobs
):
    response = documenter_client.post(reverse("intake:new"), {"files": uploads()})
    page = documenter_client.get(response["Location"]).content.decode()
    assert "3 of 3 done" in page


def test_other_organisations_cannot_follow_a_batch(client, documenter, outsider, reader):
    client.force_login(documenter)
    batch_url = client.post(reverse("intake:new"), {"files": uploads()})["Location"]
    client.force_login(outsider)
    assert client.get(batch_url).status_code == 404
    client.force_login(reader)
    assert client.get(batch_url).status_code == 200


def test_an_empty_upload_is_refused_with_the_form_kept(documenter_client):
    response = documenter_client.post(reverse("intake:new"), {"source_name": "Synthetic"})
    assert response.status_code == 400
    assert "Paste a text or choose one or more files." in response.content.decode()
    assert not IntakeDocument.objects.exists()
