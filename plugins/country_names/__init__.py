"""Countries by every name people write: CLDR's names, its alternative and short names, and ours.

`country_code("Turkey")`, `country_code("Cote d'Ivoire")` and `country_code("Казахстан")` give
the country's ISO code; a post's country page is named by `english_name(code)`, CLDR's main
English name, whichever spelling the post used. `display_name(code, lang, names)` is the name a
page in `lang` shows: the site's choice in `COUNTRIES["names"]`, else CLDR's.

`names.json` is written by `invoke cldr-countries` from CLDR; `aliases.json` is kept by hand:
the spellings Global Voices and its translators have used that CLDR does not list.
"""

import difflib
import json
import re
import unicodedata
from functools import cache
from pathlib import Path

from babel import Locale

NAMES = Path(__file__).with_name("names.json")
ALIASES = Path(__file__).with_name("aliases.json")

# The names readers in the region expect where CLDR writes another (CLDR's Russian "Киргизия"
# is the Soviet-era name; the country and Russian-language media there write "Кыргызстан").
DISPLAY_DEFAULTS = {"ru": {"KG": "Кыргызстан"}}

_APOSTROPHES = re.compile(r"['’‘ʼʻ`´.]")
_NOT_A_LETTER = re.compile(r"[\W_]+")


def normalised(name):
    """The form names are compared in: no case, accents, apostrophes or dots, `&` read as
    "and", "Saint" as "St", any other punctuation a space, and no leading "the"."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = _APOSTROPHES.sub("", plain.replace("&", " and "))
    words = _NOT_A_LETTER.sub(" ", plain).split()
    words = ["st" if word == "saint" else word for word in words]
    return " ".join(words[1:] if words[:1] == ["the"] and len(words) > 1 else words)


@cache
def _data():
    return json.loads(NAMES.read_text(encoding="utf-8"))


@cache
def aliases():
    """Our own spellings, alias -> code."""
    return json.loads(ALIASES.read_text(encoding="utf-8"))


@cache
def spellings():
    """Every accepted spelling, normalised, -> its country's code.

    English names and our aliases come first; a name in another language is added unless it
    already means a country, and a name that means two countries is left out (it is ambiguous).
    """
    countries = _data()["countries"]
    found = {}
    for code, names in countries.items():
        for name in names.get("en", []):
            found.setdefault(normalised(name), code)
    for alias, code in aliases().items():
        found[normalised(alias)] = code
    other = {}
    for code, names in countries.items():
        for lang, local in names.items():
            if lang != "en":
                for name in local:
                    other.setdefault(normalised(name), set()).add(code)
    for key, codes in other.items():
        if key not in found and len(codes) == 1:
            found[key] = next(iter(codes))
    return found


def country_code(name):
    """The ISO code of a country by any of its names ("Turkey", "Türkiye", "Турция"), or None.
    A code itself ("KZ") is not a name."""
    return spellings().get(normalised(str(name)))


def is_country(code):
    return code in _data()["countries"]


def english_name(code):
    """CLDR's main English name: the name of the country's page, whatever a post wrote."""
    return _data()["countries"][code]["en"][0]


def display_name(code, lang, names=None):
    """The name a page in `lang` shows: `names[lang][code]` (the COUNTRIES setting), else
    CLDR's main name in that language, else Babel's, else the English one. Without `names`,
    the defaults."""
    chosen = (DISPLAY_DEFAULTS if names is None else names).get(lang, {}).get(code)
    if chosen:
        return chosen
    local = _data()["countries"].get(code, {}).get(lang)
    if local:
        return local[0]
    try:
        return Locale.parse(lang, sep="-").territories.get(code) or english_name(code)
    except (ValueError, LookupError):
        return english_name(code)


def suggestion(name):
    """How to fix a name that is not a country's."""
    if name.upper() in _data()["countries"]:
        return f'write the country\'s name, "{english_name(name.upper())}", not its code'
    key = normalised(name)
    containing = sorted({code for spelling, code in spellings().items() if f" {key} " in f" {spelling} "}, key=english_name)
    if 1 < len(containing) <= 4:
        return "which one? " + " or ".join(f'"{english_name(code)}"' for code in containing)
    close = difflib.get_close_matches(key, spellings(), n=1, cutoff=0.6)
    if close or containing:
        return f'did you mean "{english_name(spellings()[close[0]] if close else containing[0])}"?'
    return 'write a country\'s name, e.g. "Kazakhstan" (every name CLDR lists is accepted, see the README)'


def country_label(country, lang, settings=None):
    """What a page in `lang` calls a country given by code, name or Pelican Category, with the
    site's `COUNTRIES["names"]` from `settings` (Pelican's settings or a template's context):
    plain text (never Markup, so templates escape it); what is not a country keeps its name."""
    text = str(country)
    code = text if is_country(text) else country_code(text)
    return display_name(code, lang, (settings or {}).get("COUNTRIES", {}).get("names")) if code else text
