"""A first draft of a statement from the records, in the language chosen.

Every party is named through the disclosure seam for the public audience; dates
are written at their own precision; the author edits freely afterwards.
"""

from django.utils import translation
from django.utils.translation import gettext as _

from solidarity.core.countries import country_name
from solidarity.core.templatetags.solidarity import fuzzy
from solidarity.incidents.models import Incident
from solidarity.lib.fuzzydate import Precision
from solidarity.people.disclosure import Audience, disclose


def _join(items: list[str]) -> str:
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": _(", ").join(items[:-1]), "last": items[-1]}


def _when(date) -> str:
    if not date.is_known:
        return _("At a date not yet established")
    if date.precision == Precision.DAY:
        return _("On %(date)s") % {"date": fuzzy(date)}
    return _("In %(date)s") % {"date": fuzzy(date)}


def _chinese() -> bool:
    return (translation.get_language() or "").startswith("zh")


def _where(incident: Incident) -> str:
    parts = [p for p in (incident.place, incident.admin_area, country_name(incident.country)) if p]
    # Chinese writes places from the largest to the smallest, without separators.
    return "".join(reversed(parts)) if _chinese() else ", ".join(parts)


def _in_sentence(label: str) -> str:
    """A vocabulary label inside a sentence: a common noun, lower-cased except in Chinese."""
    return label if _chinese() or not label else label[0].lower() + label[1:]


def _sentences(sentences: list[str]) -> str:
    return ("" if _chinese() else " ").join(sentences)


def draft_statement(*, incident: Incident, language: str, requests: list[str]) -> str:
    """Markdown paragraphs: what happened, who was targeted, the context, the UN, the asks."""
    with translation.override(language):
        paragraphs = []
        for act in incident.acts.select_related("violation_type").prefetch_related(
            "involvements__perpetrator_type"
        ):
            victim = (
                disclose(act.victim, audience=Audience.PUBLIC) if act.victim else act.victim_group
            )
            sentence = _("%(when)s, %(victim)s was subjected to %(violation)s in %(place)s.") % {
                "when": _when(act.date if act.date.is_known else incident.date),
                "victim": victim,
                "violation": act.violation_type.label.lower()
                if language == "en"
                else act.violation_type.label,
                "place": _where(incident) or _("an undisclosed place"),
            }
            perpetrators = [
                str(inv.perpetrator_type) for inv in act.involvements.all() if inv.perpetrator_type
            ]
            sentences = [sentence]
            if perpetrators:
                sentences.append(_("Those responsible: %(who)s.") % {"who": _join(perpetrators)})
            paragraphs.append(_sentences(sentences))
        targeted = []
        for party in incident.parties():
            if not hasattr(party, "areas_of_work"):
                continue
            areas = [_in_sentence(t.label) for t in party.areas_of_work.all()]
            if areas and party in [a.victim for a in incident.acts.all()]:
                targeted.append(
                    _("%(victim)s works on %(areas)s.")
                    % {"victim": disclose(party, audience=Audience.PUBLIC), "areas": _join(areas)}
                )
        if targeted:
            paragraphs.append(_sentences(targeted))
        context = [_in_sentence(t.label) for t in incident.context_tags.all()]
        laws = incident.related_law_list
        sentences = []
        if context:
            sentences.append(
                _("This happened in a context of %(context)s.") % {"context": _join(context)}
            )
        if laws:
            sentences.append(_("The policy environment matters: %(laws)s.") % {"laws": _join(laws)})
        if sentences:
            paragraphs.append(_sentences(sentences))
        paragraphs.append(
            _(
                "[Engagement with UN mechanisms: add what the defenders shared with the UN, if "
                "consent allows, or delete this paragraph.]"
            )
        )
        if requests:
            asks = "\n".join(f"- {request}" for request in requests)
            paragraphs.append(_("The coalition calls on the authorities to:") + "\n\n" + asks)
        return "\n\n".join(paragraphs) + "\n"
