"""Documents the UN can use, drafted from the records for review before export.

- A communication to the Special Procedures holds what their submission forms
  ask for: the victim, the link to human rights work, what happened, when and
  where, the perpetrators, action by the authorities, and the two consent
  answers (may the name be transmitted to the State; may it appear in public
  reports), taken from the consent records. Without consent to share with the
  UN, it is refused, naming the victim.
- The coalition's annual input to the Secretary-General's report on reprisals
  gathers the confirmed reprisal links whose act falls in the reporting period
  (June to May by default), grouped by country.

Names go through the disclosure seam for the UN-confidential audience. The
reviewed text is checked again at every export, with the one name matcher of
the seam: a name its consent does not allow (a victim without consent to share
with the UN, or anyone's legal name or alias) stops the export.
"""

from collections import defaultdict
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.html import escape
from django.utils.translation import gettext as _

from solidarity import audit
from solidarity.accounts import access
from solidarity.audit.models import Action
from solidarity.core.countries import country_name
from solidarity.core.templatetags.solidarity import fuzzy
from solidarity.incidents.models import Incident
from solidarity.lib.fuzzydate import Match
from solidarity.lib.markup import markdown_to_html
from solidarity.people.disclosure import (
    Audience,
    consent_scopes,
    disclose,
    names_not_allowed,
    shown_to,
)
from solidarity.people.models import Organisation, Person
from solidarity.un.models import CONFIRMED, Communication, CommunicationKind, ReprisalLink
from solidarity.un.services import confirmed_links
from solidarity.vocab.models import Term

UN_SHARING = "share_with_un_confidential"
TRANSMIT = "un_may_transmit_to_state_named"
PUBLIC_REPORT = "un_public_report_named"


def reporting_period(today: date) -> tuple[date, date]:
    """The last complete June-to-May period before ``today``."""
    end_year = today.year if today.month >= 6 else today.year - 1
    return date(end_year - 1, 6, 1), date(end_year, 5, 31)


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def consent_problems(user, parties: list[Person | Organisation]) -> list[str]:
    """Who has not consented to sharing with the UN, named as the user may see them."""
    shown = shown_to(user, parties)
    return [
        _("%(name)s has not consented to their information being shared with the UN.")
        % {"name": shown[(type(party).__name__, party.pk)].label}
        for party in parties
        if UN_SHARING not in consent_scopes(party)
    ]


def _owner(user, incident: Incident | None = None):
    if incident is not None:
        from solidarity.responses.services import owner_for

        return owner_for(user=user, incident=incident)
    owner = next(iter(access.writer_organisations(user)), None)
    if owner is None:
        raise PermissionDenied
    return owner


def draft_sp_communication(*, user, incident: Incident, mandates: list[Term]) -> Communication:
    """A communication to the Special Procedures about one incident, for review."""
    access.get_incident_for_user(user, incident.code, write=True)
    acts = list(
        incident.acts.select_related("violation_type", "victim_person", "victim_organisation")
    )
    victims = list({(type(a.victim), a.victim.pk): a.victim for a in acts if a.victim}.values())
    problems = consent_problems(user, victims)
    if problems:
        raise ValidationError(problems)
    text = _sp_text(incident, acts, victims, mandates)
    with transaction.atomic():
        communication = Communication.objects.create(
            kind=CommunicationKind.SP_COMMUNICATION,
            title=_("Communication: %(title)s") % {"title": incident.title},
            incident=incident,
            text=text,
            owner=_owner(user, incident),
            created_by=user,
        )
        communication.mandates.set(mandates)
        communication.laws.set(incident.laws.all())
        audit.record(actor=user, action=Action.CREATE, obj=communication)
    return communication


def _sp_text(incident, acts, victims, mandates) -> str:
    place = ", ".join(
        p for p in (incident.place, incident.admin_area, country_name(incident.country)) if p
    )
    lines = [
        _("To: %(mandates)s") % {"mandates": "; ".join(str(m) for m in mandates)},
        "",
        "## " + _("Victims"),
    ]
    for victim in victims:
        scopes = consent_scopes(victim)
        roles = [t.label for t in victim.roles.all()] if isinstance(victim, Person) else []
        areas = [t.label for t in victim.areas_of_work.all()]
        lines += [
            f"- {disclose(victim, audience=Audience.UN_CONFIDENTIAL)}"
            + (f" ({', '.join(roles)})" if roles else ""),
            "  - "
            + _("Link to human rights work: %(areas)s")
            % {"areas": ", ".join(areas) or _("to be completed")},
            "  - "
            + _("May the name be transmitted to the State: %(answer)s")
            % {"answer": _yes_no(TRANSMIT in scopes)},
            "  - "
            + _("May the name appear in public reports: %(answer)s")
            % {"answer": _yes_no(PUBLIC_REPORT in scopes)},
        ]
    lines += ["", "## " + _("What happened, when and where")]
    for act in acts:
        victim = (
            disclose(act.victim, audience=Audience.UN_CONFIDENTIAL)
            if act.victim
            else act.victim_group
        )
        when = act.date if act.date.is_known else incident.date
        where = place or _("place not established")
        lines.append(f"- {fuzzy(when)}, {where}: {act.violation_type.label} — {victim}")
    lines += ["", "## " + _("Perpetrators")]
    perpetrators = {
        f"{inv.perpetrator_type or _('unknown')}"
        + (f" ({inv.state_relation})" if inv.state_relation else "")
        for act in acts
        for inv in act.involvements.select_related("perpetrator_type", "state_relation")
    }
    lines += [f"- {p}" for p in sorted(perpetrators)] or ["- " + _("not identified")]
    lines += [
        "",
        "## " + _("Action by the authorities"),
        _("[To complete: complaints filed, investigations, replies from the authorities.]"),
    ]
    laws = [law.title for law in incident.laws.all()] + incident.related_law_list
    if laws:
        lines += ["", "## " + _("Laws concerned"), *[f"- {law}" for law in laws]]
    return "\n".join(lines) + "\n"


