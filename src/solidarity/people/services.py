"""Reads of persons and organisations, through the access seam."""

from django.db.models import QuerySet

from solidarity.accounts import access
from solidarity.people.models import Organisation, Person

SUGGESTION_LIMIT = 10


def search_persons(*, user, text: str = "") -> QuerySet[Person]:
    persons = access.visible_to(user, Person.objects.all())
    return persons.filter(display_name__icontains=text) if text else persons


def search_organisations(*, user, text: str = "") -> QuerySet[Organisation]:
    organisations = access.visible_to(user, Organisation.objects.all())
    return organisations.filter(name__icontains=text) if text else organisations


def suggest_parties(*, user, text: str) -> list[Person | Organisation]:
    """A few persons and organisations whose name contains the text."""
    if len(text.strip()) < 2:
        return []
    persons = list(search_persons(user=user, text=text.strip())[:SUGGESTION_LIMIT])
    organisations = list(search_organisations(user=user, text=text.strip())[:SUGGESTION_LIMIT])
    return persons + organisations
