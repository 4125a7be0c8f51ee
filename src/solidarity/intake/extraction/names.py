"""Names in a text: candidate people, organisations, laws and UN mechanisms.

Candidates for people are runs of capitalised words; the trained model decides
which of them are victims (see features.py). Organisations, laws and UN
mechanisms are found with patterns and a gazetteer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from solidarity.intake.extraction.dates import MONTHS_EN, MONTHS_ES, WEEKDAYS_EN, WEEKDAYS_ES

ORG_HEADS = [
    "Centre",
    "Center",
    "Association",
    "Union",
    "Network",
    "Committee",
    "Coalition",
    "Foundation",
    "Institute",
    "Organisation",
    "Organization",
    "Party",
    "Ministry",
    "Council",
    "Movement",
    "Alliance",
    "Federation",
    "Society",
    "Agency",
    "Court",
    "Police",
    "Army",
    "Group",
    "University",
    "College",
    "School",
    "Commission",
    "Front",
    "Office",
    "Bureau",
    "Watch",
    "International",
    "Amnesty",
    "Daily",
    "Times",
    "News",
    "Post",
    "Tribune",
    "Journal",
    "Herald",
    "Radio",
    "Television",
    "TV",
    "Service",
    "Services",
    "Department",
    "Forum",
    "Initiative",
    "Project",
    "Trust",
    "Fund",
    "League",
    "Assembly",
    "Congress",
    "Parliament",
    "Senate",
    "Government",
    "Authority",
    "Tribunal",
    "Bank",
    "Company",
    "Corporation",
    "Inc",
    "Ltd",
    "Agency",
    "Press",
    "Media",
    "Club",
    "Clinic",
    "Hospital",
    "Church",
    "Mosque",
    "Brigade",
    "Forces",
    "Guard",
    "Guards",
    "Unit",
    "Directorate",
    "Secretariat",
    "Ombudsman",
    "Board",
    "Chamber",
    "Collective",
    "Campaign",
    "Cooperative",
    "Syndicate",
    "Reuters",
    "AFP",
    "BBC",
    "CNN",
]
ORG_HEAD_SET = frozenset(ORG_HEADS)
PARTICLES = frozenset(
    [
        "bin",
        "binti",
        "ibn",
        "al",
        "el",
        "de",
        "da",
        "di",
        "del",
        "dos",
        "das",
        "van",
        "von",
        "der",
        "le",
        "la",
        "ul",
        "ur",
        "abu",
    ]
)
NOT_NAME_WORDS = frozenset(
    w.lower()
    for w in [
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "For",
        "From",
        "By",
        "With",
        "Of",
        "And",
        "But",
        "Or",
        "As",
        "After",
        "Before",
        "During",
        "Since",
        "When",
        "While",
        "He",
        "She",
        "They",
        "We",
        "It",
        "His",
        "Her",
        "Their",
        "Our",
        "This",
        "That",
        "These",
        "Those",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Prof",
        "President",
        "Minister",
        "Chief",
        "General",
        "Colonel",
        "Judge",
        "Justice",
        "Governor",
        "Mayor",
        "Senator",
        "Sir",
        "Lady",
        "Lord",
        "King",
        "Queen",
        "Prince",
        "Princess",
        "Pope",
        "Sheikh",
        "Imam",
        "Rev",
        "Father",
        "Sister",
        "Brother",
        "Saint",
        "St",
        "Human",
        "Rights",
        "Defenders",
        "Defender",
        "Women",
        "Woman",
        "Men",
        "Day",
        "New",
        "North",
        "South",
        "East",
        "West",
        "Central",
        "United",
        "Republic",
        "Democratic",
        "People's",
        "Peoples",
        "National",
        "Federal",
        "State",
        "Supreme",
        "High",
        "Special",
        "Rapporteur",
        "UN",
        "Nations",
        "EU",
        "European",
        "African",
        "American",
        "Asian",
        "Islamic",
        "Muslim",
        "Christian",
        "Catholic",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Twitter",
        "Facebook",
        "Instagram",
        "YouTube",
        "WhatsApp",
        "Telegram",
        "Covid",
        "Coronavirus",
        "God",
        "Allah",
        "Internet",
        "According",
        "However",
        "Meanwhile",
        "Also",
        "Read",
        "More",
        "Photo",
        "Image",
        "Video",
        "Credit",
        "Getty",
        "Copyright",
        "Reporting",
        "Editing",
        "Follow",
        "Share",
        "Click",
        "Subscribe",
        "Advertisement",
        "Spread",
        "Related",
        "Story",
        "Stories",
        "Breaking",
        "Update",
        "Updated",
        "Section",
        "Article",
        "Law",
        "Act",
        "Code",
        "Penal",
        "Constitution",
        "Covenant",
        "Convention",
        "Declaration",
        "Prime",
        "Deputy",
        "Secretary",
        "Vice",
        "Ambassador",
        "Commissioner",
        "Director",
        "Inspector",
        "Officer",
        "Sergeant",
        "Captain",
        "Major",
        "Lieutenant",
        "Attorney",
        "Prosecutor",
        "Police",
        "Army",
        "Government",
        "Ministry",
        "Court",
        # what people are, written before their names ("Journalist Omar X", "Pastor Y")
        "Journalist",
        "Journalists",
        "Activist",
        "Activists",
        "Researcher",
        "Pastor",
        "Senators",
        "Satirist",
        "Lawyer",
        "Blogger",
        "Poet",
        "Editor",
        "Reporter",
        "Photographer",
        "Professor",
        "Bishop",
        "Cardinal",
        "Hon",
        "Labour",
        "Cartoonist",
        "Writer",
        "Student",
        "Teacher",
        "MP",
        "Dr",
    ]
)
for _m in list(MONTHS_EN) + list(MONTHS_ES) + WEEKDAYS_EN + WEEKDAYS_ES:
    NOT_NAME_WORDS = NOT_NAME_WORDS | {_m}
TITLES = frozenset(["mr", "mrs", "ms", "miss", "dr", "prof", "sr", "sra", "don", "doña"])

# A capitalised word (with an inner capital as in McCann, accents as in Agnès), an initial, or
# a word in capitals before another name word.
_WORD = r"(?:[A-ZÀ-ÖØ-ÞŞĞİŁ][a-zß-öø-ÿşğıł'’\-]+(?:[A-Z][a-zß-öø-ÿ]+)?(?:-[A-Z][a-z'’]+)?|[A-Z]\.(?:[A-Z]\.)*|[A-Z]{2,}(?=\s[A-Z][a-z]))"
_PERSON = re.compile(
    rf"(?<![\w'’-]){_WORD}(?:\s+(?:(?:{'|'.join(sorted(PARTICLES))})[\s-]+)?{_WORD}){{1,4}}(?![\w'’-])"
)


@dataclass
class Candidate:
    name: str
    spans: list[tuple[int, int]] = field(default_factory=list)


def _trim(tokens: list[str]) -> list[str]:
    while tokens and (tokens[0].lower() in NOT_NAME_WORDS or tokens[0].lower() in PARTICLES):
        tokens = tokens[1:]
    while tokens and (tokens[-1].lower() in NOT_NAME_WORDS or tokens[-1].lower() in PARTICLES):
        tokens = tokens[:-1]
    return tokens


def person_candidates(text: str, places: set[tuple[int, int]] | None = None) -> list[Candidate]:
    """Runs of two to five capitalised words that may be a person's name, merged by name."""
    by_name: dict[str, Candidate] = {}
    for match in _PERSON.finditer(text):
        raw = match.group(0)
        tokens = raw.split()
        if any(t.strip(".,") in ORG_HEAD_SET for t in tokens):
            continue
        # Cut at words that cannot be part of a name ("President Xi Jinping" -> "Xi Jinping").
        kept = _trim(tokens)
        if len(kept) < 2 or any(t.lower() in NOT_NAME_WORDS for t in kept):
            parts: list[list[str]] = [[]]
            for t in tokens:
                if t.lower() in NOT_NAME_WORDS:
                    parts.append([])
                else:
                    parts[-1].append(t)
            kept = max((_trim(p) for p in parts), key=len)
            if len(kept) < 2:
                continue
        kept[-1] = re.sub(r"['’]s$", "", kept[-1])  # "Nikki Example’s arrest"
        name = " ".join(kept)
        start = match.start() + raw.index(kept[0])
        end = start + len(name) if text[start : start + len(name)] == name else match.end()
        if places and (start, end) in places:
            continue
        if name.isupper():
            continue
        candidate = by_name.setdefault(name, Candidate(name))
        candidate.spans.append((start, end))
    # Later mentions by surname alone count for the full name.
    return list(by_name.values())


