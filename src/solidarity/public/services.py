"""What the public site may show: published incidents, through the disclosure seam.

An incident is published when a coordinator of its owner made it public (which
checks its public texts against consent). Every request checks again, so an
incident whose texts a later revocation made unsafe is withheld at once.
"""

from dataclasses import dataclass
from uuid import UUID

from django.http import Http404

from solidarity.accounts.models import Visibility
from solidarity.incidents.models import Act, Incident
from solidarity.incidents.services import NEWEST_FIRST, publication_problems
from solidarity.people.disclosure import Audience, disclose


@dataclass(frozen=True)
class PublicAct:
    violation: str
    victim: str
    perpetrators: list[str]
    act: Act


def published_incidents():
    return (
        Incident.objects.filter(visibility=Visibility.PUBLIC)
        .order_by(*NEWEST_FIRST)
        .only(
            "code",
            "title",
            "country",
            "date_from",
            "date_to",
            "date_precision",
            "date_estimated",
            "visibility",
        )
    )


def safe(incidents) -> list[Incident]:
    """Those of the given published incidents whose texts are still safe to show.

    Checked per page shown, not over every published incident: a page may hold
    fewer rows than its size when some incident is withheld.
    """
    return [i for i in incidents if not publication_problems(i)]


def get_published_incident(code: UUID | str) -> Incident:
    incident = Incident.objects.filter(visibility=Visibility.PUBLIC, code=code).first()
    if incident is None or publication_problems(incident):
        raise Http404
    return incident


def public_acts(incident: Incident) -> list[PublicAct]:
    """The acts as the public may see them: victims disclosed, perpetrators by type only."""
    acts = incident.acts.select_related(
        "violation_type", "victim_person", "victim_organisation"
    ).prefetch_related("involvements__perpetrator_type", "involvements__state_relation")
    shown = []
    for act in acts:
        victim = disclose(act.victim, audience=Audience.PUBLIC) if act.victim else act.victim_group
        perpetrators = [
            " · ".join(
                str(part)
                for part in (inv.perpetrator_type, inv.state_relation, inv.perpetrator_description)
                if part
            )
            for inv in act.involvements.all()
        ]
        shown.append(
            PublicAct(
                violation=act.violation_type.label,
                victim=victim,
                perpetrators=perpetrators,
                act=act,
            )
        )
    return shown
