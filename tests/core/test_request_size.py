"""Request bodies are refused by their announced size before anything reads them
(core/middleware.py)."""

from io import StringIO

import pytest
import waitress
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from solidarity.core.management.commands import demo
from solidarity.core.middleware import largest_allowance
from solidarity.incidents.models import EvidenceFile
from solidarity.intake import readers
from tests.factories import make_incident

MIB = 1024 * 1024
TOO_LARGE = 26 * MIB + 1
MULTIPART = "multipart/form-data; boundary=synthetic-boundary"


class Untouchable:
    """A wsgi.input that fails the test if anything reads it."""

    def __init__(self) -> None:
        self.reads = 0

    def read(self, *args):
        self.reads += 1
        raise AssertionError("the request body was read")

    readline = read


def post_announcing(client: Client, url: str, length: str | None, body=None, **extra):
    environ = {"wsgi.input": body if body is not None else Untouchable(), **extra}
    if length is not None:
        environ["CONTENT_LENGTH"] = length
    return client.generic("POST", url, CONTENT_TYPE=MULTIPART, **environ)


@pytest.fixture
def strict_client(documenter) -> Client:
    """Checks CSRF as a browser's requests are checked: CsrfViewMiddleware reads the body."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(documenter)
    return client


def assert_refused_unread(response, body: Untouchable, status: int = 413) -> None:
    assert response.status_code == status
    assert body.reads == 0
    content = response.content.decode()
    assert len(content) < 1000 and "Traceback" not in content


def test_a_26_mb_post_to_an_ordinary_form_is_refused_with_413_without_being_read(
    strict_client,
):
    body = Untouchable()
    response = post_announcing(strict_client, reverse("incidents:create"), str(TOO_LARGE), body)
    assert_refused_unread(response, body)
    assert "at most 5 MB" in response.content.decode()


def test_a_26_mb_evidence_upload_is_refused_with_413_without_being_read(strict_client, documenter):
    incident = make_incident(documenter)
    url = reverse("incidents:evidence-upload", args=[incident.code])
    body = Untouchable()
    response = post_announcing(strict_client, url, str(TOO_LARGE), body)
    assert_refused_unread(response, body)
    assert "at most 25.1 MB" in response.content.decode()


def test_an_anonymous_visitor_never_gets_the_upload_allowance(documenter):
    incident = make_incident(documenter)
    for url in (
        reverse("account_login"),
        reverse("incidents:evidence-upload", args=[incident.code]),
        reverse("intake:new"),
    ):
        body = Untouchable()
        response = post_announcing(Client(enforce_csrf_checks=True), url, str(6 * MIB), body)
        assert_refused_unread(response, body)


def test_an_intake_upload_over_100_mb_is_refused_unread_and_one_over_5_mb_is_taken(
    strict_client, documenter_client
):
    body = Untouchable()
    over = readers.MAX_ZIP_TOTAL_BYTES + MIB
    response = post_announcing(strict_client, reverse("intake:new"), str(over), body)
    assert_refused_unread(response, body)

    six_mib = SimpleUploadedFile("synthetic.txt", b"x" * (6 * MIB), content_type="text/plain")
    response = documenter_client.post(reverse("intake:new"), {"files": [six_mib]})
    assert response.status_code == 302


def test_an_evidence_upload_within_the_limit_still_works(documenter_client, documenter):
    incident = make_incident(documenter)
    url = reverse("incidents:evidence-upload", args=[incident.code])
    # larger than what an ordinary form may send, within the evidence limit
    text = SimpleUploadedFile("synthetic.txt", b"synthetic text\n" * (MIB // 2))
    assert text.size > settings.SOLIDARITY_REQUEST_MAX_BYTES
    response = documenter_client.post(url, {"file": text, "description": "Synthetic"})
    assert response.status_code == 302
    assert EvidenceFile.objects.get().size == text.size


@pytest.mark.parametrize(
    ("length", "status"),
    [
        ("abc", 400),
        ("-1", 400),
        ("1e9", 400),
        ("12 ", 400),
        ("1_000", 400),
        ("", 411),
        (None, 411),
        ("9" * 5000, 413),
    ],
)
def test_a_missing_or_bogus_content_length_gets_a_clear_4xx(strict_client, length, status):
    body = Untouchable()
    response = post_announcing(strict_client, reverse("incidents:create"), length, body)
    assert_refused_unread(response, body, status)


def test_a_bogus_content_length_on_the_sign_in_page_gets_a_clear_4xx(documenter):
    body = Untouchable()
    response = post_announcing(Client(), reverse("account_login"), "not-a-number", body)
    assert_refused_unread(response, body, 400)


def test_a_get_without_a_body_is_not_asked_for_its_length(documenter_client):
    assert documenter_client.get(reverse("incidents:list")).status_code == 200


def _names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names


def test_the_upload_allowances_name_real_views_and_cover_their_limits():
    by_view = settings.SOLIDARITY_REQUEST_MAX_BYTES_BY_VIEW
    assert set(by_view) <= _names(get_resolver())
    assert by_view["incidents:evidence-upload"] > settings.EVIDENCE_MAX_BYTES
    assert by_view["intake:new"] > readers.MAX_ZIP_TOTAL_BYTES
    assert settings.SOLIDARITY_REQUEST_MAX_BYTES >= settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert largest_allowance() == by_view["intake:new"]


@pytest.mark.django_db
def test_the_demo_server_refuses_bodies_larger_than_the_largest_allowance(
    settings, tmp_path, monkeypatch
):
    served = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **options: served.update(options))
    monkeypatch.setattr(demo, "start_worker", lambda: None)
    settings.VAR_DIR = tmp_path
    call_command("demo", stdout=StringIO())
    assert served["max_request_body_size"] == largest_allowance()
