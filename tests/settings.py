"""The project's settings for the test suite: a key made for this run, and the
tests-only app with one field of each encrypted type."""

from cryptography.fernet import Fernet

from solidarity.settings import *  # noqa: F403
from solidarity.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.encryption_app"]
SOLIDARITY_ENCRYPTION_KEYS = Fernet.generate_key().decode("ascii")
SOLIDARITY_ENCRYPTION_KEYS_FILE = None
