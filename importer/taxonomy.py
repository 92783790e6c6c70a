"""WordPress categories sorted the Tilmash way: countries, source-language hints, post types, topics."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale
from strict.checks import country_code, country_names

ALIASES = Path(__file__).with_name("country_aliases.json")
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


def _countries():
    names = {name.casefold(): name for name in country_names().values()}
    aliases = json.loads(ALIASES.read_text(encoding="utf-8"))
    return names, {alias.casefold(): name for alias, name in aliases.items()}


def _language_codes():
    return {name.casefold(): code for code, name in Locale("en").languages.items() if "_" not in code}


def classify(categories, tags=(), post_types=POST_TYPES):
    """Sort a post's categories and tags; every decision is recorded for the report."""
    countries, aliases = _countries()
    languages = _language_codes()
    regions = {name.casefold(): code for code, name in Locale("en").territories.items() if code.isdigit()}
    containment = json.loads(CONTAINMENT.read_text(encoding="utf-8"))
    terms = Terms()
    for name in [*categories, *tags]:
        key = name.casefold()
        if key in aliases:
            terms.countries.append(aliases[key])
            terms.decisions.append(f"{name!r} → country {aliases[key]} (local spelling)")
        elif key in countries:
            terms.countries.append(countries[key])
            terms.decisions.append(f"{name!r} → country")
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
    terms.countries = list(dict.fromkeys(terms.countries))
    codes = {country_code(c) for c in terms.countries}
    named_regions, terms.regions = terms.regions, []
    for name, code in named_regions:
        if codes and codes <= countries_in(code, containment):
            terms.regions.append(name)
            terms.decisions.append(f"{name!r} → region (CLDR: it contains the post's countries)")
        else:
            terms.topics.append(name)
            terms.decisions.append(f"{name!r} → topic (a region, but not of the post's countries)")
    terms.languages = list(dict.fromkeys(terms.languages))
    terms.topics = list(dict.fromkeys(terms.topics))
    return terms
