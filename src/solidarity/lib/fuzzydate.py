"""Uncertain dates: a date known to the day, the month, the year, or not at all.

A fuzzy date is stored as the earliest and latest day it may stand for, plus its
precision and an "estimated" flag. "2016" is never turned into 1 January 2016:
it is the span 2016-01-01..2016-12-31 with precision "year". Range filters then
say whether a value is certainly inside a range, possibly inside it, or outside.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    UNKNOWN = "unknown"


class Match(StrEnum):
    IN_RANGE = "in"
    POSSIBLY_IN_RANGE = "possibly"
    OUTSIDE = "outside"


_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?$")


class FuzzyDateError(ValueError):
    """The text is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD."""


@dataclass(frozen=True, slots=True)
class FuzzyDate:
    year: int | None = None
    month: int | None = None
    day: int | None = None
    estimated: bool = False

    def __post_init__(self) -> None:
        if self.year is None and (self.month or self.day):
            raise FuzzyDateError("a month or day needs a year")
        if self.month is None and self.day is not None:
            raise FuzzyDateError("a day needs a month")
        if self.year is not None and not 1 <= self.year <= 9999:
            raise FuzzyDateError("year out of range")
        if self.month is not None and not 1 <= self.month <= 12:
            raise FuzzyDateError("month must be between 1 and 12")
        if self.day is not None:
            assert self.year is not None and self.month is not None
            if not 1 <= self.day <= calendar.monthrange(self.year, self.month)[1]:
                raise FuzzyDateError("no such day in that month")

    @classmethod
    def parse(cls, text: str | None, *, estimated: bool = False) -> FuzzyDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; empty or "unknown" means unknown."""
        text = (text or "").strip()
        if text.lower() in {"", "unknown", "?"}:
            return cls(estimated=estimated)
        match = _PATTERN.match(text)
        if not match:
            raise FuzzyDateError("use YYYY, YYYY-MM or YYYY-MM-DD")
        parts = {k: int(v) for k, v in match.groupdict().items() if v is not None}
        return cls(**parts, estimated=estimated)

    @classmethod
    def from_stored(
        cls, *, precision: str, date_from: date | None, estimated: bool = False
    ) -> FuzzyDate:
        """Rebuild a value from its stored columns."""
        if precision == Precision.UNKNOWN or date_from is None:
            return cls(estimated=estimated)
        if precision == Precision.YEAR:
            return cls(date_from.year, estimated=estimated)
        if precision == Precision.MONTH:
            return cls(date_from.year, date_from.month, estimated=estimated)
        return cls(date_from.year, date_from.month, date_from.day, estimated=estimated)

    @property
    def precision(self) -> Precision:
        if self.year is None:
            return Precision.UNKNOWN
        if self.month is None:
            return Precision.YEAR
        if self.day is None:
            return Precision.MONTH
        return Precision.DAY

    @property
    def is_known(self) -> bool:
        return self.year is not None

    def bounds(self) -> tuple[date | None, date | None]:
        """The earliest and the latest day this value may stand for."""
        if self.year is None:
            return None, None
        if self.month is None:
            return date(self.year, 1, 1), date(self.year, 12, 31)
        if self.day is None:
            last = calendar.monthrange(self.year, self.month)[1]
            return date(self.year, self.month, 1), date(self.year, self.month, last)
        exact = date(self.year, self.month, self.day)
        return exact, exact

    def iso(self) -> str:
        """The value as typed: ``2016``, ``2016-03``, ``2016-03-29`` or an empty string."""
        if self.year is None:
            return ""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def sort_key(self) -> tuple[date, date]:
        """Earliest possible day first, narrower before wider, unknown last."""
        low, high = self.bounds()
        return (low or date.max, high or date.max)

    def match(self, range_from: date | None, range_to: date | None) -> Match:
        """Whether this value lies in [range_from, range_to] certainly, possibly, or not."""
        return match_bounds(*self.bounds(), range_from, range_to)


def match_bounds(
    low: date | None, high: date | None, range_from: date | None, range_to: date | None
) -> Match:
    """Classify a stored span against a filter range (open ends allowed)."""
    if low is None or high is None:
        return Match.OUTSIDE
    start = range_from or date.min
    end = range_to or date.max
    if start <= low and high <= end:
        return Match.IN_RANGE
    if low <= end and high >= start:
        return Match.POSSIBLY_IN_RANGE
    return Match.OUTSIDE


def range_bounds(start: FuzzyDate | None, end: FuzzyDate | None) -> tuple[date | None, date | None]:
    """A filter range: from the first day of ``start`` to the last day of ``end``."""
    low = start.bounds()[0] if start else None
    high = end.bounds()[1] if end else None
    return low, high
