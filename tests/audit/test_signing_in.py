"""Signing in, signing out and failing to sign in are recorded, through the real views."""

import hashlib

from solidarity.audit.models import AuditEvent
from solidarity.audit.signals import attempted_name_digest
from solidarity.audit.verify import verify_chain

LOGIN = "/accounts/login/"
LOGOUT = "/accounts/logout/"


def sign_in(client, name: str, password: str):
    # The name goes in both "username" (Django's form) and "login" (allauth's).
    return client.post(LOGIN, {"username": name, "login": name, "password": password})


def test_signing_in_and_out_is_recorded(client, documenter):
    assert sign_in(client, "dana", "dana-password-1").status_code == 302
    client.post(LOGOUT)

    events = list(AuditEvent.objects.order_by("seq"))
    assert [(e.action, e.actor_id, e.actor_name) for e in events] == [
        ("login", documenter.pk, "dana"),
        ("logout", documenter.pk, "dana"),
    ]
    assert verify_chain() == []


def test_a_failed_sign_in_is_recorded_without_the_name_or_password_typed(client, documenter):
    typed = "my-secret-passphrase-typed-in-the-wrong-box"
    assert sign_in(client, typed, "whatever-1234").status_code == 200

    event = AuditEvent.objects.get()
    assert (event.action, event.actor_id, event.actor_name) == ("login_failed", None, "")
    assert event.detail == {"username_digest": attempted_name_digest(typed), "user_exists": False}
    stored = repr(AuditEvent.objects.values().get())
    assert typed not in stored
    assert "whatever-1234" not in stored


def test_failed_sign_ins_with_the_same_name_can_be_matched(client, documenter):
    for _ in range(2):
        sign_in(client, "dana", "wrong-password-1")
    sign_in(client, "dama", "wrong-password-1")

    details = [event.detail for event in AuditEvent.objects.order_by("seq")]
    assert details[0] == details[1]
    assert details[0]["user_exists"] is True
    assert details[2]["user_exists"] is False
    assert details[2]["username_digest"] != details[0]["username_digest"]


def test_the_attempted_name_digest_is_keyed_not_a_bare_hash(settings):
    digest = attempted_name_digest("password123")
    assert digest != hashlib.sha256(b"password123").hexdigest()
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert attempted_name_digest("password123") != digest