_ORG_WORD = r"(?:[A-Z][\w'’&.-]*|UN)"
_ORG_LINK = r"(?:(?:of|for|on|against|to|in|and|de|del|des|&)(?:[ \t]+the)?)"
# A run of capitalised words, joined by the small words names of organisations use.
_ORG = re.compile(rf"(?<![\w]){_ORG_WORD}(?:[ \t]+(?:{_ORG_LINK}[ \t]+)?{_ORG_WORD})*")
_ORG_ES = re.compile(
    r"(?<![\w])(?:Centro|Asociaci[oó]n|Comit[eé]|Red|Fundaci[oó]n|Colectivo|Movimiento|Consejo|"
    r"Organizaci[oó]n|Federaci[oó]n|Uni[oó]n|Instituto|Universidad|Frente|Coordinadora|Observatorio|"
    r"Comisi[oó]n|Ministerio|Fiscal[ií]a|Polic[ií]a)(?:\s+(?:de|del|para|por|y|en|la|las|los|el|contra)?\s*"
    r"[A-ZÁÉÍÓÚÑ][\wáéíóúñ'’-]*)+"
)
_ORG_ZH = re.compile(
    r"[\u4e00-\u9fff]{2,20}?(?:中心|协会|委员会|基金会|组织|网络|联盟|研究所|研究会|工会|大学|律师事务所|"
    r"公安局|派出所|法院|检察院|民政局|司法局|政府)"
)
_ACRONYM = re.compile(r"\(\s*([A-Z][A-Za-z]{1,9})\s*\)")
_ALIAS = re.compile(r"\(\s*(?:the|la|el)\s+[\"“']?([A-Z][\w'’ ]{2,40}?)[\"”']?\s*\)")


