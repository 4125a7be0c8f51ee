"""ISO 3166 countries with names in the active language (from pycountry's catalogues)."""

import gettext
from functools import cache

import pycountry
from django.utils.translation import get_language

# Django language code -> pycountry (iso-codes) catalogue locale.
_LOCALES = {"zh-hans": "zh_CN", "es": "es", "en": "en"}


@cache
def _translator(language: str) -> gettext.NullTranslations:
    locale = _LOCALES.get(language)
    if not locale or locale == "en":
        return gettext.NullTranslations()
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[locale], fallback=True
    )


@cache
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    translate = _translator(language).gettext
    names = [(c.alpha_2, translate(c.name)) for c in pycountry.countries]
    return tuple(sorted(names, key=lambda pair: pair[1]))


def country_choices() -> list[tuple[str, str]]:
    """(alpha-2, localised name) pairs sorted by name."""
    return list(_choices(get_language() or "en"))


def country_name(alpha_2: str) -> str:
    """The localised name of a country code, or the code itself if unknown."""
    if not alpha_2:
        return ""
    country = pycountry.countries.get(alpha_2=alpha_2)
    if country is None:
        return alpha_2
    return _translator(get_language() or "en").gettext(country.name)


def is_country_code(alpha_2: str) -> bool:
    return pycountry.countries.get(alpha_2=alpha_2) is not None
