"""Every read and write of UN engagement goes through here (keyword-only functions).

Access: review cycles, milestones and recommendations are reference data that
every member sees (users without a membership see none); members who may
document (coordinators and documenters) add them. Submissions are owned by the
submitting member organisation and go through the access seam. An engagement
is visible to those who may see its party and changed by those who may change
the party. A reprisal link is decided by those who may edit the act's incident.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from solidarity import audit
from solidarity.accounts import access
from solidarity.accounts.models import MemberOrganisation
from solidarity.audit.models import Action
from solidarity.incidents.models import Act, Incident
from solidarity.lib.fuzzydate import FuzzyDate
from solidarity.people.models import Organisation, Person
from solidarity.un.models import (
    CONFIRMED,
    MECHANISMS,
    CalendarToken,
    Engagement,
    Milestone,
    PartyKind,
    Recommendation,
    ReprisalLink,
    ReprisalStatus,
    ReviewCycle,
    Submission,
)
from solidarity.vocab.models import Term

DEFAULT_WINDOW_DAYS = 1826


def _created(user, obj) -> None:
    audit.record(
        actor=user,
        action=Action.CREATE,
        obj=obj,
        changes=audit.changed_fields({}, audit.snapshot(obj)),
    )


def _is_member(user) -> bool:
    return bool(access.roles(user))


def _require_writer(user) -> None:
    if not access.can_add(user):
        raise PermissionDenied


def _check_mechanism(mechanism: Term) -> None:
    if mechanism.vocabulary.code != MECHANISMS:
        raise ValidationError(_("Choose a UN mechanism."))


# ---------------------------------------------------------------- review cycles


def visible_cycles(user) -> QuerySet[ReviewCycle]:
    """Every review cycle, for members; none for anyone else."""
    if not _is_member(user):
        return ReviewCycle.objects.none()
    return ReviewCycle.objects.select_related("mechanism")


def get_cycle_for_user(user, code: UUID | str) -> ReviewCycle:
    try:
        return visible_cycles(user).get(code=code)
    except (ReviewCycle.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def add_cycle(*, user, country: str, mechanism: Term, label: str, notes: str = "") -> ReviewCycle:
    _require_writer(user)
    _check_mechanism(mechanism)
    with transaction.atomic():
        cycle = ReviewCycle.objects.create(
            country=country.upper(), mechanism=mechanism, label=label, notes=notes
        )
        _created(user, cycle)
    return cycle


def add_milestone(
    *,
    user,
    cycle: ReviewCycle,
    type: str,
    due_date: date,
    actual_date: date | None = None,
    document_symbol: str = "",
) -> Milestone:
    _require_writer(user)
    with transaction.atomic():
        milestone = Milestone.objects.create(
            cycle=cycle,
            type=type,
            due_date=due_date,
            actual_date=actual_date,
            document_symbol=document_symbol,
        )
        _created(user, milestone)
    return milestone


def add_recommendation(
    *, user, cycle: ReviewCycle, paragraph: str, text: str, follow_up_requested: bool = False
) -> Recommendation:
    _require_writer(user)
    with transaction.atomic():
        recommendation = Recommendation.objects.create(
            cycle=cycle, paragraph=paragraph, text=text, follow_up_requested=follow_up_requested
        )
        _created(user, recommendation)
    return recommendation


def upcoming_milestones(user, *, today: date | None = None) -> QuerySet[Milestone]:
    """Milestones due from today on, in the cycles the user may see."""
    today = today or timezone.localdate()
    return (
        Milestone.objects.filter(cycle__in=visible_cycles(user), due_date__gte=today)
        .select_related("cycle", "cycle__mechanism")
        .order_by("due_date", "id")
    )


# ---------------------------------------------------------------- submissions


def visible_submissions(user, cycle: ReviewCycle | None = None) -> QuerySet[Submission]:
    submissions = access.visible_to(user, Submission.objects.select_related("owner"))
    if cycle is not None:
        submissions = submissions.filter(cycle=cycle)
    return submissions


def add_submission(
    *,
    user,
    cycle: ReviewCycle,
    organisation: MemberOrganisation,
    title: str,
    date: date,
    document_reference: str = "",
) -> Submission:
    """Record a submission in the name of an organisation the user documents for."""
    if organisation.pk not in access.writer_organisation_ids(user):
        raise PermissionDenied
    with transaction.atomic():
        submission = Submission.objects.create(
            cycle=cycle,
            owner=organisation,
            title=title,
            date=date,
            document_reference=document_reference,
            created_by=user,
        )
        _created(user, submission)
    return submission


# ---------------------------------------------------------------- calendar tokens


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_calendar_token(*, user) -> str:
    """A new feed token for the user (any earlier one is revoked); returned once, stored hashed."""
    if not access.can_use(user):
        raise PermissionDenied
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        revoke_calendar_tokens(user=user)
        record = CalendarToken.objects.create(user=user, token_hash=_hash(token))
        audit.record(actor=user, action=Action.CREATE, obj=record)
    return token


def revoke_calendar_tokens(*, user) -> int:
    with transaction.atomic():
        active = list(CalendarToken.objects.filter(user=user, revoked_at__isnull=True))
        now = timezone.now()
        for record in active:
            record.revoked_at = now
            record.save(update_fields=["revoked_at"])
            audit.record(
                actor=user,
                action=Action.UPDATE,
                obj=record,
                changes=[{"field": "revoked_at", "old": None, "new": str(now)}],
            )
    return len(active)


def active_calendar_token(*, user) -> CalendarToken | None:
    return CalendarToken.objects.filter(user=user, revoked_at__isnull=True).first()


def user_for_calendar_token(token: str):
    """The active user a feed token belongs to; 404 for an unknown or revoked token."""
    record = (
        CalendarToken.objects.filter(token_hash=_hash(token), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if record is None or not record.user.is_active:
        raise Http404
    return record.user


def calendar_for_user(user, *, today: date | None = None) -> bytes:
    """The upcoming deadlines the user may see, as an iCalendar document."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Solidarity//UN deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("UN deadlines"))
    stamp = timezone.now()
    for milestone in upcoming_milestones(user, today=today):
        cycle = milestone.cycle
        event = Event()
        event.add("uid", f"{milestone.code}@solidarity")
        event.add("dtstamp", stamp)
        event.add("dtstart", milestone.due_date)
        event.add("dtend", milestone.due_date + timedelta(days=1))
        event.add(
            "summary",
            f"{milestone.get_type_display()}: {cycle.mechanism} · {cycle.country} · {cycle.label}",
        )
        if milestone.document_symbol:
            event.add("description", milestone.document_symbol)
        calendar.add_component(event)
    return calendar.to_ical()


