"""From a text to a proposed incident: each extractor in turn, every value with its spans."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date

from solidarity.intake.extraction import features, lexicon, model, names
from solidarity.intake.extraction.dates import DateMention, find_dates
from solidarity.intake.extraction.lexicon import Hit
from solidarity.intake.extraction.places import (
    PlaceMention,
    country_name,
    find_places,
    find_regions,
)
from solidarity.intake.extraction.text import Document, detect_language
from solidarity.intake.extraction.types import (
    HRDS_VIOLATION_LABELS,
    Extraction,
    Proposal,
    ProposedDate,
    ProposedVictim,
    Span,
)

CONCRETE = ("arbitrary detention", "enforced disappearance", "kidnapping", "killing", "torture")
# Thresholds used when no trained model is available (and for Chinese and Spanish texts).
COUNTRY_MIN = 0.3
VICTIM_MIN = 0.5
ATTACK_WITHOUT_WORDS = 0.8
GROUP_WORDS = {
    "en": r"(?:protesters|demonstrators|activists|journalists|lawyers|students|defenders|women|workers|"
    r"farmers|villagers|members|residents|people|opposition supporters|human rights defenders)",
    "es": r"(?:manifestantes|activistas|periodistas|abogad[oa]s|estudiantes|defensor[ae]s|mujeres|"
    r"campesin[oa]s|comuneros|personas|l[ií]deres)",
    "zh": r"(?:\d+|多|数|几|一批|一些)名?(?:抗议者|活动人士|维权人士|记者|律师|学生|妇女|工人|村民)",
}
CHINESE_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔"
    "钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤艾"
)
_ZH_PERSON = re.compile(
    r"(?:活动人士|维权人士|人权捍卫者|捍卫者|律师|记者|主任|负责人|创始人|学者|教授|博主)"
    rf"([{CHINESE_SURNAMES}][\u4e00-\u9fff]{{1,2}}?)(?=[，。、；：,（(]|女士|先生|被|在|于|因|已|的|和|与|$)"
    rf"|([{CHINESE_SURNAMES}][\u4e00-\u9fff]{{1,2}})(?=女士|先生)"
)


def extract(text: str, *, published: date | None = None, language: str | None = None) -> Extraction:
    language = language or detect_language(text)
    if not text.strip():
        return Extraction(
            text=text,
            language=language,
            is_attack=False,
            attack_confidence=0.0,
            hrds_violation_types=["unknown"],
        )
    doc = Document(text, language)
    violation_hits = list(lexicon.violations.find(text, language))
    perpetrator_hits = list(lexicon.perpetrators.find(text, language))
    role_hits = list(lexicon.roles.find(text, language))
    places = find_places(text, language)
    doc_features = features.document(doc, violation_hits, perpetrator_hits)

    labels, label_confidence = _violation_labels(language, doc_features, violation_hits)
    # An attack needs words that say so, or a label the model is sure of.
    strongest = max((label_confidence.get(label, 0.0) for label in labels), default=0.0)
    is_attack = bool(violation_hits) or strongest >= ATTACK_WITHOUT_WORDS
    attack_confidence = strongest if is_attack else 0.0
    violations = (
        _violation_proposals(doc, labels, label_confidence, violation_hits, doc_features)
        if is_attack
        else []
    )
    orgs = names.organisations(text, language)
    victims = _victims(doc, violation_hits, role_hits, places, orgs)
    country, city, region = _place(doc, places, violation_hits)
    perpetrator, hrds_perpetrator = _perpetrator(
        language, doc, doc_features, perpetrator_hits, violation_hits
    )
    return Extraction(
        text=text,
        language=language,
        is_attack=is_attack,
        attack_confidence=round(attack_confidence, 3),
        attack_spans=[Span(h.start, h.end) for h in violation_hits[:20]],
        violation_types=violations,
        hrds_violation_types=sorted(labels) if is_attack else ["unknown"],
        victims=victims,
        country=country,
        region=region,
        city=city,
        date=_date(doc, find_dates(text, language, published), violation_hits, published),
        perpetrator_type=perpetrator,
        hrds_perpetrator_type=hrds_perpetrator,
        laws=_merge(
            (name, Span(start, end), 1.0) for name, start, end in names.laws(text, language)
        ),
        un_mechanisms=_un(text),
        organisations=_merge((o.name, Span(o.start, o.end), 1.0) for o in orgs),
    )


def _violation_labels(
    language: str, doc_features: dict[str, float], hits: list[Hit]
) -> tuple[set[str], dict[str, float]]:
    trained = model.get("violation")
    lexical = Counter(lexicon.hrds_label(h.code) for h in hits)
    if trained is not None and language == "en":
        probabilities = trained.probabilities(doc_features)
        labels = {
            c
            for c, t in zip(trained.classes, trained.thresholds, strict=True)
            if probabilities[c] >= t
        }
        labels.discard("unknown")
        return labels, probabilities
    # Chinese and Spanish (and no model): the words in the text.
    return set(lexical), {label: min(1.0, 0.5 + 0.1 * n) for label, n in lexical.items()}


def _violation_proposals(
    doc: Document,
    labels: set[str],
    confidence: dict[str, float],
    hits: list[Hit],
    doc_features: dict[str, float],
) -> list[Proposal]:
    by_code: dict[str, list[Hit]] = defaultdict(list)
    for hit in hits:
        by_code[hit.code].append(hit)
    proposals: list[Proposal] = []
    for label in sorted(labels, key=lambda x: -confidence.get(x, 0)):
        codes = [c for c in by_code if lexicon.hrds_label(c) == label]
        if label == "other":
            codes = sorted(codes, key=lambda c: -len(by_code[c]))[:3]
        if label == "arbitrary detention" and len(codes) > 1 and "arrest" in codes:
            codes = [c for c in codes if c != "arrest" or len(by_code["arrest"]) > 1]
        if not codes:
            code = lexicon.CODE_OF_HRDS.get(label)
            if code:
                proposals.append(
                    Proposal(
                        code, label, _evidence(doc, label, doc_features), confidence.get(label, 0.5)
                    )
                )
            continue
        for code in codes:
            spans = [Span(h.start, h.end) for h in by_code[code]]
            likely = confidence.get(label, 0.5)
            if label == "other" and code not in lexicon.ORGANISATION_LEVEL:
                # "Other" gathers many kinds of act: one passing word is weak evidence for each.
                likely *= min(1.0, 0.4 + 0.2 * len(spans))
            proposals.append(Proposal(code, label, spans, round(likely, 3)))
    # Organisation-level attacks stand on their own words, whatever the article-level model says.
    for code in lexicon.ORGANISATION_LEVEL:
        if code in by_code and not any(p.value == code for p in proposals):
            spans = [Span(h.start, h.end) for h in by_code[code]]
            proposals.append(Proposal(code, "other", spans, 0.5))
    return proposals


def _evidence(doc: Document, label: str, doc_features: dict[str, float]) -> list[Span]:
    """The sentence holding the words that weigh most for a label the text has no lexicon word for."""
    trained = model.get("violation")
    if trained is None or label not in trained.classes:
        return []
    contributions = trained.contributions(doc_features, label)
    words = [
        k[2:] for k, v in features.top(contributions.items(), 5) if k.startswith("w:") and v > 0
    ]
    for word in words:
        match = re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", doc.text)
        if match:
            sentence = doc.sentence_at(match.start())
            return [Span(sentence.start, sentence.end)]
    return []


def _victims(
    doc: Document,
    violation_hits: list[Hit],
    role_hits: list[Hit],
    places: list[PlaceMention],
    orgs: list[names.OrgMention],
) -> list[ProposedVictim]:
    victims = _people(doc, violation_hits, role_hits, places)
    victims += _organisation_victims(doc, violation_hits, orgs)
    victims += _groups(doc, violation_hits, victims)
    return victims


def _people(
    doc: Document, violation_hits: list[Hit], role_hits: list[Hit], places: list[PlaceMention]
) -> list[ProposedVictim]:
    text = doc.text
    if doc.language == "zh":
        found: dict[str, list[Span]] = defaultdict(list)
        for match in _ZH_PERSON.finditer(text):
            group = 1 if match.group(1) else 2
            found[match.group(group)].append(Span(match.start(group), match.end(group)))
        scored = [(name, spans, 0.6) for name, spans in found.items()]
    else:
        trained = model.get("victim")
        place_spans = {(p.start, p.end) for p in places}
        scored = []
        for candidate in names.person_candidates(text, place_spans):
            feats = features.person(doc, candidate, violation_hits, role_hits, places)
            if trained is not None:
                probability = trained.probabilities(feats)[trained.classes[0]]
                threshold = trained.thresholds[0]
            else:
                probability = min(1.0, 0.3 + 0.2 * feats.get("viol_sentence", 0))
                threshold = VICTIM_MIN
            if probability >= threshold:
                scored.append(
                    (candidate.name, [Span(s, e) for s, e in candidate.spans], probability)
                )
    # A shorter name inside a longer one is the same person.
    names_found = [n for n, _, _ in scored]
    out = []
    for name, spans, probability in sorted(scored, key=lambda x: min(s.start for s in x[1])):
        if any(name != other and name in other for other in names_found):
            continue
        sex, sex_spans = _sex(doc, name, spans)
        roles, role_spans = _roles(doc, spans, role_hits)
        out.append(
            ProposedVictim(
                name=name,
                kind="person",
                sex=sex,
                roles=roles,
                spans=spans,
                sex_spans=sex_spans,
                role_spans=role_spans,
                confidence=round(probability, 3),
            )
        )
    return out


# How far after a mention a pronoun may still refer to that person.
PRONOUN_REACH = 400


def _sex(doc: Document, name: str, spans: list[Span]) -> tuple[str, list[Span]]:
    """Female, male or unknown, as the text says it; never from the name itself.

    First the pronoun or title that follows a mention most closely ("… Ana Example
    was arrested. She …"); failing that, the gendered words of the sentences
    around the mentions, by majority.
    """
    surname = name.split()[-1] if doc.language != "zh" else name
    mentions = {s.start for s in spans} | {
        m.start() for m in re.finditer(rf"(?<![\w]){re.escape(surname)}(?![\w])", doc.text)
    }
    following = [
        (distance, hit)
        for hit in lexicon.pronouns.find(doc.text, doc.language)
        if (distance := min((hit.start - m for m in mentions if hit.start - m > 0), default=None))
        is not None
        and distance <= PRONOUN_REACH
    ]
    if following:
        _, hit = min(following, key=lambda pair: pair[0])
        return hit.code, [Span(hit.start, hit.end)]
    window: set[int] = set()
    for offset in mentions:
        index = doc.sentence_at(offset).index
        window.update({index, index + 1, index + 2})
    counts: Counter[str] = Counter()
    evidence: dict[str, list[Span]] = defaultdict(list)
    for hit in lexicon.sex_words.find(doc.text, doc.language):
        if doc.sentence_at(hit.start).index in window:
            counts[hit.code] += 1
            evidence[hit.code].append(Span(hit.start, hit.end))
    female, male = counts["female"], counts["male"]
    if female > male:
        return "female", evidence["female"][:5]
    if male > female:
        return "male", evidence["male"][:5]
    return "unknown", []


def _roles(doc: Document, spans: list[Span], role_hits: list[Hit]) -> tuple[list[str], list[Span]]:
    roles: list[str] = []
    role_spans: list[Span] = []
    for hit in role_hits:
        for span in spans:
            same_sentence = doc.sentence_at(hit.start).index == doc.sentence_at(span.start).index
            if same_sentence and (0 <= span.start - hit.end < 40 or 0 <= hit.start - span.end < 30):
                if hit.code not in roles:
                    roles.append(hit.code)
                role_spans.append(Span(hit.start, hit.end))
                break
    return roles, role_spans


def _organisation_victims(
    doc: Document, violation_hits: list[Hit], orgs: list[names.OrgMention]
) -> list[ProposedVictim]:
    org_hits = [h for h in violation_hits if h.code in lexicon.ORGANISATION_LEVEL]
    if not org_hits or not orgs:
        return []
    # Every way the text names each organisation: full name, aliases, the name without its first words.
    full_names: dict[str, list[str]] = {}
    for org in orgs:
        current = full_names.setdefault(org.name, [])
        current.extend(a for a in org.aliases if a not in current)
    for name in list(full_names):
        for other in full_names:
            if other != name and len(other) < len(name) and set(other.split()) <= set(name.split()):
                full_names[name].append(other)
    supported: dict[str, list[Span]] = defaultdict(list)
    alias_of_another = {a for name, aliases in full_names.items() for a in aliases if a != name}
    for name, aliases in full_names.items():
        if name in alias_of_another:
            continue
        for form in [name, *aliases]:
            for match in re.finditer(rf"(?<![\w]){re.escape(form)}(?![\w])", doc.text):
                if any(
                    _is_object_of(doc.text, hit, match.start(), match.end()) for hit in org_hits
                ):
                    supported[name].append(Span(match.start(), match.end()))
    out = []
    for name, spans in supported.items():
        first = next(re.finditer(re.escape(name), doc.text), None)
        all_spans = ([Span(first.start(), first.end())] if first else []) + spans
        out.append(
            ProposedVictim(
                name=name,
                kind="organisation",
                sex="unknown",
                spans=_unique(all_spans),
                confidence=round(min(1.0, 0.5 + 0.2 * len(spans)), 3),
            )
        )
    return out


_PASSIVE = re.compile(r"\b(?:was|were|has been|have been|had been|is being|to be|being)\b")


def _is_object_of(text: str, hit: Hit, start: int, end: int) -> bool:
    """The organisation suffers the act: "closure of X", "shutting down X", "X was shut down"."""
    if 0 <= start - hit.end <= 80 and "." not in text[hit.end : start]:
        return True
    between = text[end : hit.start]
    return 0 <= hit.start - end <= 40 and "." not in between and bool(_PASSIVE.search(between))


def _groups(
    doc: Document, violation_hits: list[Hit], found: list[ProposedVictim]
) -> list[ProposedVictim]:
    concrete = [h for h in violation_hits if lexicon.hrds_label(h.code) in CONCRETE]
    if not concrete:
        return []
    taken = {doc.sentence_at(s.start).index for v in found for s in v.spans}
    pattern = re.compile(
        (r"(?:\d+|[a-z]+ )?" if doc.language != "zh" else "") + GROUP_WORDS[doc.language],
        re.IGNORECASE if doc.language != "zh" else 0,
    )
    groups: dict[str, list[Span]] = defaultdict(list)
    for hit in concrete:
        sentence = doc.sentence_at(hit.start)
        if sentence.index in taken:
            continue
        for match in pattern.finditer(doc.text, sentence.start, sentence.end):
            if abs(match.start() - hit.start) < 60:
                groups[match.group(0).strip().lower()].append(Span(match.start(), match.end()))
    return [
        ProposedVictim(name=name, kind="group", spans=spans, confidence=0.4)
        for name, spans in list(groups.items())[:3]
    ]


def _place(
    doc: Document, places: list[PlaceMention], violation_hits: list[Hit]
) -> tuple[Proposal | None, Proposal | None, Proposal | None]:
    by_country: dict[str, list[PlaceMention]] = defaultdict(list)
    for mention in places:
        by_country[mention.code].append(mention)
    if not by_country:
        return None, None, _region(doc, violation_hits)
    ranked = sorted(by_country, key=lambda c: -len(by_country[c]))
    trained = model.get("country")
    scored = []
    for rank, code in enumerate(ranked):
        feats = features.country(doc, code, by_country[code], len(places), violation_hits, rank)
        if trained is not None:
            probability = trained.probabilities(feats)[trained.classes[0]]
        else:
            probability = min(1.0, feats["share"] + 0.2 * feats["in_viol_sentence"])
        scored.append((probability, code))
    probability, code = max(scored)
    threshold = trained.thresholds[0] if trained is not None else COUNTRY_MIN
    if probability < threshold:
        return None, None, _region(doc, violation_hits)
    mentions = by_country[code]
    country = Proposal(
        code,
        country_name(code),
        _unique([Span(m.start, m.end) for m in mentions]),
        round(probability, 3),
    )
    cities = [m for m in mentions if m.kind == "city"]
    city = None
    if cities:
        viol_sentences = {doc.sentence_at(h.start).index for h in violation_hits}
        score = Counter()
        for m in cities:
            score[m.name] += 1 + 2 * (doc.sentence_at(m.start).index in viol_sentences)
        name = score.most_common(1)[0][0]
        spans = [Span(m.start, m.end) for m in cities if m.name == name]
        city = Proposal(name, name, spans, round(min(1.0, 0.4 + 0.1 * score[name]), 3))
    region = next(
        (
            Proposal(m.name, m.name, [Span(m.start, m.end)], 0.6)
            for m in mentions
            if m.kind == "region"
        ),
        None,
    ) or _region(doc, violation_hits)
    return country, city, region


def _region(doc: Document, violation_hits: list[Hit]) -> Proposal | None:
    regions = find_regions(doc.text)
    if not regions:
        return None
    name, start, end = regions[0]
    return Proposal(name, name, [Span(start, end)], 0.5)


def _date(
    doc: Document, mentions: list[DateMention], violation_hits: list[Hit], published: date | None
) -> ProposedDate:
    """The attack's year (ranked among the years the text gives and the publication's),
    then the best-ranked date mention in that year."""
    year_model = model.get("year")
    chosen_year: int | None = None
    if year_model is not None and published is not None:
        # Without a publication date a year can only be read, never placed: see below.
        candidates = features.year_candidates(mentions, published)
        scored = [
            (
                year_model.probabilities(
                    features.year(doc, y, ms, len(mentions), violation_hits, published)
                )[year_model.classes[0]],
                y,
            )
            for y, ms in candidates.items()
        ]
        if scored:
            year_confidence, chosen_year = max(scored)
            in_year = candidates[chosen_year]
            if not in_year:
                # Only the publication says when: the year, inferred, and nothing finer.
                return ProposedDate(
                    year=chosen_year, year_inferred=True, confidence=round(year_confidence, 3)
                )
            mentions = in_year
    trained = model.get("date")
    best: tuple[float, int, DateMention] | None = None
    for position, mention in enumerate(mentions):
        if trained is not None:
            feats = features.date_mention(doc, mention, position, violation_hits, published)
            score = trained.probabilities(feats)[trained.classes[0]]
        else:
            in_violation = any(
                doc.sentence_at(h.start).index == doc.sentence_at(mention.start).index
                for h in violation_hits
            )
            score = 0.2 + 0.4 * in_violation + 0.2 * (mention.day is not None) - 0.02 * position
        if best is None or score > best[0]:
            best = (score, -position, mention)
    if best is None:
        return ProposedDate()
    score, _, mention = best
    year, inferred = mention.year, False
    if year is None and published is not None:
        year = chosen_year or (
            published.year - (1 if mention.month and mention.month > published.month else 0)
        )
        inferred = True
    return ProposedDate(
        year=year,
        month=mention.month,
        day=mention.day,
        year_inferred=inferred,
        spans=[Span(mention.start, mention.end)],
        confidence=round(max(0.0, min(1.0, score)), 3),
    )


def _perpetrator(
    language: str,
    doc: Document,
    doc_features: dict[str, float],
    hits: list[Hit],
    violation_hits: list[Hit],
) -> tuple[Proposal | None, str | None]:
    viol_sentences = {doc.sentence_at(h.start).index for h in violation_hits}
    near = [h for h in hits if doc.sentence_at(h.start).index in viol_sentences] or hits
    trained = model.get("perpetrator")
    counts = Counter(h.code for h in near)
    if trained is not None and language == "en":
        probabilities = trained.probabilities(doc_features)
        hrds = max(probabilities, key=probabilities.get)
        confidence = probabilities[hrds]
        if hrds == "none":
            if not counts:
                return None, None
            code = counts.most_common(1)[0][0]
            hrds, confidence = lexicon.hrds_perpetrator(code), 1 - confidence
        consistent = [c for c, _ in counts.most_common() if lexicon.hrds_perpetrator(c) == hrds]
        code = consistent[0] if consistent else lexicon.PERPETRATOR_CODE_OF_HRDS.get(hrds, "other")
    else:
        if not counts:
            return None, None
        code, n = counts.most_common(1)[0]
        hrds, confidence = lexicon.hrds_perpetrator(code), min(1.0, 0.4 + 0.1 * n)
    if code in lexicon.STATE_CODES and code == "relevant_authorities_unspecified":
        code = "state"
    spans = [
        Span(h.start, h.end)
        for h in near
        if h.code == code or lexicon.hrds_perpetrator(h.code) == hrds
    ]
    label = code
    return Proposal(code, label, _unique(spans)[:10], round(confidence, 3)), hrds


def _un(text: str) -> list[Proposal]:
    found: dict[str, list[Span]] = defaultdict(list)
    for code, start, end in names.un_mechanisms(text):
        found[code].append(Span(start, end))
    return [Proposal(code, code, _unique(spans)) for code, spans in found.items()]


def _merge(items) -> list[Proposal]:
    merged: dict[str, Proposal] = {}
    for name, span, confidence in items:
        key = name.casefold()
        if key in merged:
            merged[key].spans.append(span)
        else:
            merged[key] = Proposal(name, name, [span], confidence)
    return list(merged.values())


def _unique(spans: list[Span]) -> list[Span]:
    return sorted(set(spans), key=lambda s: (s.start, s.end))


__all__ = ["HRDS_VIOLATION_LABELS", "extract"]
