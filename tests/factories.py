"""Small builders for test records, going through the services like the UI does."""

from solidarity.incidents.models import Incident
from solidarity.incidents.services import (
    ActInput,
    InvolvementInput,
    PartyRef,
    SourceInput,
    save_incident,
)
from solidarity.lib.fuzzydate import FuzzyDate
from solidarity.vocab.models import Term


def term(vocabulary: str, code: str) -> Term:
    return Term.objects.of(vocabulary).get(code=code)


def make_incident(
    user,
    title: str = "Synthetic incident",
    *,
    date: str = "2016-01-29",
    country: str = "CN",
    violation: str = "forced_closure",
    victim_kind: str = "organisation",
    victim_name: str = "Synthetic Centre",
    perpetrator_type: str | None = "police",
    verification: str | None = None,
    sources: int = 0,
) -> Incident:
    incident = Incident(title=title, country=country)
    incident.date = FuzzyDate.parse(date)
    if verification:
        incident.verification_status = term("verification_statuses", verification)
    involvements = []
    if perpetrator_type:
        involvements.append(
            InvolvementInput(
                perpetrator=PartyRef(kind="unknown", name="Synthetic authorities"),
                perpetrator_type=term("perpetrator_types", perpetrator_type),
            )
        )
    return save_incident(
        user=user,
        incident=incident,
        context_tags=[],
        acts=[
            ActInput(
                victim=PartyRef(kind=victim_kind, name=victim_name),
                violation_type=term("violation_types", violation),
                date=FuzzyDate.parse(date),
                involvements=involvements,
            )
        ],
        sources=[SourceInput(name=f"Synthetic source {n}") for n in range(sources)],
    )
