"""The built-in groups and what they may do."""

from django.contrib.auth.models import Group, Permission

DOCUMENTERS = "Documenters"
DOCUMENTER_PERMISSIONS = [
    ("incidents", "add_incident"),
    ("incidents", "change_incident"),
    ("people", "add_person"),
    ("people", "change_person"),
    ("people", "add_organisation"),
    ("people", "change_organisation"),
]


def ensure_groups(**kwargs) -> None:
    """Create the Documenters group with its permissions (idempotent; runs after migrate)."""
    group, _created = Group.objects.get_or_create(name=DOCUMENTERS)
    wanted = [
        Permission.objects.filter(content_type__app_label=app, codename=codename).first()
        for app, codename in DOCUMENTER_PERMISSIONS
    ]
    group.permissions.add(*[p for p in wanted if p is not None])
