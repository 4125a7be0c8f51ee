"""What extraction proposes: plain data, serialisable to JSON, with no Django in it.

Every proposed value carries the spans of the text that support it, as
character offsets into the exact text given to `extract()`, so that the review
page can highlight them. Values use the project's vocabularies (violation and
perpetrator type codes, defender roles, UN mechanism codes, ISO 3166 country
codes); the HRDsAttack labels are kept beside them for the evaluation.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

# The seven violation labels and the perpetrator labels of the HRDsAttack dataset.
HRDS_VIOLATION_LABELS = (
    "arbitrary detention",
    "enforced disappearance",
    "kidnapping",
    "killing",
    "torture",
    "other",
    "unknown",
)

VictimKind = Literal["person", "organisation", "group"]
Sex = Literal["female", "male", "unknown"]


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int

    def text(self, source: str) -> str:
        return source[self.start : self.end]


@dataclass(slots=True)
class Proposal:
    """One proposed value: a code or normalised value, its label, and its evidence."""

    value: str
    label: str
    spans: list[Span] = field(default_factory=list)
    confidence: float = 1.0


@dataclass(slots=True)
class ProposedVictim:
    name: str
    kind: VictimKind
    sex: Sex = "unknown"
    roles: list[str] = field(default_factory=list)  # defender_roles codes
    spans: list[Span] = field(default_factory=list)
    sex_spans: list[Span] = field(default_factory=list)
    role_spans: list[Span] = field(default_factory=list)
    confidence: float = 1.0


@dataclass(slots=True)
class ProposedDate:
    """The date of the attack (not the publication date).

    `year_inferred` is true when the text gave a day and month but no year and
    the year was taken from the publication date; when there is no publication
    date either, the year stays None and the precision says so.
    """

    year: int | None = None
    month: int | None = None
    day: int | None = None
    year_inferred: bool = False
    spans: list[Span] = field(default_factory=list)
    confidence: float = 0.0

    @property
    def precision(self) -> str:
        if self.year is None:
            return "unknown"
        if self.month is None:
            return "year"
        return "month" if self.day is None else "day"


@dataclass(slots=True)
class Extraction:
    text: str
    language: str  # "en", "zh" or "es"
    is_attack: bool
    attack_confidence: float
    attack_spans: list[Span] = field(default_factory=list)
    violation_types: list[Proposal] = field(default_factory=list)  # violation_types codes
    hrds_violation_types: list[str] = field(default_factory=list)  # HRDS_VIOLATION_LABELS
    victims: list[ProposedVictim] = field(default_factory=list)
    country: Proposal | None = None  # ISO 3166-1 alpha-2
    region: Proposal | None = None
    city: Proposal | None = None
    date: ProposedDate = field(default_factory=ProposedDate)
    perpetrator_type: Proposal | None = None  # perpetrator_types code
    hrds_perpetrator_type: str | None = None
    laws: list[Proposal] = field(default_factory=list)  # value: the law's name as written
    un_mechanisms: list[Proposal] = field(default_factory=list)  # un_mechanisms codes
    organisations: list[Proposal] = field(default_factory=list)  # value: the name as written

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Extraction:
        def spans(items: list[dict[str, int]] | None) -> list[Span]:
            return [Span(**s) for s in items or []]

        def proposal(item: dict[str, Any] | None) -> Proposal | None:
            if item is None:
                return None
            return Proposal(**{**item, "spans": spans(item.get("spans"))})

        def proposals(items: list[dict[str, Any]] | None) -> list[Proposal]:
            return [p for p in (proposal(i) for i in items or []) if p is not None]

        victims = [
            ProposedVictim(
                **{
                    **v,
                    "spans": spans(v.get("spans")),
                    "sex_spans": spans(v.get("sex_spans")),
                    "role_spans": spans(v.get("role_spans")),
                }
            )
            for v in data.get("victims") or []
        ]
        date = data.get("date") or {}
        return cls(
            text=data["text"],
            language=data["language"],
            is_attack=data["is_attack"],
            attack_confidence=data["attack_confidence"],
            attack_spans=spans(data.get("attack_spans")),
            violation_types=proposals(data.get("violation_types")),
            hrds_violation_types=list(data.get("hrds_violation_types") or []),
            victims=victims,
            country=proposal(data.get("country")),
            region=proposal(data.get("region")),
            city=proposal(data.get("city")),
            date=ProposedDate(**{**date, "spans": spans(date.get("spans"))}),
            perpetrator_type=proposal(data.get("perpetrator_type")),
            hrds_perpetrator_type=data.get("hrds_perpetrator_type"),
            laws=proposals(data.get("laws")),
            un_mechanisms=proposals(data.get("un_mechanisms")),
            organisations=proposals(data.get("organisations")),
        )
