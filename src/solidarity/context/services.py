"""Laws, policies and civic-space ratings: reads and writes, audited."""

from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404

from solidarity import audit
from solidarity.accounts import access
from solidarity.audit.models import Action
from solidarity.context.models import CivicSpaceRating, Law, LawStatusEvent
from solidarity.incidents.models import Incident
from solidarity.incidents.services import NEWEST_FIRST
from solidarity.lib.fuzzydate import FuzzyDate


def list_laws(*, user, country: str = "") -> QuerySet[Law]:
    if not access.can_use(user):
        return Law.objects.none()
    laws = Law.objects.prefetch_related("history")
    return laws.filter(country=country) if country else laws


def get_law(*, user, code: UUID | str) -> Law:
    law = list_laws(user=user).filter(code=code).first() if access.can_use(user) else None
    if law is None:
        raise Http404
    return law


def save_law(*, user, law: Law) -> Law:
    """Create or change a law; laws are shared reference data that documenters keep."""
    if not access.can_add(user):
        raise PermissionDenied
    creating = law.pk is None
    before = {} if creating else audit.snapshot(Law.objects.get(pk=law.pk))
    with transaction.atomic():
        law.save()
        audit.record(
            actor=user,
            action=Action.CREATE if creating else Action.UPDATE,
            obj=law,
            changes=audit.changed_fields(before, audit.snapshot(law)),
        )
    return law


def add_status(*, user, law: Law, status: str, date: FuzzyDate, note: str = "") -> LawStatusEvent:
    if not access.can_add(user):
        raise PermissionDenied
    with transaction.atomic():
        event = LawStatusEvent(law=law, status=status, note=note)
        event.date = date
        event.save()
        audit.record(
            actor=user,
            action=Action.UPDATE,
            obj=law,
            changes=[{"field": "status", "old": None, "new": f"{status} {date.iso()}"}],
        )
    return event


def incidents_invoking(*, user, law: Law) -> QuerySet[Incident]:
    return access.visible_to(user, law.incidents.all()).order_by(*NEWEST_FIRST)


@dataclass(frozen=True)
class TimelineEntry:
    date: FuzzyDate
    kind: str  # "law" or "incident"
    label: str
    url: str
    detail: str = ""


def country_timeline(*, user, country: str) -> list[TimelineEntry]:
    """The laws' dated steps and the incidents the user may see, in date order."""
    entries = [
        TimelineEntry(
            date=event.date,
            kind="law",
            label=event.law.title,
            url=event.law.get_absolute_url(),
            detail=event.get_status_display(),
        )
        for event in LawStatusEvent.objects.filter(law__country=country).select_related("law")
    ]
    incidents = access.visible_to(user, Incident.objects.filter(country=country)).order_by(
        *NEWEST_FIRST
    )[:200]
    entries += [
        TimelineEntry(date=i.date, kind="incident", label=i.title, url=i.get_absolute_url())
        for i in incidents
    ]
    entries += [
        TimelineEntry(
            date=engagement.date,
            kind="un",
            label=str(engagement.party),
            url=engagement.party.get_absolute_url(),
            detail=f"{engagement.get_engagement_type_display()} · {engagement.mechanism}",
        )
        for engagement in _engagements_in(user=user, country=country)
    ]
    return sorted(entries, key=lambda entry: entry.date.sort_key())


def _engagements_in(*, user, country: str):
    """UN engagements about this State: in one of its review cycles, or by a party based there."""
    from solidarity.un.services import visible_engagements

    return visible_engagements(user).filter(
        Q(cycle__country=country)
        | Q(organisation__country=country)
        | Q(person__nationality=country)
    )[:200]


def communications_about(*, user, law: Law):
    from solidarity.un.communications import communications_for

    return communications_for(user=user).filter(laws=law)


def ratings(*, country: str) -> QuerySet[CivicSpaceRating]:
    return CivicSpaceRating.objects.filter(country=country)
