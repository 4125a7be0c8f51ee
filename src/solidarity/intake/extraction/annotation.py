"""An extraction in the shape of an HRDsAttack `annotation`, for evaluation and export."""

from __future__ import annotations

from typing import Any

from solidarity.intake.extraction.places import country_name
from solidarity.intake.extraction.types import Extraction

_SEX = {"female": "woman", "male": "man", "unknown": "unknown"}


def to_annotation(extraction: Extraction) -> dict[str, Any]:
    date = extraction.date
    victims = []
    for index, victim in enumerate(extraction.victims, start=1):
        if victim.kind == "organisation":
            continue  # the dataset records people and groups of people only
        individual = victim.kind == "person"
        victims.append(
            {
                "victim_idx": index,
                "victim_population_type": "individual" if individual else "multiple",
                "victim_name": victim.name if individual else None,
                "victim_keywords": "",
                "victim_type": list(victim.roles),
                "victim_sex_type": _SEX.get(victim.sex, "unknown"),
                "victim_age_group": "unknown",
            }
        )
    country = extraction.country
    return {
        "perpetrator_mention": extraction.hrds_perpetrator_type is not None,
        "perpetrator_type": extraction.hrds_perpetrator_type,
        "violation_types": list(extraction.hrds_violation_types) or ["unknown"],
        "year": str(date.year) if date.year is not None else None,
        "month": f"{date.month:02d}" if date.month is not None else None,
        "date": str(date.day) if date.day is not None else None,
        "city": extraction.city.value if extraction.city else "None",
        "region": extraction.region.value if extraction.region else "None",
        "country": country_name(country.value) if country else "None",
        "victims": victims,
    }
