"""Accounts hardening: MFA, login rate limits, security headers, deploy checks.

The sign-in limits in detail: test_lockout.py."""

import os
import subprocess
import sys
from pathlib import Path

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse

from solidarity.accounts.models import Membership, Role, User
from solidarity.core.encryption import get_keyring

ROOT = Path(__file__).resolve().parents[2]


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def sign_in(client, username: str, password: str):
    return client.post(reverse("account_login"), {"login": username, "password": password})


def test_a_coordinator_without_an_authenticator_is_sent_to_set_one_up(client, home):
    user = User.objects.create_user("cora", password="cora-password-1")
    Membership.objects.create(user=user, organisation=home, role=Role.COORDINATOR)
    client.force_login(user)
    response = client.get(reverse("incidents:list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_an_administrator_without_an_authenticator_is_sent_to_set_one_up(client, vocab):
    user = User.objects.create_superuser("root2", password="root2-password-1")
    client.force_login(user)
    assert client.get(reverse("admin:index"))["Location"] == reverse("mfa_activate_totp")


def test_a_documenter_may_work_without_an_authenticator_but_may_set_one_up(
    documenter_client,
):
    assert documenter_client.get(reverse("incidents:list")).status_code == 200
    assert documenter_client.get(reverse("mfa_index")).status_code == 200


def test_signing_in_with_totp_asks_for_the_code_and_accepts_a_valid_one(client, documenter):
    secret = generate_totp_secret()
    TOTP.activate(documenter, secret)
    response = sign_in(client, "dana", "dana-password-1")
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("incidents:list")).status_code == 302  # not signed in yet
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and b"Incorrect code" in wrong.content
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("incidents:list")).status_code == 200


def test_a_recovery_code_works_once(client, documenter):
    TOTP.activate(documenter, generate_totp_secret())
    codes = RecoveryCodes.activate(documenter).get_unused_codes()
    sign_in(client, "dana", "dana-password-1")
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
    client.logout()
    sign_in(client, "dana", "dana-password-1")
    again = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert again.status_code == 200
    assert client.get(reverse("incidents:list")).status_code == 302


def test_the_totp_secret_is_encrypted_at_rest(documenter):
    secret = generate_totp_secret()
    TOTP.activate(documenter, secret)
    stored = Authenticator.objects.get(user=documenter, type=Authenticator.Type.TOTP).data
    assert secret not in str(stored)
    assert get_keyring().decrypt(stored["secret"].encode()).decode() == secret


def test_repeated_failed_logins_back_that_address_off_even_with_the_right_password(
    client, documenter
):
    # Per username and address: the owner elsewhere is not locked out (test_lockout.py).
    for _ in range(5):
        assert sign_in(client, "dana", "wrong-password").status_code == 200
    refused = sign_in(client, "dana", "dana-password-1")
    assert refused.status_code == 200
    assert client.get(reverse("incidents:list")).status_code == 302
    assert b"Too many failed attempts from this address; try again in 1 minute." in (
        refused.content
    )


def test_sign_up_is_closed(client, vocab):
    response = client.post(
        reverse("account_signup"),
        {
            "username": "intruder",
            "password1": "a-long-password-1",
            "password2": "a-long-password-1",
        },
    )
    assert not User.objects.filter(username="intruder").exists()
    assert response.status_code in (200, 403)


def test_every_page_carries_a_strict_content_security_policy_and_security_headers(
    documenter_client,
):
    response = documenter_client.get(reverse("incidents:list"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Cache-Control"] == "no-store, private"


def test_pages_have_no_inline_script_or_style(documenter_client, documenter):
    from tests.factories import make_incident

    incident = make_incident(documenter)
    for url in (
        reverse("incidents:list"),
        incident.get_absolute_url(),
        reverse("incidents:create"),
        reverse("account_login"),
    ):
        content = documenter_client.get(url).content.decode()
        assert "<script>" not in content and " style=" not in content and "<style" not in content
        assert "onclick=" not in content and "javascript:" not in content


def production_environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    keys = tmp_path / "keys"
    keys.write_text(get_keyring_key() + "\n")
    keys.chmod(0o600)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SOLIDARITY_", "DJANGO_", "DATABASE_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="solidarity.settings",
        SOLIDARITY_SECRET_KEY="x" * 20 + "-production-secret-key-that-is-long-enough-0123456789",
        SOLIDARITY_ALLOWED_HOSTS="solidarity.example.org",
        SOLIDARITY_HTTPS="1",
        SOLIDARITY_VAR_DIR=str(tmp_path / "var"),
        SOLIDARITY_ENCRYPTION_KEYS_FILE=str(keys),
        **extra,
    )
    return env


def get_keyring_key() -> str:
    from solidarity.lib.crypto import generate_key

    return generate_key()


def run_solidarity(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "solidarity.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_production_settings_pass_check_deploy_with_no_warning(tmp_path):
    result = run_solidarity(
        "check", "--deploy", "--fail-level", "WARNING", env=production_environment(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_check_catches_an_insecure_configuration(tmp_path):
    env = production_environment(tmp_path)
    env.pop("SOLIDARITY_HTTPS")
    result = run_solidarity("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS" in result.stderr + result.stdout


def test_the_production_server_refuses_to_start_without_an_encryption_key(tmp_path):
    env = production_environment(tmp_path)
    env.pop("SOLIDARITY_ENCRYPTION_KEYS_FILE")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import solidarity.wsgi"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Solidarity needs an encryption key" in result.stderr
