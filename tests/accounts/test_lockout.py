"""Failed sign-ins are limited per username and address, per address, and per username
from many addresses, without letting a stranger lock the owner out (accounts/lockout.py)."""

import re
import time

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from solidarity.accounts import lockout
from solidarity.audit.models import AuditEvent
from solidarity.audit.signals import attempted_name_digest
from solidarity.audit.verify import verify_chain

HOME = "192.0.2.10"  # where the owner signs in from
STRANGER = "203.0.113.7"
ELSEWHERE = "198.51.100.200"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Dozens of sign-ins per test: a fast hasher (the users are created after this)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clock(monkeypatch):
    """Moves time.time() forward, for our counters and the cache's expiry alike."""
    real = time.time
    offset = [0.0]
    monkeypatch.setattr(time, "time", lambda: real() + offset[0])

    class Clock:
        def advance(self, seconds: float) -> None:
            offset[0] += seconds

    return Clock()


def sign_in(username: str, password: str, address: str, client: Client | None = None, **extra):
    client = client or Client()
    response = client.post(
        reverse("account_login"),
        {"login": username, "password": password},
        REMOTE_ADDR=address,
        **extra,
    )
    response.client = client
    return response


def errors(response) -> str:
    """The form's error messages (what the visitor is told)."""
    return " ".join(re.findall(r'<ul class="errorlist[^"]*">(.*?)</ul>', response.content.decode()))


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] != reverse("account_login")


def attack_from_many_addresses(username: str, addresses: int = 10, each: int = 5) -> None:
    for n in range(addresses):
        for _ in range(each):
            sign_in(username, "wrong-password-1", f"198.51.100.{n + 1}")


def test_a_strangers_failures_from_one_address_do_not_lock_the_owner_out_of_hers(documenter):
    for _ in range(20):
        assert not signed_in(sign_in("dana", "wrong-password-1", STRANGER))
    assert "from this address" in errors(sign_in("dana", "dana-password-1", STRANGER))

    response = sign_in("dana", "dana-password-1", HOME)
    assert signed_in(response)
    assert response.client.get(reverse("incidents:list")).status_code == 200


def test_one_address_is_backed_off_with_growing_delays_even_with_the_right_password(
    documenter, clock
):
    for _ in range(5):
        assert "Too many" not in errors(sign_in("dana", "wrong-password-1", STRANGER))
    refused = sign_in("dana", "dana-password-1", STRANGER)
    assert not signed_in(refused)
    assert "Too many failed attempts from this address; try again in 1 minute." in errors(refused)

    clock.advance(61)  # one more try, wrong: two minutes now
    assert "Too many" not in errors(sign_in("dana", "wrong-password-1", STRANGER))
    assert "try again in 2 minutes" in errors(sign_in("dana", "dana-password-1", STRANGER))

    clock.advance(121)  # and four
    assert "Too many" not in errors(sign_in("dana", "wrong-password-1", STRANGER))
    assert "try again in 4 minutes" in errors(sign_in("dana", "dana-password-1", STRANGER))
    clock.advance(3 * 60)
    assert "try again in 1 minute" in errors(sign_in("dana", "dana-password-1", STRANGER))

    clock.advance(61)
    assert signed_in(sign_in("dana", "dana-password-1", STRANGER))


def test_the_right_password_clears_the_count_of_earlier_typos(documenter):
    for _ in range(4):
        sign_in("dana", "wrong-password-1", HOME)
    assert signed_in(sign_in("dana", "dana-password-1", HOME))
    for _ in range(4):
        sign_in("dana", "wrong-password-1", HOME)
    assert signed_in(sign_in("dana", "dana-password-1", HOME))


def test_one_address_spraying_many_usernames_is_blocked(documenter, clock):
    for n in range(20):  # two tries each at ten names, over two minutes
        sign_in(f"synthetic-name-{n % 10}", "wrong-password-1", STRANGER)
        clock.advance(6)
    refused = sign_in("dana", "dana-password-1", STRANGER)
    assert not signed_in(refused)
    assert "Too many failed attempts from this address; try again in 15 minutes." in errors(refused)
    assert signed_in(sign_in("dana", "dana-password-1", HOME))  # other addresses are not

    clock.advance(10 * 60)
    assert "from this address" in errors(sign_in("synthetic-name-11", "x-password-1", STRANGER))
    clock.advance(6 * 60)
    assert signed_in(sign_in("dana", "dana-password-1", STRANGER))