@dataclass
class OrgMention:
    name: str
    start: int
    end: int
    aliases: list[str] = field(default_factory=list)


_LEADING = re.compile(
    r"^(?:The|A|An|By|In|On|At|For|From|With|As|Its|Their|His|Her|And|Of|Both|Last|This)\s+"
)


def organisations(text: str, language: str) -> list[OrgMention]:
    found: list[OrgMention] = []
    pattern = {"zh": _ORG_ZH, "es": _ORG_ES}.get(language, _ORG)
    for match in pattern.finditer(text):
        name, start = match.group(0), match.start()
        while (lead := _LEADING.match(name)) is not None:
            name, start = name[lead.end() :], start + lead.end()
        name = re.sub(r"['’]s$", "", name.rstrip(" .,'’"))
        if language == "zh":
            if len(name) >= 4:
                found.append(OrgMention(name, start, start + len(name)))
            continue
        words = name.split()
        if len(words) < 2 or not any(w.strip(".,") in ORG_HEAD_SET for w in words):
            continue
        found.append(OrgMention(name, start, start + len(name)))
    # "Name (ACRONYM)" and "Name (the Short name)" give aliases.
    for mention in found:
        rest = text[mention.end : mention.end + 60]
        for pattern in (_ACRONYM, _ALIAS):
            alias = pattern.match(rest.lstrip())
            if alias:
                mention.aliases.append(alias.group(1).strip())
    return found


