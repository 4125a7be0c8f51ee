"""Shared fixtures: the vocabularies, and the personas who use the platform."""

import pytest
from django.contrib.auth.models import Group

from solidarity.accounts.models import User
from solidarity.accounts.roles import DOCUMENTERS, ensure_groups
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


@pytest.fixture
def vocab(db):
    """The shipped vocabularies (reloaded if a transactional test flushed them)."""
    if not Term.objects.exists():
        load_all()
    ensure_groups()


def term(vocabulary: str, code: str) -> Term:
    return Term.objects.of(vocabulary).get(code=code)


@pytest.fixture
def documenter(vocab) -> User:
    """Dana documents incidents."""
    user = User.objects.create_user("dana", password="dana-password-1")
    user.groups.add(Group.objects.get(name=DOCUMENTERS))
    return user


@pytest.fixture
def reader(vocab) -> User:
    """Rui may read but not change anything."""
    return User.objects.create_user("rui", password="rui-password-1")


@pytest.fixture
def administrator(vocab) -> User:
    return User.objects.create_superuser("ada", password="ada-password-1")


@pytest.fixture
def documenter_client(client, documenter):
    client.force_login(documenter)
    return client


@pytest.fixture
def reader_client(client, reader):
    client.force_login(reader)
    return client