def test_an_address_blocked_again_is_blocked_for_longer(documenter, clock):
    for n in range(20):
        sign_in(f"synthetic-name-{n}", "wrong-password-1", STRANGER)
    clock.advance(15 * 60 + 1)
    assert signed_in(sign_in("dana", "dana-password-1", STRANGER))
    for n in range(20):
        sign_in(f"synthetic-name-{n}", "wrong-password-1", STRANGER)
    assert "try again in 30 minutes" in errors(sign_in("dana", "dana-password-1", STRANGER))


def test_failures_from_many_addresses_lock_the_account_and_notify_its_owner(documenter):
    documenter.email = "dana@example.org"
    documenter.save()

    attack_from_many_addresses("dana")

    refused = sign_in("dana", "dana-password-1", HOME)
    assert not signed_in(refused)
    assert "Too many failed attempts for this username from many places" in errors(refused)
    assert "try again in 60 minutes" in errors(refused)

    from django.core import mail

    [email] = mail.outbox
    assert email.to == ["dana@example.org"]
    assert "paused" in email.subject
    assert "60 minutes" in email.body
    assert "dana" not in email.body and "http" not in email.body  # no name, no link

    [event] = AuditEvent.objects.filter(detail__lockout="account")
    assert (event.action, event.actor_id) == ("login_failed", None)
    assert event.detail == {
        "lockout": "account",
        "user_id": documenter.pk,
        "username_digest": attempted_name_digest("dana"),
        "failures": 50,
        "addresses": 10,
        "minutes": 60,
    }
    assert verify_chain() == []


def test_many_failures_from_few_addresses_or_few_from_many_do_not_lock_the_account(
    documenter, clock
):
    attack_from_many_addresses("dana", addresses=12, each=4)  # 48 failures from 12 addresses
    assert signed_in(sign_in("dana", "dana-password-1", ELSEWHERE))

    clock.advance(2 * 60 * 60)  # a new window
    attack_from_many_addresses("dana", addresses=9, each=5)
    clock.advance(61)
    attack_from_many_addresses("dana", addresses=9, each=1)  # 54 failures from 9 addresses
    assert signed_in(sign_in("dana", "dana-password-1", ELSEWHERE))
    assert not AuditEvent.objects.filter(detail__lockout="account").exists()


def test_the_owner_still_gets_in_from_an_address_she_signed_in_from_and_is_told(documenter):
    first = sign_in("dana", "dana-password-1", HOME)
    assert signed_in(first)
    first.client.post(reverse("account_logout"))

    attack_from_many_addresses("dana")
    assert "from many places" in errors(sign_in("dana", "dana-password-1", ELSEWHERE))

    again = sign_in("dana", "dana-password-1", HOME)
    assert signed_in(again)
    page = again.client.get(reverse("incidents:list")).content.decode()
    assert "signing in with your username was paused" in page


def test_the_account_lock_expires(documenter, clock):
    attack_from_many_addresses("dana")
    assert "from many places" in errors(sign_in("dana", "dana-password-1", HOME))
    clock.advance(59 * 60)
    assert "try again in 1 minute" in errors(sign_in("dana", "dana-password-1", HOME))
    clock.advance(61)
    response = sign_in("dana", "dana-password-1", HOME)
    assert signed_in(response)
    page = response.client.get(reverse("incidents:list")).content.decode()
    assert "signing in with your username was paused" in page


def test_the_messages_do_not_reveal_whether_a_username_exists(documenter):
    for name in ("dana", "synthetic-nobody"):
        for _ in range(5):
            sign_in(name, "wrong-password-1", STRANGER)
    assert errors(sign_in("dana", "x", STRANGER)) == errors(
        sign_in("synthetic-nobody", "x", STRANGER)
    )

    attack_from_many_addresses("dana")
    attack_from_many_addresses("synthetic-nobody")
    assert errors(sign_in("dana", "x", HOME)) == errors(sign_in("synthetic-nobody", "x", HOME))

    from django.core import mail

    assert len(mail.outbox) == 0  # dana has no address; nobody is nobody
    events = AuditEvent.objects.filter(detail__lockout="account").order_by("seq")
    assert [event.detail["user_id"] for event in events] == [documenter.pk, None]


