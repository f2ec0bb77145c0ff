"""Country cells (ISO codes or names in seven languages) to the region phone numbers use."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import phonenumbers

from twconv_gui.core.reading.table import Cell

__all__ = ["country_name", "region_of"]

# Names are taken from CLDR (through babel) and from ISO 3166 (through pycountry and its
# translations); these are the languages the exports we meet are written in.
_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl")

# What neither CLDR nor ISO 3166 calls a country, yet people write in a country column.
_ALIASES = {
    "uk": "GB", "u k": "GB", "great britain": "GB", "britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB",
    "usa": "US", "u s": "US", "u s a": "US", "america": "US",
    "united states of america": "US",
    "holland": "NL", "turkey": "TR", "czech republic": "CZ", "south korea": "KR",
    "north korea": "KP", "russia": "RU", "vietnam": "VN", "ivory coast": "CI",
}  # fmt: skip

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_DROPPED = re.compile(r"[.']")
_SEPARATORS = re.compile(r"[\s,;:()\[\]/&_\-]+")


def _key(text: str) -> str:
    """The form names are compared in: no accents, no case, no punctuation, single spaces."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    # "U.S." and "Côte d'Ivoire": dots and apostrophes vanish, other punctuation separates.
    text = _DROPPED.sub("", text.replace("'", " ").replace(". ", " "))
    return _SEPARATORS.sub(" ", text).strip()


@cache
def _lookup() -> dict[str, str]:
    """Key -> region for every code and name; built once, on first use (~0.3 s)."""
    import gettext  # noqa: PLC0415  (names load only when a country column is used)

    import pycountry  # noqa: PLC0415
    from babel import Locale  # noqa: PLC0415

    regions = phonenumbers.SUPPORTED_REGIONS
    table: dict[str, str] = {}

    def add(name: str | None, region: str) -> None:
        if name and region in regions:
            table.setdefault(_key(name), region)

    # Codes first: a name never overrides a code ("Oman" is no code, "OM" is).
    for country in pycountry.countries:
        add(country.alpha_2, country.alpha_2)
        add(country.alpha_3, country.alpha_2)
    for alias, region in _ALIASES.items():
        add(alias, region)
    translations = [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        for lang in _LANGUAGES
    ]
    for country in pycountry.countries:
        names = [getattr(country, attr, None) for attr in ("name", "official_name", "common_name")]
        for name in names:
            if name:
                for translation in translations:
                    add(translation.gettext(name), country.alpha_2)
    for lang in _LANGUAGES:
        for code, name in Locale(lang).territories.items():
            add(name, code)
    return table


def region_of(value: Cell) -> str | None:
    """The ISO 3166-1 alpha-2 code of the country a cell names, as phone numbers know it.

    Reads ISO alpha-2 and alpha-3 codes in any case ("de", "DEU") and country names in
    English, German, French, Spanish, Italian, Portuguese and Dutch ("Deutschland",
    "Allemagne", "Cote d'Ivoire", "Korea, Republic of"), ignoring accents, case and
    punctuation, plus a few everyday names ("UK", "USA", "Holland").

    Args:
        value: a cell of a country column.

    Returns:
        e.g. "GB", or None for an empty cell or a name that is not known.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    upper = text.upper()
    if len(upper) == 2 and upper in phonenumbers.SUPPORTED_REGIONS:
        return upper  # the common case, without building the table
    return _lookup().get(_key(text))


@cache
def country_name(region: str) -> str:
    """The English name of a region, for messages ("PK" -> "Pakistan").

    Args:
        region: an ISO 3166-1 alpha-2 code.

    Returns:
        The name CLDR uses, or the code itself when CLDR has no name for it.
    """
    from babel import Locale  # noqa: PLC0415

    code = region.strip().upper()
    name = Locale("en").territories.get(code)
    return str(name) if name else code