def draft_sg_input(*, user, period_start: date, period_end: date) -> Communication:
    """The coalition's input to the SG's reprisals report: confirmed cases by country."""
    if period_end < period_start:
        raise ValidationError(_("The period ends before it starts."))
    links = [
        link
        for link in confirmed_links(user).select_related(
            "act__incident", "act__violation_type", "engagement__mechanism"
        )
        if link.status in CONFIRMED
        and link.act.date.match(period_start, period_end) != Match.OUTSIDE
    ]
    victims = list(
        {
            (type(link.act.victim), link.act.victim.pk): link.act.victim
            for link in links
            if link.act.victim
        }.values()
    )
    problems = consent_problems(user, victims)
    if problems:
        raise ValidationError(problems)
    by_country: dict[str, list[ReprisalLink]] = defaultdict(list)
    for link in links:
        by_country[link.act.incident.country].append(link)
    lines = [
        _("Reporting period: %(start)s to %(end)s")
        % {"start": period_start.isoformat(), "end": period_end.isoformat()},
    ]
    for country in sorted(by_country, key=country_name):
        lines += ["", "## " + (country_name(country) or _("Country not established"))]
        for link in by_country[country]:
            act = link.act
            victim = (
                disclose(act.victim, audience=Audience.UN_CONFIDENTIAL)
                if act.victim
                else act.victim_group
            )
            possibly = act.date.match(period_start, period_end) == Match.POSSIBLY_IN_RANGE
            note = " " + _("(possibly in the period)") if possibly else ""
            lines.append(
                f"- {fuzzy(act.date)}{note}: "
                f"{act.violation_type.label} — {victim}. "
                + _("Earlier engagement: %(mechanism)s, %(date)s (%(status)s).")
                % {
                    "mechanism": link.engagement.mechanism,
                    "date": fuzzy(link.engagement.date),
                    "status": link.get_status_display(),
                }
            )
    if not by_country:
        lines += ["", _("No confirmed case in this period.")]
    with transaction.atomic():
        communication = Communication.objects.create(
            kind=CommunicationKind.SG_REPRISALS_INPUT,
            title=_("Input to the Secretary-General's report, %(start)s–%(end)s")
            % {"start": period_start.year, "end": period_end.year},
            period_start=period_start,
            period_end=period_end,
            text="\n".join(lines) + "\n",
            owner=_owner(user),
            created_by=user,
        )
        audit.record(actor=user, action=Action.CREATE, obj=communication)
    return communication


def get_communication_for_user(user, code, *, write: bool = False) -> Communication:
    from django.http import Http404

    try:
        communication = access.visible_to(user, Communication.objects.all()).get(code=code)
    except (Communication.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    if write and not access.can_edit(user, communication):
        raise PermissionDenied
    return communication


def update_communication(*, user, communication: Communication, **fields) -> Communication:
    """Edit the reviewed text, or record what happened next (reference, reply, SG report)."""
    get_communication_for_user(user, communication.code, write=True)
    before = audit.snapshot(Communication.objects.get(pk=communication.pk))
    for name, value in fields.items():
        setattr(communication, name, value)
    with transaction.atomic():
        communication.save()
        audit.record(
            actor=user,
            action=Action.UPDATE,
            obj=communication,
            changes=audit.changed_fields(before, audit.snapshot(communication)),
        )
    return communication


def _victims(communication: Communication) -> list[Person | Organisation]:
    """The victims a communication may name: of its incident, or, for the SG input,
    of every confirmed reprisal (more names checked is the safe error)."""
    if communication.incident_id:
        acts = communication.incident.acts.select_related("victim_person", "victim_organisation")
    else:
        acts = [
            link.act
            for link in ReprisalLink.objects.filter(status__in=CONFIRMED).select_related(
                "act__victim_person", "act__victim_organisation"
            )
        ]
    return list({(type(a.victim), a.victim.pk): a.victim for a in acts if a.victim}.values())


def export_problems(communication: Communication) -> list[str]:
    """Names in the reviewed title and text that the victims' consent keeps from the UN."""
    text = "\n".join([communication.title, communication.text])
    problems = names_not_allowed(text, _victims(communication), audience=Audience.UN_CONFIDENTIAL)
    return [str(problem) for problem in problems]


def export(*, user, communication: Communication, kind: str) -> tuple[bytes, str, str]:
    """The reviewed text as plain text or PDF: (content, content type, file name).

    Refused (ValidationError) while the text names someone beyond their consent."""
    get_communication_for_user(user, communication.code)
    problems = export_problems(communication)
    if problems:
        raise ValidationError(problems)
    audit.record(actor=user, action=Action.EXPORT, obj=communication, detail={"format": kind})
    name = f"communication-{communication.code}"
    if kind == "pdf":
        from weasyprint import HTML

        html = (
            '<!doctype html><html><head><meta charset="utf-8"><style>'
            "body{font-family:'Noto Sans','Noto Sans CJK SC',sans-serif;font-size:11pt}"
            f"</style></head><body><h1>{escape(communication.title)}</h1>"
            f"{markdown_to_html(communication.text)}</body></html>"
        )
        return HTML(string=html).write_pdf(), "application/pdf", f"{name}.pdf"
    return communication.text.encode(), "text/plain; charset=utf-8", f"{name}.txt"


def communications_for(*, user):
    return access.visible_to(user, Communication.objects.all())
