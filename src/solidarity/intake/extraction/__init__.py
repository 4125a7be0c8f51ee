"""Extraction of a proposed incident from the text of a report.

Pure Python (no Django): `extract()` returns an `Extraction` whose every value
carries the spans of text that support it. See docs/intake.md.
"""

from solidarity.intake.extraction.annotation import to_annotation
from solidarity.intake.extraction.pipeline import extract
from solidarity.intake.extraction.types import (
    HRDS_VIOLATION_LABELS,
    Extraction,
    Proposal,
    ProposedDate,
    ProposedVictim,
    Span,
)

__all__ = [
    "HRDS_VIOLATION_LABELS",
    "Extraction",
    "Proposal",
    "ProposedDate",
    "ProposedVictim",
    "Span",
    "extract",
    "to_annotation",
]
