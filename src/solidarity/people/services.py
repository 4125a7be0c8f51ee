"""Reads of persons and organisations, through the access seam."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from solidarity import audit
from solidarity.accounts import access
from solidarity.audit.models import Action
from solidarity.people.models import Consent, Organisation, Person

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


def add_consent(*, user, party: Person | Organisation, scopes, **fields) -> Consent:
    """Record a consent for a person or organisation the user may edit."""
    if not access.can_edit(user, party):
        raise PermissionDenied
    subject = {"person": party} if isinstance(party, Person) else {"organisation": party}
    with transaction.atomic():
        consent = Consent.objects.create(obtained_by=user, **subject, **fields)
        consent.scopes.set(scopes)
        changes = audit.changed_fields({}, audit.snapshot(consent))
        changes.append({"field": "scopes", "old": None, "new": ",".join(t.code for t in scopes)})
        audit.record(actor=user, action=Action.CREATE, obj=consent, changes=changes)
    return consent


def revoke_consent(*, user, code) -> Consent:
    """Revoke a consent from now on; every later output follows at once."""
    consent = Consent.objects.select_related("person", "organisation").filter(code=code).first()
    if (
        consent is None
        or not access.visible_to(
            user, type(consent.subject).objects.filter(pk=consent.subject.pk)
        ).exists()
    ):
        raise Http404
    if not access.can_edit(user, consent.subject):
        raise PermissionDenied
    if consent.revoked_at is None:
        with transaction.atomic():
            consent.revoked_at = timezone.now()
            consent.save(update_fields=["revoked_at", "updated_at"])
            audit.record(
                actor=user,
                action=Action.UPDATE,
                obj=consent,
                changes=[
                    {"field": "revoked_at", "old": None, "new": consent.revoked_at.isoformat()}
                ],
            )
    return consent
