"""Dates written in a text, with what they state: day, month and year, or less.

Explicit dates are found with patterns (which parts were written matters: a
year that is not written must not be invented); weekday and relative
expressions ("on Saturday", "el pasado lunes", "上周六") are resolved against
the publication date with dateparser.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

MONTHS_EN = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS_EN.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS_EN["sept"] = 9
MONTHS_ES = {
    m: i + 1
    for i, m in enumerate(
        [
            "enero",
            "febrero",
            "marzo",
            "abril",
            "mayo",
            "junio",
            "julio",
            "agosto",
            "septiembre",
            "octubre",
            "noviembre",
            "diciembre",
        ]
    )
}
MONTHS_ES["setiembre"] = 9
WEEKDAYS_EN = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS_ES = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]

_EN_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS_EN, key=len, reverse=True)) + r")\.?"
_ES_MONTH = r"(?P<month>" + "|".join(MONTHS_ES) + r")"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
PATTERNS: dict[str, list[re.Pattern[str]]] = {
    "en": [
        re.compile(
            rf"(?<!\d)(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?{_EN_MONTH}(?:,?\s+{_YEAR})?(?![\w])",
            re.I,
        ),
        re.compile(
            rf"(?<![\w]){_EN_MONTH}\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?![\d:])(?:,?\s+{_YEAR})?",
            re.I,
        ),
        re.compile(rf"(?<![\w]){_EN_MONTH}(?:\s+of)?,?\s+{_YEAR}(?!\d)", re.I),
        re.compile(rf"(?<![\w\d/-]){_YEAR}-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)(?!\d)"),
        re.compile(rf"(?<![\w])(?:in|since|of|during|until)\s+{_YEAR}(?![\d\w])", re.I),
    ],
    "es": [
        re.compile(
            rf"(?<!\d)(?P<day>[0-3]?\d)\s+de\s+{_ES_MONTH}(?:\s+(?:de|del)\s+{_YEAR})?", re.I
        ),
        re.compile(rf"(?<![\w]){_ES_MONTH}\s+(?:de|del)\s+{_YEAR}", re.I),
        re.compile(rf"(?<![\w])(?:en|desde|de|durante)\s+{_YEAR}(?![\d\w])", re.I),
    ],
    "zh": [
        re.compile(rf"{_YEAR}\s*年\s*(?P<mnum>[01]?\d)\s*月\s*(?P<day>[0-3]?\d)\s*[日号]"),
        re.compile(r"(?<![\d年])(?P<mnum>[01]?\d)\s*月\s*(?P<day>[0-3]?\d)\s*[日号]"),
        re.compile(rf"{_YEAR}\s*年\s*(?P<mnum>[01]?\d)\s*月"),
        re.compile(rf"{_YEAR}\s*年"),
    ],
}
RELATIVE: dict[str, re.Pattern[str]] = {
    "en": re.compile(
        r"(?<![\w])(?:(?:on|last|this|early|late)\s+)(?P<rel>monday|tuesday|wednesday|thursday|friday|"
        r"saturday|sunday)(?![\w])|(?<![\w])(?P<rel2>yesterday|today)(?![\w])",
        re.I,
    ),
    "es": re.compile(
        r"(?<![\w])(?:el\s+(?:pasado\s+)?)(?P<rel>lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|"
        r"domingo)(?:\s+pasado)?(?![\w])|(?<![\w])(?P<rel2>ayer|hoy)(?![\w])",
        re.I,
    ),
    "zh": re.compile(
        r"(?P<rel2>昨天|今天|前天|上周[一二三四五六日天]|周[一二三四五六日]|星期[一二三四五六日天])"
    ),
}


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None
    relative: bool = False  # resolved from a weekday or "yesterday"


def _month(match: re.Match[str], language: str) -> int | None:
    groups = match.groupdict()
    if groups.get("mnum"):
        return int(groups["mnum"])
    name = (groups.get("month") or "").lower().rstrip(".")
    if not name:
        return None
    return (MONTHS_ES if language == "es" else MONTHS_EN).get(name)


def find_dates(text: str, language: str, published: date | None) -> list[DateMention]:
    """Every date written, in text order; each states at least a year or a month."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in PATTERNS.get(language, PATTERNS["en"]):
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            groups = match.groupdict()
            month = _month(match, language)
            day = int(groups["day"]) if groups.get("day") else None
            year = int(groups["year"]) if groups.get("year") else None
            if month is not None and not 1 <= month <= 12:
                continue
            if day is not None and (month is None or not 1 <= day <= 31):
                continue
            if day is not None and year is not None:
                try:
                    date(year, month or 1, day)
                except ValueError:
                    continue
            taken.append((match.start(), match.end()))
            found.append(DateMention(match.start(), match.end(), year, month, day))
    if published is not None:
        found.extend(_relative(text, language, published, taken))
    found.sort(key=lambda d: d.start)
    return found


def _relative(
    text: str, language: str, published: date, taken: list[tuple[int, int]]
) -> list[DateMention]:
    import dateparser

    pattern = RELATIVE.get(language)
    if pattern is None:
        return []
    out = []
    base = datetime(published.year, published.month, published.day, 12)
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
    for match in pattern.finditer(text):
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        word = match.group("rel") or match.group("rel2")
        parsed = dateparser.parse(word, languages=[language], settings=settings)
        if parsed is None:
            continue
        when = parsed.date()
        if when > published:
            when -= timedelta(days=7)
        out.append(DateMention(match.start(), match.end(), when.year, when.month, when.day, True))
    return out
