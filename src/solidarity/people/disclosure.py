"""The disclosure seam: how a person or organisation is shown to an audience.

Everything that leaves the platform, and every page that shows a party to
someone who may not see its record, names it through :func:`disclose`. The
answer follows the party's active consent, read at the moment of output, so
revoking consent changes every later output at once.

| audience         | full name when the scopes include     | otherwise                   |
|------------------|---------------------------------------|-----------------------------|
| internal         | always (the record is visible)        | —                           |
| coalition        | share_within_coalition                | pseudonym, or "unnamed"     |
| UN-confidential  | share_with_un_confidential            | pseudonym, or "unnamed"     |
| public           | public_statement_named                | initials if                 |
|                  |                                       | public_initials_only, else  |
|                  |                                       | "an unnamed defender"       |

A pseudonym is never used publicly: a stable pseudonym lets readers link
separate public reports about the same person.
"""

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solidarity.lib import names
from solidarity.people.models import Organisation, Person


class Audience(models.TextChoices):
    INTERNAL = "internal", gettext_lazy("Internal")
    COALITION = "coalition", gettext_lazy("Coalition members")
    UN_CONFIDENTIAL = "un_confidential", gettext_lazy("UN, confidentially")
    PUBLIC = "public", gettext_lazy("The public")


class NameForm(models.TextChoices):
    FULL = "full", gettext_lazy("full name")
    INITIALS = "initials", gettext_lazy("initials")
    PSEUDONYM = "pseudonym", gettext_lazy("pseudonym")
    UNNAMED = "unnamed", gettext_lazy("unnamed")


NAMED_FOR = {
    Audience.COALITION: "share_within_coalition",
    Audience.UN_CONFIDENTIAL: "share_with_un_confidential",
    Audience.PUBLIC: "public_statement_named",
}


def consent_scopes(party: Person | Organisation, *, on: date | None = None) -> frozenset[str]:
    """The scopes of the party's consents that are in force on a day (today by default)."""
    on = on or timezone.localdate()
    scopes: set[str] = set()
    for consent in party.consents.prefetch_related("scopes"):
        if consent.is_active(on):
            scopes.update(term.code for term in consent.scopes.all())
    return frozenset(scopes)


def name_form(party: Person | Organisation, audience: str) -> NameForm:
    if audience == Audience.INTERNAL:
        return NameForm.FULL
    scopes = consent_scopes(party)
    if NAMED_FOR[Audience(audience)] in scopes:
        return NameForm.FULL
    if audience == Audience.PUBLIC:
        return NameForm.INITIALS if "public_initials_only" in scopes else NameForm.UNNAMED
    if isinstance(party, Person) and party.pseudonym:
        return NameForm.PSEUDONYM
    return NameForm.UNNAMED


def initials(name: str) -> str:
    """ "Synthetic Defender" -> "S. D."; a name without spaces gives its first letter."""
    return " ".join(f"{word[0]}." for word in name.split() if word)


def disclose(party: Person | Organisation, *, audience: str) -> str:
    """The party as the audience may see it."""
    form = name_form(party, audience)
    name = party.display_name if isinstance(party, Person) else party.name
    if form == NameForm.FULL:
        return name
    if form == NameForm.INITIALS:
        return initials(name)
    if form == NameForm.PSEUDONYM:
        return party.pseudonym
    return _("an unnamed defender") if isinstance(party, Person) else _("an unnamed organisation")


def with_connected(parties: list[Person | Organisation]) -> list[Person | Organisation]:
    """The parties, plus the people of each organisation among them (its head, and the
    persons related to it), whose names a text about the organisation may well carry."""
    found = {(type(p).__name__, p.pk): p for p in parties}
    for organisation in [p for p in parties if isinstance(p, Organisation)]:
        people = list(Person.objects.filter(relationships_from__to_organisation=organisation))
        people += list(Person.objects.filter(relationships_to__from_organisation=organisation))
        if organisation.head_id:
            people.append(organisation.head)
        for person in people:
            found.setdefault(("Person", person.pk), person)
    return list(found.values())


def every_name(party: Person | Organisation) -> list[str]:
    """Every name by which the party could be recognised in a text."""
    if isinstance(party, Person):
        names = [party.display_name, party.legal_name, *party.aliases.splitlines()]
    else:
        names = [party.name, *party.other_names.splitlines()]
    return [n.strip() for n in names if n and len(n.strip()) >= 2]


@dataclass(frozen=True)
class Shown:
    """A party as shown on an internal page: a link when its record is visible."""

    label: str
    url: str | None = None


def shown_to(user, parties: list[Person | Organisation]) -> dict[tuple[str, int], Shown]:
    """How each party appears to a user: by name with a link if the user may see its
    record, otherwise as the coalition audience may see it."""
    from solidarity.accounts.access import visible_to

    shown = {}
    for model in (Person, Organisation):
        ids = [p.pk for p in parties if isinstance(p, model)]
        visible = set(
            visible_to(user, model.objects.filter(pk__in=ids)).values_list("pk", flat=True)
        )
        for party in parties:
            if isinstance(party, model):
                key = (model.__name__, party.pk)
                if party.pk in visible:
                    shown[key] = Shown(label=str(party), url=party.get_absolute_url())
                else:
                    shown[key] = Shown(label=disclose(party, audience=Audience.COALITION))
    return shown


@dataclass(frozen=True)
class NameProblem:
    party: Person | Organisation
    name: str

    def __str__(self) -> str:
        return _("The text names %(name)s, whose consent does not allow it for this audience.") % {
            "name": self.name
        }


def names_not_allowed(
    text: str, parties: list[Person | Organisation], *, audience: str
) -> list[NameProblem]:
    """The names in ``text`` that the audience may not see.

    The text is read as written and as rendered (Markdown, HTML), and names are
    found through the one normalising matcher (:mod:`solidarity.lib.names`), so
    bold, line breaks, ``&nbsp;``, soft hyphens, zero-width characters, case and
    full-width letters do not hide a name. The people of each organisation among
    the parties (its head, the persons related to it) are checked too: a text
    about an organisation often names them.
    """
    readings = names.readings(text)
    problems = []
    for party in with_connected(parties):
        allowed = name_form(party, audience) == NameForm.FULL
        shown_as = names.fold(party.display_name if isinstance(party, Person) else party.name)
        for name in every_name(party):
            # A named person is named by their display name; legal names and
            # aliases never leave the platform. An organisation's names are public.
            if allowed and (isinstance(party, Organisation) or names.fold(name) == shown_as):
                continue
            if names.mentions(readings, name):
                problems.append(NameProblem(party=party, name=name))
    return problems
