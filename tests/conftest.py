"""Shared fixtures: the vocabularies, and the personas who use the platform."""

import pytest

from solidarity.accounts.models import MemberOrganisation, Membership, Role, User
from solidarity.vocab.loader import load_all
from solidarity.vocab.models import Term


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_all()


@pytest.fixture(autouse=True)
def _evidence_storage(settings, tmp_path):
    """Evidence files go to a fresh folder per test, never into var/."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "evidence"},
        },
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Login rate limits live in the cache: one test's failures must not lock out the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english():
    """Each test starts in English, whatever language an earlier request switched to."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def vocab(db):
    """The shipped vocabularies (reloaded if a transactional test flushed them)."""
    if not Term.objects.exists():
        load_all()


def term(vocabulary: str, code: str) -> Term:
    return Term.objects.of(vocabulary).get(code=code)


def member(name: str, organisation: MemberOrganisation, role: str) -> User:
    user = User.objects.create_user(name, password=f"{name}-password-1")
    Membership.objects.create(user=user, organisation=organisation, role=role)
    if role == Role.COORDINATOR:
        with_mfa(user)
    return user


def with_mfa(user: User) -> User:
    """Give the user an authenticator app and recovery codes, as coordinators must have."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    RecoveryCodes.activate(user)
    return user


@pytest.fixture
def home(vocab) -> MemberOrganisation:
    """The member organisation that owns the records under test."""
    return MemberOrganisation.objects.create(name="Synthetic Home Organisation")


@pytest.fixture
def partner_org(vocab) -> MemberOrganisation:
    return MemberOrganisation.objects.create(name="Synthetic Partner Organisation")


@pytest.fixture
def outsider_org(vocab) -> MemberOrganisation:
    return MemberOrganisation.objects.create(name="Synthetic Outsider Organisation")


@pytest.fixture
def coordinator(home) -> User:
    """Cleo coordinates the home organisation's work."""
    return member("cleo", home, Role.COORDINATOR)


@pytest.fixture
def documenter(home) -> User:
    """Dana documents incidents for the home organisation."""
    return member("dana", home, Role.DOCUMENTER)


@pytest.fixture
def reader(home) -> User:
    """Rui reads the home organisation's records but changes nothing."""
    return member("rui", home, Role.READER)


@pytest.fixture
def partner(partner_org) -> User:
    """Pat documents for a partner organisation that records may be shared with."""
    return member("pat", partner_org, Role.DOCUMENTER)


@pytest.fixture
def outsider(outsider_org) -> User:
    """Olga documents for another member organisation; nothing is shared with her."""
    return member("olga", outsider_org, Role.DOCUMENTER)


@pytest.fixture
def administrator(vocab) -> User:
    """Ada runs the platform; she belongs to no member organisation."""
    return with_mfa(User.objects.create_superuser("ada", password="ada-password-1"))


@pytest.fixture
def demo_coordinator(vocab) -> User:
    """A coordinator of the demo's member organisation."""
    from solidarity.core.demo import demo_member_organisation

    return member("demo-coordinator", demo_member_organisation(), Role.COORDINATOR)


@pytest.fixture
def demo_case(demo_coordinator):
    """The reference case, loaded as the demo loads it."""
    from solidarity.core.demo import load_demo

    return load_demo(user=demo_coordinator)


@pytest.fixture
def documenter_client(client, documenter):
    client.force_login(documenter)
    return client


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client
