"""WordPress categories sorted the Tilmash way: countries, source-language hints, post types, topics."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale
from strict.checks import country_names

ALIASES = Path(__file__).with_name("country_aliases.json")
POST_TYPES = ("Updates", "Weblog", "Breaking News")


@dataclass
class Terms:
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
    regions = {name.casefold() for code, name in Locale("en").territories.items() if code.isdigit()}
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
        elif name:
            terms.topics.append(name)
            region = " (a region: CLDR's territory containment is not in Babel, so it stays a topic)" if key in regions else ""
            terms.decisions.append(f"{name!r} → topic{region}")
    terms.countries = list(dict.fromkeys(terms.countries))
    terms.languages = list(dict.fromkeys(terms.languages))
    terms.topics = list(dict.fromkeys(terms.topics))
    return terms
