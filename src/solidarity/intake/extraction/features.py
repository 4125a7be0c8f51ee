"""Features for the trained models, computed the same way when training and when running.

Privacy by construction: word features are taken only from words written in
lower case in the text, and training keeps only words seen in several
articles, so the committed model cannot carry a person's or a place's name.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

from solidarity.intake.extraction import lexicon
from solidarity.intake.extraction.lexicon import Hit
from solidarity.intake.extraction.names import TITLES, Candidate
from solidarity.intake.extraction.places import PlaceMention
from solidarity.intake.extraction.text import Document

_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z'’-]*[a-z](?![\w'’-])")
_ANY_WORD = re.compile(r"[\w'’-]+|[^\w\s]")


def lower_words(text: str) -> list[str]:
    return _LOWER_WORD.findall(text)


def _l2(features: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in features.values())) or 1.0
    return {k: v / norm for k, v in features.items()}


def document(
    doc: Document, violation_hits: list[Hit], perpetrator_hits: list[Hit]
) -> dict[str, float]:
    """Words and word pairs (lower case only), plus the lexicon's codes, for the whole article."""
    tokens = lower_words(doc.text)
    counts = Counter(f"w:{t}" for t in tokens)
    counts.update(f"b:{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False))
    words = {k: 1 + math.log(v) for k, v in counts.items()}
    title_end = doc.text.find("\n")
    title = doc.text[: title_end if title_end > 0 else 200]
    words.update({f"t:{t}": 1.0 for t in lower_words(title)})
    features = _l2(words)
    lex = Counter(f"lex:{h.code}" for h in violation_hits)
    lex.update(f"lexh:{lexicon.hrds_label(h.code)}" for h in violation_hits)
    lex.update(f"perp:{h.code}" for h in perpetrator_hits)
    lex.update(f"lead:{h.code}" for h in violation_hits if h.start < doc.first_paragraph_end)
    features.update({k: math.log(1 + v) for k, v in lex.items()})
    return features


def _context(text: str, start: int, end: int) -> dict[str, float]:
    before = _ANY_WORD.findall(text[max(0, start - 60) : start])[-2:]
    after = _ANY_WORD.findall(text[end : end + 60])[:2]
    out: dict[str, float] = {}
    for i, word in enumerate(reversed(before)):
        out[f"p{i + 1}:{_shape(word)}"] = 1.0
    for i, word in enumerate(after):
        out[f"n{i + 1}:{_shape(word)}"] = 1.0
    return out


def _shape(word: str) -> str:
    """Lower-case words as themselves; anything capitalised only as its shape."""
    if word.lower() in TITLES:
        return "TITLE"
    if word.islower() or not word[:1].isalpha():
        return word.lower()
    return "Cap" if word[:1].isupper() else "other"


def person(
    doc: Document,
    candidate: Candidate,
    violation_hits: list[Hit],
    role_hits: list[Hit],
    places: list[PlaceMention],
) -> dict[str, float]:
    text = doc.text
    features: dict[str, float] = {}
    tokens = candidate.name.split()
    features[f"len:{min(len(tokens), 4)}"] = 1.0
    features["mentions"] = math.log(len(candidate.spans))
    surname = tokens[-1]
    features["surname"] = math.log(
        1 + len(re.findall(rf"(?<![\w]){re.escape(surname)}(?![\w])", text))
    )
    first = min(s for s, _ in candidate.spans)
    features["first_pos"] = first / max(len(text), 1)
    features["in_lead"] = float(first < doc.first_paragraph_end)
    if any("." in t for t in tokens):
        features["initial"] = 1.0
    if any("-" in t for t in tokens):
        features["hyphen"] = 1.0
    place_spans = [(p.start, p.end) for p in places]
    if any(s <= ps < e or ps <= s < pe for s, e in candidate.spans for ps, pe in place_spans):
        features["place"] = 1.0
    sentences = {doc.sentence_at(s).index for s, _ in candidate.spans}
    labels: Counter[str] = Counter()
    near = 0
    for hit in violation_hits:
        if doc.sentence_at(hit.start).index in sentences:
            labels[lexicon.hrds_label(hit.code)] += 1
        if any(abs(hit.start - s) < 80 for s, _ in candidate.spans):
            near += 1
    for label, count in labels.items():
        features[f"vs:{label}"] = math.log(1 + count)
    features["viol_sentence"] = math.log(1 + sum(labels.values()))
    features["viol_near"] = math.log(1 + near)
    if any(
        abs(hit.start - s) < 50 or abs(hit.end - s) < 50
        for hit in role_hits
        for s, _ in candidate.spans
    ):
        features["role_near"] = 1.0
    for start, end in candidate.spans:
        for key, value in _context(text, start, end).items():
            features[key] = max(features.get(key, 0.0), value)
    return features


def country(
    doc: Document,
    code: str,
    mentions: list[PlaceMention],
    all_mentions: int,
    violation_hits: list[Hit],
    rank: int,
) -> dict[str, float]:
    features: dict[str, float] = {}
    kinds = Counter(m.kind for m in mentions)
    for kind, count in kinds.items():
        features[f"kind:{kind}"] = math.log(1 + count)
    features["count"] = math.log(len(mentions))
    features["share"] = len(mentions) / max(all_mentions, 1)
    first = mentions[0].start
    features["first_pos"] = first / max(len(doc.text), 1)
    features["in_lead"] = float(first < doc.first_paragraph_end)
    features["starts_text"] = float(first < 40)
    features[f"rank:{min(rank, 4)}"] = 1.0
    viol_sentences = {doc.sentence_at(h.start).index for h in violation_hits}
    features["in_viol_sentence"] = math.log(
        1 + sum(1 for m in mentions if doc.sentence_at(m.start).index in viol_sentences)
    )
    return features


def top(features: Iterable[tuple[str, float]], n: int) -> list[tuple[str, float]]:
    return sorted(features, key=lambda kv: -kv[1])[:n]


def date_mention(
    doc: Document, mention, position: int, violation_hits: list[Hit], published
) -> dict[str, float]:
    """Is this the date of the attack? Where it stands, what it states, how far from publication."""
    features: dict[str, float] = {}
    sentence = doc.sentence_at(mention.start)
    viol = [h for h in violation_hits if doc.sentence_at(h.start).index == sentence.index]
    features["viol_sentence"] = math.log(1 + len(viol))
    for hit in viol[:3]:
        features[f"vs:{lexicon.hrds_label(hit.code)}"] = 1.0
    features["in_lead"] = float(mention.start < doc.first_paragraph_end)
    features[f"pos:{min(position, 5)}"] = 1.0
    features["first_pos"] = mention.start / max(len(doc.text), 1)
    features["has_day"] = float(mention.day is not None)
    features["has_month"] = float(mention.month is not None)
    features["has_year"] = float(mention.year is not None)
    features["relative"] = float(mention.relative)
    if published is not None:
        year = mention.year if mention.year is not None else published.year
        features[f"age:{min(max(published.year - year, -1), 4)}"] = 1.0
    for key, value in _context(doc.text, mention.start, mention.end).items():
        features[key] = value
    return features


def year_candidates(mentions, published) -> dict[int, list]:
    """The years the attack may have happened in: each year written, and the publication's.

    A date written without its year counts for the year it falls in before publication.
    """
    years: dict[int, list] = {}
    for mention in mentions:
        year = mention.year
        if year is None and published is not None and mention.month is not None:
            year = published.year - (1 if mention.month > published.month else 0)
        if year is not None:
            years.setdefault(year, []).append(mention)
    if published is not None:
        years.setdefault(published.year, [])
    return years


def year(
    doc: Document,
    value: int,
    mentions: list,
    all_mentions: int,
    violation_hits: list[Hit],
    published,
) -> dict[str, float]:
    """Is this the year of the attack? How, where and how often the text gives it."""
    features: dict[str, float] = {}
    explicit = [m for m in mentions if m.year is not None]
    implicit = [m for m in mentions if m.year is None]
    features["explicit"] = math.log(1 + len(explicit))
    features["implicit"] = math.log(1 + len(implicit))
    features["relative"] = float(any(m.relative for m in mentions))
    features["share"] = len(mentions) / max(all_mentions, 1)
    features["none_written"] = float(not mentions)
    if published is not None:
        features[f"age:{min(max(published.year - value, -1), 5)}"] = 1.0
    viol = {doc.sentence_at(h.start).index for h in violation_hits}
    features["in_viol_sentence"] = math.log(
        1 + sum(1 for m in mentions if doc.sentence_at(m.start).index in viol)
    )
    features["in_lead"] = float(any(m.start < doc.first_paragraph_end for m in mentions))
    if mentions:
        features["first_pos"] = min(m.start for m in mentions) / max(len(doc.text), 1)
        features["with_day"] = float(any(m.day is not None for m in mentions))
    for mention in explicit[:3]:
        for key, v in _context(doc.text, mention.start, mention.end).items():
            features[key] = max(features.get(key, 0.0), v)
    return features