# ---------------------------------------------------------------- engagements


def visible_engagements(user) -> QuerySet[Engagement]:
    """Engagements whose party (person or organisation) the user may see."""
    if not access.can_use(user):
        return Engagement.objects.none()
    return Engagement.objects.filter(
        Q(person__in=access.visible_to(user, Person.objects.all()))
        | Q(organisation__in=access.visible_to(user, Organisation.objects.all()))
    ).select_related("mechanism", "cycle", "person", "organisation")


def _party_filter(party: Person | Organisation) -> dict:
    if isinstance(party, Person):
        return {"person": party}
    return {"organisation": party}


def engagements_of(*, user, party: Person | Organisation) -> QuerySet[Engagement]:
    return visible_engagements(user).filter(**_party_filter(party)).order_by("date_from", "id")


def get_engagement_for_user(user, code: UUID | str) -> Engagement:
    try:
        return visible_engagements(user).get(code=code)
    except (Engagement.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


def add_engagement(
    *,
    user,
    party: Person | Organisation,
    engagement_type: str,
    date: FuzzyDate,
    mechanism: Term,
    cycle: ReviewCycle | None = None,
    document_reference: str = "",
    notes: str = "",
) -> Engagement:
    """Record that the party engaged with a mechanism; needs the right to change the party."""
    if not access.can_edit(user, party):
        raise PermissionDenied
    _check_mechanism(mechanism)
    engagement = Engagement(
        party_kind=PartyKind.PERSON if isinstance(party, Person) else PartyKind.ORGANISATION,
        engagement_type=engagement_type,
        mechanism=mechanism,
        cycle=cycle,
        document_reference=document_reference,
        notes=notes,
        created_by=user,
        **_party_filter(party),
    )
    engagement.date = date
    with transaction.atomic():
        engagement.save()
        _created(user, engagement)
    return engagement


# ---------------------------------------------------------------- reprisals


def window_days() -> int:
    return int(getattr(settings, "SOLIDARITY_REPRISAL_WINDOW_DAYS", DEFAULT_WINDOW_DAYS))


@dataclass(frozen=True)
class Timing:
    """Days from the engagement to the act: at least and at most (with uncertain dates)."""

    at_least: int
    at_most: int

    @property
    def exact(self) -> bool:
        return self.at_least == self.at_most

    @property
    def at_least_shown(self) -> int:
        return max(self.at_least, 0)


def timing(act: Act, engagement: Engagement, *, window: int | None = None) -> Timing | None:
    """The time from engagement to act, or None when the pair is not a possible reprisal.

    Not possible: either date unknown, the engagement certainly after the act,
    or the engagement's whole possible span older than the window.
    """
    window = window_days() if window is None else window
    if None in (act.date_from, act.date_to, engagement.date_from, engagement.date_to):
        return None
    at_least = (act.date_from - engagement.date_to).days
    at_most = (act.date_to - engagement.date_from).days
    if at_most < 0 or at_least > window:
        return None
    return Timing(at_least=at_least, at_most=at_most)


@dataclass(frozen=True)
class Proposal:
    act: Act
    engagement: Engagement
    timing: Timing


def _victim_filter(act: Act) -> dict | None:
    if act.victim_person_id:
        return {"person_id": act.victim_person_id}
    if act.victim_organisation_id:
        return {"organisation_id": act.victim_organisation_id}
    return None


def _candidates(act: Act, engagements: QuerySet[Engagement], window: int) -> QuerySet[Engagement]:
    victim = _victim_filter(act)
    if victim is None or act.date_from is None:
        return engagements.none()
    return engagements.filter(
        **victim,
        date_from__lte=act.date_to,
        date_to__gte=act.date_from - timedelta(days=window),
    )


def propose_reprisals(
    *, act: Act, engagements: QuerySet[Engagement] | None = None
) -> list[Proposal]:
    """Earlier engagements of the act's victim within the window, not yet decided.

    Nothing is stored; calling it twice gives the same answer. Pass
    ``engagements`` to narrow the candidates (e.g. to those a user may see).
    """
    window = window_days()
    engagements = Engagement.objects.all() if engagements is None else engagements
    decided = ReprisalLink.objects.filter(act=act).exclude(status=ReprisalStatus.PROPOSED)
    candidates = (
        _candidates(act, engagements, window)
        .exclude(pk__in=decided.values("engagement_id"))
        .select_related("mechanism", "cycle")
        .order_by("-date_to", "id")
    )
    proposals = []
    for engagement in candidates:
        found = timing(act, engagement, window=window)
        if found is not None:
            proposals.append(Proposal(act=act, engagement=engagement, timing=found))
    return proposals


def get_act_for_user(user, act_id: int) -> Act:
    try:
        return access.visible_to(user, Act.objects.select_related("incident")).get(pk=act_id)
    except (Act.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def decide_reprisal(
    *, user, act_id: int, engagement: UUID | str, status: str, note: str = ""
) -> ReprisalLink:
    """Confirm a proposed link as alleged, likely or established, or dismiss it.

    404 for an act or engagement the user may not see; 403 for a user who may
    not edit the act's incident. A decided link may be decided again.
    """
    act = get_act_for_user(user, act_id)
    found = get_engagement_for_user(user, engagement)
    if not access.can_edit(user, act.incident):
        raise PermissionDenied
    if status not in {*CONFIRMED, ReprisalStatus.DISMISSED}:
        raise ValidationError(_("Choose alleged, likely, established or dismissed."))
    victim = _victim_filter(act)
    if victim is None or any(getattr(found, key) != value for key, value in victim.items()):
        raise ValidationError(_("The engagement is not the victim's."))
    link = ReprisalLink.objects.filter(act=act, engagement=found).first()
    if link is None and timing(act, found) is None:
        raise ValidationError(_("The engagement is not within the reprisal window before the act."))
    with transaction.atomic():
        before = audit.snapshot(link) if link else {}
        link = link or ReprisalLink(act=act, engagement=found)
        creating = link.pk is None
        link.status = status
        link.note = note
        link.decided_by = user
        link.decided_at = timezone.now()
        link.save()
        audit.record(
            actor=user,
            action=Action.CREATE if creating else Action.UPDATE,
            obj=link,
            changes=audit.changed_fields(before, audit.snapshot(link)),
        )
    return link


def confirmed_links(user) -> QuerySet[ReprisalLink]:
    """Confirmed links whose act and engagement the user may both see."""
    return ReprisalLink.objects.filter(
        status__in=CONFIRMED,
        act__in=access.visible_to(user, Act.objects.all()),
        engagement__in=visible_engagements(user),
    ).select_related(
        "act",
        "act__incident",
        "act__violation_type",
        "engagement",
        "engagement__mechanism",
        "engagement__person",
        "engagement__organisation",
    )


def _with_timing(links) -> list[ReprisalLink]:
    links = list(links)
    for link in links:
        link.timing = timing(link.act, link.engagement, window=10**6)
    return links


def reprisals_for_incident(user, incident: Incident) -> dict:
    """The context of ``un/_reprisals_for_incident.html``: confirmed links, and for
    those who may edit the incident, the open proposals."""
    if not access.visible_to(user, Incident.objects.filter(pk=incident.pk)).exists():
        return {"incident": incident, "links": [], "proposals": [], "can_decide": False}
    links = _with_timing(confirmed_links(user).filter(act__incident=incident).order_by("act", "id"))
    can_decide = access.can_edit(user, incident)
    proposals = []
    if can_decide:
        engagements = visible_engagements(user)
        for act in incident.acts.all():
            proposals += propose_reprisals(act=act, engagements=engagements)
    return {
        "incident": incident,
        "links": links,
        "proposals": proposals,
        "can_decide": can_decide,
        "statuses": [(s.value, s.label) for s in (*CONFIRMED, ReprisalStatus.DISMISSED)],
    }


def reprisals_for_party(user, party: Person | Organisation) -> dict:
    """The context of ``un/_reprisals_for_party.html``: the party's engagements and
    the confirmed reprisal links against it."""
    links = confirmed_links(user).filter(
        **{f"engagement__{k}": v for k, v in _party_filter(party).items()}
    )
    return {
        "party": party,
        "engagements": list(engagements_of(user=user, party=party)),
        "links": _with_timing(links.order_by("act__date_from", "id")),
        "can_add": access.can_edit(user, party),
        "party_kind": "person" if isinstance(party, Person) else "organisation",
    }


@dataclass(frozen=True)
class OverviewRow:
    country: str
    year: int | None
    count: int


def reprisal_overview(*, user) -> list[OverviewRow]:
    """Confirmed reprisal links the user may see, counted by incident country and act year."""
    rows = (
        confirmed_links(user)
        .annotate(year=ExtractYear("act__date_from"))
        .values("act__incident__country", "year")
        .annotate(count=Count("id"))
        .order_by("act__incident__country", "year")
    )
    return [
        OverviewRow(country=row["act__incident__country"], year=row["year"], count=row["count"])
        for row in rows
    ]