def test_x_forwarded_for_is_ignored_when_the_request_does_not_come_from_a_trusted_proxy(
    documenter,
):
    for n in range(5):
        sign_in("dana", "wrong-password-1", STRANGER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    refused = sign_in("dana", "dana-password-1", STRANGER, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert "from this address" in errors(refused)


def test_behind_a_trusted_proxy_the_client_is_the_nearest_untrusted_forwarded_address(
    documenter, settings
):
    settings.SOLIDARITY_TRUSTED_PROXIES = ["10.0.0.0/8"]
    for n in range(5):  # the stranger's own header entries are not believed
        sign_in(
            "dana",
            "wrong-password-1",
            "10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {STRANGER}",
        )
    behind_proxy = {"HTTP_X_FORWARDED_FOR": f"192.0.2.77, {STRANGER}"}
    assert "from this address" in errors(
        sign_in("dana", "dana-password-1", "10.0.0.2", **behind_proxy)
    )
    home = {"HTTP_X_FORWARDED_FOR": HOME}
    assert signed_in(sign_in("dana", "dana-password-1", "10.0.0.2", **home))


@pytest.mark.parametrize(
    ("remote", "forwarded", "proxies", "expected"),
    [
        ("203.0.113.7", None, [], "203.0.113.7"),
        ("203.0.113.7", "192.0.2.1", [], "203.0.113.7"),
        ("203.0.113.7", "192.0.2.1", ["10.0.0.1"], "203.0.113.7"),
        ("10.0.0.1", "192.0.2.1", ["10.0.0.1"], "192.0.2.1"),
        ("10.0.0.1", "198.51.100.1, 192.0.2.1", ["10.0.0.1"], "192.0.2.1"),
        ("10.0.0.1", "192.0.2.1, 10.0.0.5", ["10.0.0.0/8"], "192.0.2.1"),
        ("10.0.0.1", "192.0.2.1:5555", ["10.0.0.1"], "192.0.2.1"),
        ("10.0.0.1", "[2001:db8::1]:443", ["10.0.0.1"], "2001:db8::1"),
        ("10.0.0.1", "not-an-address", ["10.0.0.1"], "10.0.0.1"),
        ("10.0.0.1", "", ["10.0.0.1"], "10.0.0.1"),
        ("10.0.0.1", None, ["10.0.0.1"], "10.0.0.1"),
        ("::ffff:192.0.2.5", None, [], "192.0.2.5"),
        ("", None, [], "unknown"),
    ],
)
def test_the_client_address(settings, remote, forwarded, proxies, expected):
    settings.SOLIDARITY_TRUSTED_PROXIES = proxies
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    assert lockout.client_address(RequestFactory().get("/", **meta)) == expected


def test_ipv6_addresses_count_by_their_slash_64():
    assert lockout.address_key("2001:db8:1:2::1") == lockout.address_key("2001:db8:1:2:ffff::9")
    assert lockout.address_key("2001:db8:1:2::1") != lockout.address_key("2001:db8:1:3::1")
    assert lockout.address_key("192.0.2.1") != lockout.address_key("192.0.2.2")


def test_the_counters_hold_neither_the_typed_names_nor_the_addresses(documenter):
    from django.core.cache import cache

    sign_in("dana", "dana-password-1", STRANGER)  # remembered as an address she uses
    sign_in("my-typed-secret-name", "wrong-password-1", STRANGER)
    ours = {  # in the local-memory cache of the tests
        key: value for key, value in cache._cache.items() if "solidarity:login" in key
    }
    assert any(":known:" in key for key in ours) and any(":pair:" in key for key in ours)
    stored = repr(ours)
    assert "my-typed-secret-name" not in stored and "dana" not in stored
    assert STRANGER not in stored
