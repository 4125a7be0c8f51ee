"""Whatever a visitor posts to the sign-in page, from wherever it says it comes, the
answer is quick and never a server error (with the real password hasher)."""

import time

from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

latin1 = st.characters(max_codepoint=255)
header_text = st.text(alphabet=latin1, max_size=60)
addresses = st.one_of(
    st.sampled_from(["10.0.0.1", "10.1.2.3", "203.0.113.7", "2001:db8::1"]),
    st.ip_addresses().map(str),
)
forwarded = st.one_of(
    st.none(),
    header_text,
    st.lists(st.one_of(addresses, header_text), max_size=6).map(", ".join),
)
usernames = st.one_of(st.sampled_from(["dana", "DANA", " dana ", "synthetic-nobody"]), st.text())
passwords = st.one_of(st.just("dana-password-1"), st.text(max_size=200))


@given(
    username=usernames,
    password=passwords,
    remote=st.one_of(addresses, header_text),
    forwarded_for=forwarded,
)
@hypothesis_settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_any_sign_in_attempt_gets_an_answer_within_two_seconds_and_never_a_server_error(
    documenter, settings, username, password, remote, forwarded_for
):
    settings.SOLIDARITY_TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8::/32"]
    extra = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    started = time.perf_counter()
    response = Client().post(
        reverse("account_login"), {"login": username, "password": password}, **extra
    )
    elapsed = time.perf_counter() - started
    assert response.status_code in (200, 302, 429), response.status_code
    assert elapsed < 2.0