# UN mechanisms: code -> patterns in the three languages.
UN_MECHANISMS: dict[str, list[str]] = {
    "cedaw": [
        r"CEDAW",
        r"Committee on the Elimination of (?:All Forms of )?Discrimination against Women",
        r"Comit[eé] para la Eliminaci[oó]n de la Discriminaci[oó]n contra la Mujer",
        r"消除对妇女歧视委员会",
        r"消歧委员会",
    ],
    "human_rights_council": [
        r"(?:UN |United Nations )?Human Rights Council",
        r"Consejo de Derechos Humanos",
        r"人权理事会",
    ],
    "upr": [
        r"Universal Periodic Review",
        r"\bUPR\b",
        r"Examen Peri[oó]dico Universal",
        r"\bEPU\b",
        r"普遍定期审议",
    ],
    "sr_hrd": [
        r"Special Rapporteur on (?:the situation of )?human rights defenders",
        r"Relator(?:a)? Especial sobre (?:la situaci[oó]n de )?(?:los )?defensor",
        r"人权捍卫者问题特别报告员",
    ],
    "sr_torture": [
        r"Special Rapporteur on torture",
        r"Relator(?:a)? Especial sobre (?:la )?tortura",
        r"酷刑问题特别报告员",
    ],
    "sr_violence_against_women": [
        r"Special Rapporteur on violence against women",
        r"Relatora? Especial sobre (?:la )?violencia contra la mujer",
        r"暴力侵害妇女问题特别报告员",
    ],
    "sr_freedom_expression": [
        r"Special Rapporteur on (?:the )?(?:promotion and protection of the right to )?freedom of (?:opinion and )?expression"
    ],
    "sr_assembly_association": [
        r"Special Rapporteur on (?:the rights to )?freedom of (?:peaceful )?assembly"
    ],
    "wgad": [
        r"Working Group on Arbitrary Detention",
        r"Grupo de Trabajo sobre (?:la )?Detenci[oó]n Arbitraria",
        r"任意拘留问题工作组",
        r"\bWGAD\b",
    ],
    "wgeid": [
        r"Working Group on Enforced or Involuntary Disappearances",
        r"Grupo de Trabajo sobre (?:las )?Desapariciones Forzadas",
        r"强迫或非自愿失踪问题工作组",
    ],
    "wg_discrimination_women_girls": [r"Working Group on discrimination against women"],
    "special_procedures": [
        r"(?:UN |United Nations )?[Ss]pecial [Rr]apporteurs?",
        r"[Ss]pecial [Pp]rocedures",
        r"UN experts",
        r"Relator(?:a|es)? Especial(?:es)?",
        r"特别报告员",
    ],
    "cat": [r"Committee [Aa]gainst Torture", r"Comit[eé] contra la Tortura", r"禁止酷刑委员会"],
    "ccpr": [r"Human Rights Committee", r"Comit[eé] de Derechos Humanos", r"人权事务委员会"],
    "crc": [r"Committee on the Rights of the Child", r"儿童权利委员会"],
    "cerd": [
        r"Committee on the Elimination of Racial Discrimination",
        r"\bCERD\b",
        r"消除种族歧视委员会",
    ],
    "ced": [r"Committee on Enforced Disappearances"],
    "ohchr_secretariat": [
        r"OHCHR",
        r"(?:UN |United Nations )?High Commissioner for Human Rights",
        r"Alt[oa] Comisionad[oa] (?:de las Naciones Unidas )?para los Derechos Humanos",
        r"人权事务高级专员",
        r"人权高专办",
    ],
    "sg_reprisals_report": [
        r"Secretary[- ]General'?s? (?:annual )?report on reprisals",
        r"reprisals report",
    ],
    "csw": [
        r"Commission on the Status of Women",
        r"妇女地位委员会",
        r"Comisi[oó]n de la Condici[oó]n Jur[ií]dica",
    ],
    "un_women": [r"UN Women", r"ONU Mujeres", r"联合国妇女署"],
    "iachr": [
        r"Inter-American Commission on Human Rights",
        r"IACHR",
        r"\bCIDH\b",
        r"Comisi[oó]n Interamericana de Derechos Humanos",
    ],
    "achpr": [r"African Commission on Human and Peoples'? Rights", r"\bACHPR\b"],
    "osce_odihr": [r"\bODIHR\b", r"\bOSCE\b"],
}
_UN = {
    code: re.compile("|".join(f"(?:{p})" for p in patterns))
    for code, patterns in UN_MECHANISMS.items()
}


