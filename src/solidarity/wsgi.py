"""WSGI entry point."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidarity.settings")
application = get_wsgi_application()

# A production server without an encryption key must not start at all.
from solidarity.core.encryption import require_keys  # noqa: E402

require_keys()
