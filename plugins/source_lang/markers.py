"""What a bracket after a link means: a language tag, a typo, or plain text."""

import difflib
import re
from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global

BRACKET = re.compile(r"(?P<space> ?)\[(?P<raw>[A-Za-z][A-Za-z0-9-]{1,34})\]")
# Old archives: several languages in one marker, "[uk, ru]".
BRACKET_LIST = re.compile(r"(?P<space> ?)\[(?P<raw>[A-Za-z][A-Za-z0-9-]{1,11}(?:\s*,\s*[A-Za-z][A-Za-z0-9-]{1,11})+)\]")
# Old archives also put punctuation or a short gloss between link and marker:
# "[Aida K.](…). [ky]", "[press club](…) (Bishkek Press Club) [ru]".
LEAD = re.compile(r"[.,;:]?(?: \([^()\n]{1,40}\))?(?= ?[\[(])")
PAREN = re.compile(r"(?P<space> ?)\((?P<raw>[A-Za-z]{2,3})\)")
_TAG_SHAPE = re.compile(r"^[A-Za-z]{2}(?:-[A-Za-z0-9]{2,8})*$")
_THREE_LETTERS = re.compile(r"^[A-Za-z]{3}$")
_WORD = re.compile(r"^[A-Za-z]{4,}$")


@dataclass(frozen=True)
class Marker:
    """A recognised marker: the text it spans and the BCP 47 tags it names, the first for hreflang."""

    start: int
    end: int
    space: str
    tags: tuple

    @property
    def tag(self):
        return self.tags[0]


@dataclass(frozen=True)
class MarkerProblem:
    """A marker-shaped bracket whose code Babel does not know."""

    fragment: str
    message: str
    fix: str


class MarkerError(ValueError):
    """Raised after a document with marker typos has been read; lists every one."""

    def __init__(self, problems):
        super().__init__("; ".join(f"{p.fragment}: {p.message} ({p.fix})" for p in problems))
        self.problems = problems


@cache
def known_tag(raw):
    """The canonical BCP 47 tag for a code Babel knows ("pt-br" -> "pt-BR"), or None."""
    try:
        locale = Locale.parse(raw.replace("_", "-"), sep="-")
    except (UnknownLocaleError, ValueError):
        return None
    return str(locale).replace("_", "-")


@cache
def _codes_by_name(lang):
    names = {}
    for locale in dict.fromkeys(("en", lang)):
        for code, name in Locale.parse(locale).languages.items():
            if "_" not in code and known_tag(code):
                names.setdefault(name.casefold(), code)
    return names


def suggestion(raw, lang="en"):
    """How to fix a marker typo: the code of a language named or misspelled, if any."""
    names = _codes_by_name(lang)
    close = difflib.get_close_matches(raw.casefold(), names, n=1, cutoff=0.8)
    if close:
        return f"did you mean [{names[close[0]]}]?"
    return "use a language code Babel knows, such as [ru], [kk] or [zh-Hant]"


def read_marker(text, position, lang="en", legacy=True):
    """The marker at `position` in `text` (after punctuation or a short gloss, if any), a problem
    there, or (None, None) for plain text."""
    marker, problem = _marker_at(text, position, lang, legacy)
    if marker or problem:
        return marker, problem
    lead = LEAD.match(text, position)
    if lead and lead.end() > position:
        return _marker_at(text, lead.end(), lang, legacy)
    return None, None


def _marker_at(text, position, lang, legacy):
    match = BRACKET_LIST.match(text, position)
    if match:
        found = [_code(raw.strip(), lang, legacy) for raw in match["raw"].split(",")]
        problems = [p for _, p in found if p]
        if problems:
            return None, MarkerProblem(f"[{match['raw']}]", problems[0].message, problems[0].fix)
        tags = tuple(t for t, _ in found)
        return (Marker(match.start(), match.end(), match["space"], tags), None) if all(tags) else (None, None)
    match = BRACKET.match(text, position)
    if match:
        tag, problem = _code(match["raw"], lang, legacy)
        return (Marker(match.start(), match.end(), match["space"], (tag,)), None) if tag else (None, problem)
    match = PAREN.match(text, position) if legacy else None
    if match:
        tag = _legacy_tag(match["raw"])
        if tag and not _ambiguous(match["raw"]):
            return Marker(match.start(), match.end(), match["space"], (tag,)), None
    return None, None


def _code(raw, lang, legacy):
    """The tag for one code in brackets, or a problem, or (None, None) for a word that is no code."""
    if _TAG_SHAPE.match(raw):
        tag = known_tag(raw)
        if not tag:
            return None, MarkerProblem(f"[{raw}]", f"[{raw}] is not a language Babel knows", suggestion(raw, lang))
        if _ambiguous(raw):
            main = _main_language(raw)
            return None, MarkerProblem(f"[{raw}]", f"[{raw}] is ambiguous: {tag} by code, but also a country whose language is {main}",
                                       f"write [{tag}] or [{main}] in lower case")  # fmt: skip
        return tag, None
    if _THREE_LETTERS.match(raw):
        return (_legacy_tag(raw) if legacy else _three_letter_tag(raw)), None
    if _WORD.match(raw) and difflib.get_close_matches(raw.casefold(), _codes_by_name(lang), n=1, cutoff=0.85):
        return None, MarkerProblem(f"[{raw}]", f"[{raw}] is a language's name, not its code", suggestion(raw, lang))
    return None, None


def _main_language(country):
    """The most widely spoken language of a country, by CLDR's territory data."""
    languages = get_global("territory_languages").get(country.upper(), {})
    return max(languages, key=lambda code: languages[code].get("population_percent", 0), default=None)


def _ambiguous(raw):
    """An upper-case code that is also a country whose main language is another: "AM" (Armenia, not Amharic)."""
    if not (len(raw) == 2 and raw.isupper()):
        return False
    main = _main_language(raw)
    return main is not None and main.split("_")[0] != raw.lower()


def _three_letter_tag(raw):
    """A language whose own code has three letters ("ast"), not an alias ("rus")."""
    tag = known_tag(raw)
    return tag if tag and tag.lower() == raw.lower() else None


def _legacy_tag(raw):
    alias = get_global("language_aliases").get(raw.lower())
    return known_tag(alias or raw)