def un_mechanisms(text: str) -> list[tuple[str, int, int]]:
    out = []
    for code, pattern in _UN.items():
        for match in pattern.finditer(text):
            out.append((code, match.start(), match.end()))
    # A specific mandate found at the same place wins over the generic "special procedures".
    specific = [(s, e) for c, s, e in out if c != "special_procedures"]
    return [
        (c, s, e)
        for c, s, e in out
        if c != "special_procedures" or not any(s2 <= s < e2 or s <= s2 < e for s2, e2 in specific)
    ]


_LAW_EN = re.compile(
    r"(?<![\w])((?:(?:draft|new|recent|so-called|controversial)\s+)?(?:[\w'’-]+\s+){0,6}?)"
    r"(laws?|[Aa]ct|[Cc]ode|[Dd]ecree|[Oo]rdinance|[Rr]egulations?|[Bb]ill)(?![\w])(\s+(?:on|of)\s+[A-Z][\w'’ -]{2,60})?"
)
_LAW_STOP = re.compile(
    r"(?:^|\s)(?:the|a|an|its|their|his|her|our|own|these|those|this|that|such|international|domestic|"
    r"under|of|by|to|and|in|with|violat\w*|break\w*|rule|any|all|new|existing|other|which|is|are|was|"
    r"were|has|have|on|for|against|from|as)$",
    re.I,
)
_LAW_ES = re.compile(
    r"(?<![\w])[Ll]ey(?:es)?\s+(?:(?:de|del|sobre|contra|para|org[aá]nica)\s+)[\wáéíóúñ ]{3,60}?(?=[,.;:)]|\s+(?:que|y|en|a|la|el)\s)"
)
_LAW_ZH = re.compile(
    r"《([^》]{2,40})》|((?:中华人民共和国)?[\u4e00-\u9fff]{2,12}?(?:安全法|管理法|慈善法|刑法|组织法|活动管理法|条例))"
)
_NOT_LAWS = re.compile(
    r"law (?:enforcement|firm|school|student|makers?|yer)|rule of law|[Aa]ct (?:of|as|on behalf)|"
    r"[Cc]ode of [Cc]onduct|(?:by|in|under) law$",
    re.I,
)


def laws(text: str, language: str) -> list[tuple[str, int, int]]:
    """Laws named in the text, as written ("the national security law" -> "national security law")."""
    out: list[tuple[str, int, int]] = []
    if language == "zh":
        for match in _LAW_ZH.finditer(text):
            group = 1 if match.group(1) else 2
            out.append((match.group(group), match.start(group), match.end(group)))
        return out
    if language == "es":
        return [
            (m.group(0).strip(), m.start(), m.start() + len(m.group(0).strip()))
            for m in _LAW_ES.finditer(text)
        ]
    for match in _LAW_EN.finditer(text):
        if _NOT_LAWS.search(text[match.start() : match.end() + 12]):
            continue
        # The words of the name: those after the last word that cannot belong to it.
        words = list(re.finditer(r"\S+", match.group(1)))
        for i in range(len(words) - 1, -1, -1):
            word = words[i].group(0)
            if _LAW_STOP.search(" " + word) and word.lower() not in ("of", "and", "on"):
                words = words[i + 1 :]
                break
        while words and words[0].group(0).lower() in ("of", "and", "on", "recent", "so-called"):
            words = words[1:]
        head, tail = match.group(2), match.group(3) or ""
        if not words:
            continue
        base = match.start(1)
        texts = [w.group(0) for w in words]
        if "and" in texts and head.lower() == "laws":
            # "the charity and foreign NGO management laws": two laws, each with its own words.
            split = texts.index("and")
            for part in (words[:split], words[split + 1 :]):
                if part:
                    name = " ".join(w.group(0) for w in part) + " law"
                    out.append((name, base + part[0].start(), base + part[-1].end()))
            continue
        name = re.sub(r"\blaws$", "law", " ".join([*texts, head]) + tail).strip()
        end = match.end(3) if tail else match.end(2)
        out.append((name, base + words[0].start(), end))
    return out
