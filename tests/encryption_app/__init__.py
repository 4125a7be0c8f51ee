"""A tests-only app with one field of each encrypted type; installed by tests/settings.py."""
