"""What a bracket after a link means: a language tag, a typo, an ambiguity, or plain text."""

import difflib
import re
from dataclasses import dataclass, replace
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from .prose import ABBREVIATIONS, ENGLISH_WORDS, NO_LANGUAGE

BRACKET = re.compile(r"(?P<space> ?)\[(?P<raw>[A-Za-z][A-Za-z0-9-]{1,34})\]")
# Old archives: several languages in one marker, "[uk, ru]".
BRACKET_LIST = re.compile(r"(?P<space> ?)\[(?P<raw>[A-Za-z][A-Za-z0-9-]{1,11}(?:\s*,\s*[A-Za-z][A-Za-z0-9-]{1,11})+)\]")
# Old archives also put a closing quote, punctuation or a short gloss between link and marker:
# "[Aida K.](…). [ky]", "[press club](…) (Bishkek Press Club) [ru]", "'Supervía Poniente</a>' (…) [es]".
LEAD = re.compile(r"[\"'’”»]?[.,;:]?[\"'’”»]?(?: \([^()\n]{1,40}\))?(?= ?[\[(])")
PAREN = re.compile(r"(?P<space> ?)\((?P<raw>[A-Za-z]{2,3})\)")
_TAG_SHAPE = re.compile(r"^[A-Za-z]{2}(?:-[A-Za-z0-9]{2,8})*$")
_SUBTAGS = re.compile(
    r"^(?P<language>[A-Za-z]{2,3})(?:-(?P<script>[A-Za-z]{4}))?(?:-(?P<region>[A-Za-z]{2}|[0-9]{3}))?"
    r"(?P<variants>(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*)$"
)
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
    """A marker-shaped bracket that is a mistake (`fails_build`), or that stays text and is worth a notice."""

    fragment: str
    message: str
    fix: str
    fails_build: bool = True


class MarkerError(ValueError):
    """Raised after a document with marker typos has been read; lists every one."""

    def __init__(self, problems):
        super().__init__("; ".join(f"{p.fragment}: {p.message} ({p.fix})" for p in problems))
        self.problems = problems


@cache
def known_tag(raw):
    """The canonical BCP 47 tag for a code Babel knows, as written: "pt-br" -> "pt-BR", "in" -> "id",
    "zh-TW" -> "zh-TW" (never a region or script Babel would guess); None for others and for
    codes that name no language ("und")."""
    match = _SUBTAGS.match(raw.replace("_", "-"))
    if not match or match["language"].lower() in NO_LANGUAGE:
        return None
    # A deprecated or legacy code ("iw", "rus") by its current one, with what the alias implies ("sh" -> "sr-Latn").
    written = match["language"].lower()
    language, *implied = get_global("language_aliases").get(written, written).split("_")
    script = match["script"].title() if match["script"] else next((p for p in implied if len(p) == 4), None)
    region = match["region"].upper() if match["region"] else next((p for p in implied if len(p) != 4), None)
    tag = "-".join(filter(None, (language, script, region, *match["variants"].lower().split("-"))))
    try:
        Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        return None
    return tag


@cache
def _codes_by_name(lang):
    names = {}
    for locale in dict.fromkeys(("en", lang)):
        for code, name in Locale.parse(locale).languages.items():
            if "_" not in code and known_tag(code):
                names.setdefault(name.casefold(), code)
    return names


@cache
def _script_codes():
    return frozenset(Locale.parse("en").scripts)


def suggestion(raw, lang="en"):
    """How to fix a marker typo: the code of a language named or misspelled, if any."""
    names = _codes_by_name(lang)
    close = difflib.get_close_matches(raw.casefold(), names, n=1, cutoff=0.8)
    if close:
        return f"did you mean [{names[close[0]]}]?"
    return "use a language code Babel knows, such as [ru], [kk] or [zh-Hant]"


def read_marker(text, position, lang="en", legacy=True):
    """The marker at `position` in `text` (after a closing quote, punctuation or a short gloss,
    if any), a problem there, or (None, None) for plain text."""
    marker, problem = _marker_at(text, position, lang, legacy)
    if marker or (problem and problem.fails_build):
        return marker, problem
    # "(UK)" or "(or)" may be the gloss before a marker: "[a](…) (UK) [ru]".
    lead = LEAD.match(text, position)
    if lead and lead.end() > position:
        after = _marker_at(text, lead.end(), lang, legacy)
        if after != (None, None):
            return after
    return None, problem


