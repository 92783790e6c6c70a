"""WordPress categories sorted the Tilmash way: countries, source-language hints, post types, topics.

Countries are read by plugins/country_names, as the build reads them: every CLDR name and
alternative, and our alias list of the spellings Global Voices has used ("D.R. of Congo").
"""

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale
from country_names import country_code, english_name, normalised, spellings
from markupsafe import Markup

# CLDR's territory containment (UN M49 regions), written by `invoke cldr-regions`.
CONTAINMENT = Path(__file__).with_name("territory_containment.json")
POST_TYPES = ("Updates", "Weblog", "Breaking News")


def containment_from_cldr(data):
    """The regions of CLDR's territoryContainment.json, each with the territories it contains."""
    entries = data["supplemental"]["territoryContainment"]
    return {code: entry["_contains"] for code, entry in entries.items() if code.isdigit()}


def countries_in(region, containment):
    """Every country a region contains, through its sub-regions."""
    found = set()
    for member in containment.get(region, []):
        found |= countries_in(member, containment) if member.isdigit() else {member}
    return found


@dataclass
class Terms:
    regions: list = field(default_factory=list)
    countries: list = field(default_factory=list)
    languages: list = field(default_factory=list)
    post_type: str = ""
    topics: list = field(default_factory=list)
    decisions: list = field(default_factory=list)


# Read once per import, not once per post (a quarter of a large import's time went to them).
@functools.cache
def _language_codes():
    return {name.casefold(): code for code, name in Locale("en").languages.items() if "_" not in code}


@functools.cache
def _regions():
    return {name.casefold(): code for code, name in Locale("en").territories.items() if code.isdigit()}


@functools.cache
def _containment():
    return json.loads(CONTAINMENT.read_text(encoding="utf-8"))


def countries_before_colon(title):
    """The countries a title names before its colon, as Global Voices titles do ("Sierra
    Leone: …", "Kazakhstan, Kyrgyzstan: …"); none for a region ("Africa: …") or no colon."""
    prefix, colon, _ = title.partition(":")
    if not colon:
        return []
    whole = country_code(prefix.strip())
    if whole:
        return [whole]
    parts = prefix.replace(" & ", ",").replace(" and ", ",").replace("/", ",").split(",")
    codes = [country_code(part.strip()) for part in parts]
    return list(dict.fromkeys(codes)) if codes and all(codes) else []


def first_mentions(codes, text):
    """Where the text first names each of `codes` (by any of its names of four letters or more:
    "us" is also a word); a longer name is read before a shorter one inside it, so that
    "Equatorial Guinea" is not a mention of Guinea. A country it never names is left out."""
    haystack = f" {normalised(text)} "
    keys = sorted(((key, code) for key, code in spellings().items() if code in codes and len(key) >= 4),
                  key=lambda pair: -len(pair[0]))  # fmt: skip
    claimed, first = [], {}
    for key, code in keys:
        start = haystack.find(f" {key} ")
        while start >= 0:
            end = start + len(key) + 2
            if not any(start < taken_end and taken_start < end for taken_start, taken_end in claimed):
                claimed.append((start, end))
                first[code] = min(first.get(code, start), start)
            start = haystack.find(f" {key} ", start + 1)
    return first


def main_country_first(codes, title, text):
    """The post's countries, its main one first: the one its title names before the colon,
    else (a region or a topic before the colon) the one its title and text name first, else
    its first. Returns the codes and what was decided, for the report."""
    named = countries_before_colon(title)
    if named:
        ordered = [named[0], *(code for code in codes if code != named[0])]
        return ordered, f"{title!r}: main country {english_name(named[0])} (the title names it before its colon)"
    if len(codes) < 2:
        return codes, None
    first = first_mentions(codes, f"{title}\n{Markup(text).striptags()}")
    ordered = sorted(codes, key=lambda code: (first.get(code, float("inf")), codes.index(code)))
    why = "of its countries, the one it names first" if first else "its first country: it names none in its title or text"
    return ordered, f"{title!r}: main country {english_name(ordered[0])} ({why})"


def classify(categories, tags=(), post_types=POST_TYPES, title="", text=""):
    """Sort a post's categories and tags; every decision is recorded for the report. The
    title (and failing that the HTML text) decides which country is the post's main one."""
    languages = _language_codes()
    regions = _regions()
    containment = _containment()
    terms = Terms()
    for name in [*categories, *tags]:
        key = name.casefold()
        code = country_code(name)
        if code:
            terms.countries.append(code)
            terms.decisions.append(f"{name!r} → country {english_name(code)}")
        elif key in languages:
            terms.languages.append(languages[key])
            terms.decisions.append(f"{name!r} → source-language hint {languages[key]}")
        elif name in post_types:
            terms.post_type = terms.post_type or name
            terms.decisions.append(f"{name!r} → Type")
        elif key in regions:
            terms.regions.append((name, regions[key]))
        elif name:
            terms.topics.append(name)
            terms.decisions.append(f"{name!r} → topic")
    codes, main = main_country_first(list(dict.fromkeys(terms.countries)), title or "", text or "")
    if main:
        terms.decisions.append(main)
    terms.countries = [english_name(code) for code in codes]
    codes = set(codes)
    named_regions, terms.regions = terms.regions, []
    prefix = (title or "").partition(":")[0].strip() if ":" in (title or "") else ""
    if prefix.casefold() in regions and prefix.casefold() not in {name.casefold() for name, _ in named_regions}:
        named_regions.append((prefix, regions[prefix.casefold()]))
    for name, code in named_regions:
        if codes and codes <= countries_in(code, containment):
            terms.regions.append(name)
            terms.decisions.append(f"{name!r} → region (CLDR: it contains the post's countries)")
        elif name == prefix:
            terms.decisions.append(f"{name!r} (before the title's colon) → neither region nor topic: not the post's countries' region")
        else:
            terms.topics.append(name)
            terms.decisions.append(f"{name!r} → topic (a region, but not of the post's countries)")
    terms.languages = list(dict.fromkeys(terms.languages))
    terms.topics = list(dict.fromkeys(terms.topics))
    return terms
