"""Existing incidents that likely describe the same event as an intake document.

Only incidents the user may see are ever considered (the access seam narrows
every query), so the list reveals nothing of other organisations' records.

Names and encryption. Victim names live in plaintext columns
(``Person.display_name``, ``Organisation.name`` and ``other_names``) and in
encrypted ones (a person's legal name and aliases). Encrypted columns cannot be
searched in SQL, and a keyed hash of names beside them would add a second,
guessable copy of each name (names are few and predictable, so a hash can be
brute-forced by anyone holding its key). We therefore never search encrypted
names across the table: candidates are first narrowed in SQL by what is in
clear (visible incidents of the same country within a date window, and
incidents whose victims have the same display name or organisation name),
and then, for those few candidates only, every name of every victim
(including decrypted legal names and aliases) is compared in Python with the
proposed victims and looked for in the document's text. The latter finds an
organisation's English name in a Chinese text, or its Chinese other name in
an English one.

Names and access. Seeing an incident does not mean seeing its victims'
records: an incident may be shared coalition-wide while its victim is known
to the owner alone. A victim's legal name and aliases are therefore compared
only for parties the user may open (``access.visible_to``); for the others,
only the name the user is shown anyway (``disclosure.name_form`` for the
coalition: the display name with consent, else the pseudonym, else nothing).
Every party in a reason is labelled through ``disclosure.shown_to``, and no
reason ever prints the name that matched.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q
from django.utils.translation import gettext as _

from solidarity.accounts import access
from solidarity.incidents.models import Act, Incident
from solidarity.intake.services import normalise
from solidarity.lib.fuzzydate import FuzzyDate
from solidarity.people.disclosure import Audience, NameForm, every_name, name_form, shown_to
from solidarity.people.models import Organisation, Person

Party = Person | Organisation

WINDOW_DAYS = 30
CANDIDATES = 300  # incidents compared in Python at most
SHOWN = 5
THRESHOLD = 0.3
SIMILAR_TEXT = 0.35  # cosine of character trigrams worth mentioning
TEXT_CHARS = 4000  # compare the start of the document, where the event is told


@dataclass
class Candidate:
    incident: Incident
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    can_attach: bool = False
    # Victims matched, as ("same" | "text", party); turned into reasons once shown.
    victims: list[tuple[str, Party]] = field(default_factory=list, repr=False)


@dataclass
class Facts:
    """What the review page proposes, as far as duplicates are concerned."""

    text: str
    title: str = ""
    victim_names: list[str] = field(default_factory=list)
    country: str = ""
    place: str = ""
    date: FuzzyDate = field(default_factory=FuzzyDate)


def trigrams(text: str) -> Counter:
    """Character trigrams of the normalised text (works for Chinese as for Latin scripts)."""
    text = normalise(text)
    return Counter(text[i : i + 3] for i in range(max(0, len(text) - 2)))


def cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    dot = sum(count * b[gram] for gram, count in a.items() if gram in b)
    return dot / (
        math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    )


def _key(party: Party) -> tuple[str, int]:
    return (type(party).__name__, party.pk)


def _openable(user, parties: list[Party]) -> set[tuple[str, int]]:
    """The parties whose record the user may open (two queries for all of them)."""
    keys = set()
    for model in (Person, Organisation):
        ids = {p.pk for p in parties if isinstance(p, model)}
        if ids:
            visible = access.visible_to(user, model.objects.filter(pk__in=ids))
            keys |= {(model.__name__, pk) for pk in visible.values_list("pk", flat=True)}
    return keys


class _Names:
    """The names of each victim that may be compared for this user.

    A party the user may open: every name (decrypted here, for the candidates
    only; never queried). Any other party: only the name the user is shown,
    and its consents are read only when that name could match at all.
    """

    def __init__(self, openable: set[tuple[str, int]], could_match) -> None:
        self.openable = openable
        self.could_match = could_match
        self.shown: dict[tuple[str, int], list[str]] = {}

    def of(self, party: Party) -> list[str]:
        key = _key(party)
        if key in self.openable:
            return every_name(party)
        if key not in self.shown:
            full = party.display_name if isinstance(party, Person) else party.name
            pseudonym = party.pseudonym if isinstance(party, Person) else ""
            names = []
            if any(self.could_match(n) for n in (full, pseudonym) if n):
                form = name_form(party, Audience.COALITION)
                if form == NameForm.FULL:
                    names = [full]
                elif form == NameForm.PSEUDONYM:
                    names = [pseudonym]
            self.shown[key] = [n.strip() for n in names if n and n.strip()]
        return self.shown[key]


def _significant(name: str) -> bool:
    """Long enough to mean something when found inside a text."""
    compact = normalise(name).replace(" ", "")
    if re.search(r"[\u3400-\u9fff]", compact):
        return len(compact) >= 3
    return len(compact) >= 5


def _found_in(name: str, text_norm: str) -> bool:
    wanted = normalise(name)
    if not wanted:
        return False
    if re.search(r"[\u3400-\u9fff]", wanted):
        return wanted.replace(" ", "") in text_norm.replace(" ", "")
    # Latin-script word boundaries: a Chinese character next to the name is a boundary too.
    return re.search(rf"(?<![a-z0-9]){re.escape(wanted)}(?![a-z0-9])", text_norm) is not None


def _gap_days(facts: FuzzyDate, incident: Incident) -> int | None:
    """Days between the two (possibly uncertain) dates; 0 when they may be the same day."""
    low, high = facts.bounds()
    if low is None or incident.date_from is None:
        return None
    their_low, their_high = incident.date_from, incident.date_to or incident.date_from
    if their_high < low:
        return (low - their_high).days
    if their_low > high:
        return (their_low - high).days
    return 0


def _candidates(user, facts: Facts) -> list[Incident]:
    visible = access.visible_to(user, Incident.objects.all())
    wanted = Q(pk__in=[])
    low, high = facts.date.bounds()
    if low is not None:
        window = Q(
            date_from__lte=high + timedelta(days=WINDOW_DAYS),
            date_to__gte=low - timedelta(days=WINDOW_DAYS),
        )
        wanted |= window & Q(country=facts.country) if facts.country else window
    elif facts.country:
        wanted |= Q(country=facts.country)
    names = [n.strip() for n in facts.victim_names if n.strip()]
    if names:
        by_name = Q(pk__in=[])
        for name in names:
            by_name |= Q(victim_organisation__name__iexact=name)
            by_name |= Q(victim_organisation__other_names__icontains=name)
            by_name |= Q(victim_person__display_name__iexact=name)
        wanted |= Q(pk__in=Act.objects.filter(by_name).values("incident_id"))
    return list(
        visible.filter(wanted)
        .prefetch_related("acts__victim_person", "acts__victim_organisation")
        .order_by("-date_from", "-id")[:CANDIDATES]
    )


def _victim_reasons(user, shown: list[Candidate]) -> None:
    """Put the matched victims first in each shown candidate's reasons, labelled as the
    user may see them (never by the name that matched)."""
    parties = list({_key(p): p for c in shown for _, p in c.victims}.values())
    if not parties:
        return
    labels = shown_to(user, parties)
    for candidate in shown:
        reasons = []
        for how, party in candidate.victims:
            label = labels[_key(party)].label
            if how == "same":
                reasons.append(_("same victim: %(name)s") % {"name": label})
            else:
                reasons.append(_("the text names %(name)s") % {"name": label})
        candidate.reasons[:0] = reasons


def find_duplicates(*, user, facts: Facts) -> list[Candidate]:
    """Incidents the user may see that likely tell the same event, best first, with reasons."""
    text_norm = normalise(facts.text[: TEXT_CHARS * 5])
    proposed = {normalise(n) for n in facts.victim_names if normalise(n)}
    document_grams = trigrams(f"{facts.title}\n{facts.text[:TEXT_CHARS]}")

    def same(name: str) -> bool:
        return normalise(name) in proposed

    def in_text(name: str) -> bool:
        return _significant(name) and _found_in(name, text_norm)

    incidents = _candidates(user, facts)
    victims = [act.victim for i in incidents for act in i.acts.all() if act.victim is not None]
    names = _Names(_openable(user, victims), lambda n: same(n) or in_text(n))
    found = []
    for incident in incidents:
        candidate = Candidate(incident=incident)
        reasons = candidate.reasons
        named = set()
        for act in incident.acts.all():
            party = act.victim
            if party is None or _key(party) in named:
                continue
            comparable = names.of(party)
            if any(same(name) for name in comparable):
                named.add(_key(party))
                candidate.victims.append(("same", party))
                candidate.score += 0.5
            elif any(in_text(name) for name in comparable):
                named.add(_key(party))
                candidate.victims.append(("text", party))
                candidate.score += 0.4
        gap = _gap_days(facts.date, incident)
        if gap is not None and gap <= WINDOW_DAYS:
            if gap == 0:
                reasons.append(_("same date"))
            else:
                reasons.append(_("date within %(days)s days") % {"days": gap})
            candidate.score += 0.25 * (1 - gap / (WINDOW_DAYS + 1))
        if facts.country and incident.country == facts.country:
            reasons.append(_("same country"))
            candidate.score += 0.1
            place = normalise(facts.place)
            if place and place in {normalise(incident.place), normalise(incident.admin_area)}:
                reasons.append(_("same place: %(place)s") % {"place": facts.place})
                candidate.score += 0.05
        body = f"{incident.narrative}\n{incident.public_summary}"[:TEXT_CHARS]
        similarity = cosine(document_grams, trigrams(f"{incident.title}\n{body}"))
        if similarity >= SIMILAR_TEXT:
            reasons.append(_("similar text %(score).2f") % {"score": similarity})
        candidate.score += 0.3 * similarity
        if candidate.score >= THRESHOLD and (reasons or candidate.victims):
            found.append(candidate)
    found.sort(key=lambda c: (-c.score, -(c.incident.date_from or date.min).toordinal()))
    shown = found[:SHOWN]
    _victim_reasons(user, shown)
    for candidate in shown:
        candidate.can_attach = access.can_edit(user, candidate.incident)
    return shown