def _marker_at(text, position, lang, legacy):
    match = BRACKET_LIST.match(text, position)
    if match:
        found = [_code(raw.strip(), lang, legacy) for raw in match["raw"].split(",")]
        problems = sorted((p for _, p in found if p), key=lambda p: not p.fails_build)
        if problems:
            return None, replace(problems[0], fragment=f"[{match['raw']}]")
        tags = tuple(t for t, _ in found)
        return (Marker(match.start(), match.end(), match["space"], tags), None) if all(tags) else (None, None)
    match = BRACKET.match(text, position)
    if match:
        tag, problem = _code(match["raw"], lang, legacy)
        return (Marker(match.start(), match.end(), match["space"], (tag,)), None) if tag else (None, problem)
    match = PAREN.match(text, position) if legacy else None
    if match:
        raw = match["raw"]
        tag = None if raw in ENGLISH_WORDS else known_tag(raw)  # "(or)" is prose; "(OR)" may be Odia
        if tag:
            problem = _ambiguity(f"({raw})", raw, tag)
            return (None, problem) if problem else (Marker(match.start(), match.end(), match["space"], (tag,)), None)
    return None, None


def _code(raw, lang, legacy):
    """The tag for one code in brackets, or a problem, or (None, None) for a word that is no code."""
    fragment = f"[{raw}]"
    if raw.lower() in NO_LANGUAGE:
        return None, MarkerProblem(fragment, f"{fragment} names no language, so it is no marker and stays text",
                                   f"write the source's language code, e.g. [ru], or {_escaped(fragment)} to keep "
                                   "it as text", fails_build=False)  # fmt: skip
    if _TAG_SHAPE.match(raw):
        tag = known_tag(raw)
        if not tag and len(raw) == 2 and raw.isupper():
            return None, _abbreviation(fragment, raw)
        if not tag:
            return None, MarkerProblem(fragment, f"{fragment} is not a language Babel knows", suggestion(raw, lang))
        return (None, problem) if (problem := _ambiguity(fragment, raw, tag)) else (tag, None)
    if _THREE_LETTERS.match(raw):
        tag = known_tag(raw) if legacy else _three_letter_tag(raw)
        return (None, problem) if tag and (problem := _ambiguity(fragment, raw, tag)) else (tag, None)
    if raw.title() in _script_codes() and raw.casefold() not in _codes_by_name(lang):
        return None, MarkerProblem(fragment, f"{fragment} is a script code, not a language",
                                   "write the source language's code, e.g. [ru]; a script goes after it: [sr-Latn]")  # fmt: skip
    if _WORD.match(raw) and difflib.get_close_matches(raw.casefold(), _codes_by_name(lang), n=1, cutoff=0.85):
        return None, MarkerProblem(fragment, f"{fragment} is a language's name, not its code", suggestion(raw, lang))
    return None, None


def _escaped(fragment):
    """How to write a bracket so that it is text, never read as a marker: \\[US\\]."""
    return f"\\{fragment[:-1]}\\{fragment[-1]}"


def _english_name(tag):
    return Locale.parse(tag, sep="-").get_display_name("en")


def _abbreviation(fragment, raw):
    """An upper-case pair that is no language, such as [US] or [TV]: an abbreviation, left as text."""
    main = known_tag(_main_language(raw) or "")
    example = f"[{main}] for {_english_name(main)}" if main else "[ru]"
    return MarkerProblem(fragment, f"{fragment} is an abbreviation, not a language code, so it stays text",
                         f"if it names the source's language, write that language's code, e.g. {example}; "
                         f"write {_escaped(fragment)} to keep it as text",
                         fails_build=False)  # fmt: skip


def _ambiguity(fragment, raw, tag):
    """A notice for an upper-case code that is as often something else: a common abbreviation ("UK"),
    or a country whose main language is another ("AM": Amharic, or Armenia's Armenian?); else None."""
    if not raw.isupper():
        return None
    main = _main_language(raw) if len(raw) == 2 else None
    if raw in ABBREVIATIONS:
        why, fix = "a common abbreviation", f"write [{tag}] for a source in {_english_name(tag)}"
    elif main is not None and main.split("_")[0] != tag.split("-")[0]:
        why, fix = f"a country whose language is {main}", f"write [{tag}] or [{main}] in lower case"
    else:
        return None
    return MarkerProblem(fragment, f"{fragment} is ambiguous: {tag} ({_english_name(tag)}) by code, but also {why}; "
                         "it stays text",
                         f"{fix}, or {_escaped(fragment)} to keep it as text", fails_build=False)  # fmt: skip


def _main_language(country):
    """The most widely spoken language of a country, by CLDR's territory data."""
    languages = get_global("territory_languages").get(country.upper(), {})
    return max(languages, key=lambda code: languages[code].get("population_percent", 0), default=None)


def _three_letter_tag(raw):
    """A language whose own code has three letters ("ast"), not an alias ("rus")."""
    tag = known_tag(raw)
    return tag if tag and tag.lower() == raw.lower() else None
